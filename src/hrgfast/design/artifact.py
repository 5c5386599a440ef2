"""Compiled design artifacts: one binary file per design, read by memory map.

Layout (all integers little-endian)::

    0   8 bytes   magic b"HRGFDSGN"
    8   uint32    format version (FORMAT_VERSION)
    12  uint32    header length in bytes
    16  header    UTF-8 JSON, space-padded so the payload starts 64-byte aligned
    ..  payload   named arrays, each starting on a 64-byte boundary

The header records the design metadata, the source checksum, the payload size and
CRC-32, and for every array its dtype, shape and payload offset. Loading checks all
of these and refuses anything that does not match, so a truncated, corrupted or
stale artifact can never be used to group data.

This module imports only the standard library and NumPy: CMake runs the design
compiler at build time, before the extension modules exist.
"""

from __future__ import annotations

import json
import mmap
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"HRGFDSGN"
FORMAT_VERSION = 1
ALIGN = 64
SUFFIX = ".hrgd"


class ArtifactError(ValueError):
    """A compiled design file is missing, corrupt, stale or of another format."""


def _pad(n: int) -> int:
    return (-n) % ALIGN


def write_artifact(path: str | os.PathLike[str], meta: dict[str, Any],
                   arrays: dict[str, np.ndarray]) -> bytes:
    """Serialise ``arrays`` with ``meta`` deterministically; return the bytes written."""
    toc = []
    chunks: list[bytes] = []
    offset = 0
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        if arr.dtype.hasobject:
            raise TypeError(f"array {name!r} holds Python objects")
        raw = arr.tobytes()
        toc.append({"name": name, "dtype": arr.dtype.descr if arr.dtype.names else arr.dtype.str,
                    "shape": list(arr.shape), "offset": offset, "nbytes": len(raw)})
        chunks.append(raw)
        chunks.append(b"\0" * _pad(len(raw)))
        offset += len(raw) + _pad(len(raw))
    payload = b"".join(chunks)
    header = dict(meta)
    header["format_version"] = FORMAT_VERSION
    header["payload_size"] = len(payload)
    header["payload_crc32"] = zlib.crc32(payload)
    header["arrays"] = toc
    hjson = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    hjson += b" " * _pad(16 + len(hjson))
    blob = MAGIC + FORMAT_VERSION.to_bytes(4, "little") + len(hjson).to_bytes(4, "little") \
        + hjson + payload
    tmp = Path(str(path) + ".tmp")
    tmp.write_bytes(blob)
    os.replace(tmp, path)
    return blob


def _dtype(spec: Any) -> np.dtype:
    if isinstance(spec, list):  # structured dtype descr
        return np.dtype([tuple(f) if len(f) == 2 else (f[0], f[1], tuple(f[2])) for f in spec])
    return np.dtype(spec)


@dataclass
class Artifact:
    """A loaded artifact: its header and read-only array views over the mapped file."""

    path: Path
    header: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(repr=False)

    @property
    def meta(self) -> dict[str, Any]:
        return self.header["design"]


def read_artifact(path: str | os.PathLike[str], verify: bool = True) -> Artifact:
    """Map ``path`` and return its arrays; raise :class:`ArtifactError` if it is not sound."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < 16:
                raise ArtifactError(f"{p}: not a compiled hrgfast design (file too short)")
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise ArtifactError(f"{p}: cannot open compiled design: {exc}") from exc
    if mm[:8] != MAGIC:
        raise ArtifactError(f"{p}: not a compiled hrgfast design (bad magic)")
    version = int.from_bytes(mm[8:12], "little")
    if version != FORMAT_VERSION:
        raise ArtifactError(f"{p}: design format version {version}, this hrgfast reads "
                            f"version {FORMAT_VERSION}; recompile the design")
    hlen = int.from_bytes(mm[12:16], "little")
    if 16 + hlen > size:
        raise ArtifactError(f"{p}: truncated header")
    try:
        header = json.loads(bytes(mm[16:16 + hlen]))
    except ValueError as exc:
        raise ArtifactError(f"{p}: corrupt header: {exc}") from exc
    start = 16 + hlen
    if header.get("format_version") != FORMAT_VERSION or "design" not in header:
        raise ArtifactError(f"{p}: header does not describe a version {FORMAT_VERSION} design")
    if size != start + header["payload_size"]:
        raise ArtifactError(f"{p}: size {size} does not match its header "
                            f"({start + header['payload_size']}); the file is truncated or padded")
    buf = memoryview(mm)[start:]
    if verify and zlib.crc32(buf) != header["payload_crc32"]:
        raise ArtifactError(f"{p}: payload checksum mismatch; the file is corrupt")
    arrays: dict[str, np.ndarray] = {}
    for entry in header["arrays"]:
        dt = _dtype(entry["dtype"])
        count = int(np.prod(entry["shape"], dtype=np.int64))
        if entry["offset"] + count * dt.itemsize > header["payload_size"]:
            raise ArtifactError(f"{p}: array {entry['name']} lies outside the payload")
        arr = np.frombuffer(buf, dtype=dt, count=count, offset=entry["offset"])
        arrays[entry["name"]] = arr.reshape(entry["shape"])
    return Artifact(path=p, header=header, arrays=arrays)
