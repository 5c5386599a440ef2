"""RDF files: the official grouper's record definition (field name -> column position).

The syntax is not documented by the manual; it is read here as the shipped files
write it: a delimiter declaration line (``COMMA DELIMITED``), then one line per field
``DisplayName,InternalName,Position,f4,f5,f6,f7``. Of the trailing fields, the shipped
99-field RDF puts ``.`` in f7 for codes, matching the manual's *Extract* concept
(characters removed anywhere in the value); we read f6 as the positional *Picture*
template ('.' drops that position). Both readings are inferred; see docs/file-formats.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hrgfast.exitcodes import RDF, GrouperError

DELIMITERS = {"COMMA DELIMITED": ",", "TAB DELIMITED": "\t", "PIPE DELIMITED": "|"}


@dataclass(frozen=True)
class RdfField:
    display: str
    name: str            # internal name, upper case
    position: int        # 1-based column
    picture: str | None = None
    extract: str | None = None


@dataclass(frozen=True)
class Rdf:
    delimiter: str
    fields: tuple[RdfField, ...]
    path: Path | None = None

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> RdfField | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


def parse_rdf(text: str, path: Path | None = None) -> Rdf:
    where = str(path) if path else "RDF"
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise GrouperError(RDF, f"{where}: empty RDF file")
    decl = lines[0].upper()
    if decl not in DELIMITERS:
        raise GrouperError(RDF, f"{where}: first line must declare the delimiter "
                                f"({', '.join(DELIMITERS)}), got {lines[0]!r}")
    fields: list[RdfField] = []
    seen: dict[str, int] = {}
    positions: dict[int, str] = {}
    for n, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        if len(parts) < 3 and DELIMITERS[decl] != ",":
            parts = line.split(DELIMITERS[decl])
        if len(parts) < 3:
            raise GrouperError(RDF, f"{where}:{n}: expected 'Display,Internal,Position,...', "
                                    f"got {line!r}")
        display, internal, pos = parts[0].strip(), parts[1].strip().upper(), parts[2].strip()
        if not internal:
            raise GrouperError(RDF, f"{where}:{n}: blank internal field name")
        try:
            position = int(pos)
        except ValueError:
            raise GrouperError(RDF, f"{where}:{n}: position must be a whole number, "
                                    f"got {pos!r}") from None
        if position < 1:
            raise GrouperError(RDF, f"{where}:{n}: position must be 1 or more")
        if internal in seen:
            raise GrouperError(RDF, f"{where}:{n}: field {internal} is defined twice")
        if position in positions:
            raise GrouperError(RDF, f"{where}:{n}: position {position} is used by "
                                    f"{positions[position]} and {internal}")
        seen[internal] = n
        positions[position] = internal
        extra = [p.strip() for p in parts[3:]] + [""] * 4
        fields.append(RdfField(display or internal, internal, position,
                               picture=extra[2] or None, extract=extra[3] or None))
    return Rdf(DELIMITERS[decl], tuple(sorted(fields, key=lambda f: f.position)), path)


def read_rdf(path: str | os.PathLike[str]) -> Rdf:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise GrouperError(RDF, f"cannot read RDF file {p}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_rdf(text, p)


def from_header(names: list[str], delimiter: str = ",") -> Rdf:
    """An RDF equivalent to a header row: each named column at its own position."""
    fields = []
    seen = set()
    for i, raw in enumerate(names, start=1):
        name = raw.strip().upper()
        if name and name not in seen:
            seen.add(name)
            fields.append(RdfField(raw.strip(), name, i))
    return Rdf(delimiter, tuple(fields), None)


def write_rdf(rdf: Rdf) -> str:
    decl = {v: k for k, v in DELIMITERS.items()}[rdf.delimiter]
    out = [decl]
    for f in rdf.fields:
        out.append(f"{f.display},{f.name},{f.position},,,{f.picture or ''},{f.extract or ''}")
    return "\n".join(out) + "\n"
