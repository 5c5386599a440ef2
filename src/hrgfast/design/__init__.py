"""Designs: the source format, the compiler, compiled artifacts and loading them."""
