"""Admitted Patient Care (APC): episodes (FCEs) grouped and rolled up into spells."""
