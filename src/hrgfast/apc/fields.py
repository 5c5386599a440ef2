"""The APC input fields: names, slots in the engine's field matrix, and how each is
encoded (mirrors ``src/_engine/apc_fields.pxd``)."""

from __future__ import annotations

from hrgfast._encode import Kind

# (name, encoding, label) in engine slot order; leading zeros are not significant in APC
SCALARS: list[tuple[str, int, str]] = [
    ("PROCODET", Kind.PRESENCE, "Provider Code"),
    ("PROVSPNO", Kind.PRESENCE, "Provider Spell Number"),
    ("EPIORDER", Kind.INTEGER, "Episode Order"),
    ("STARTAGE", Kind.INTEGER, "Start Age"),
    ("SEX", Kind.VALUE_ZEROS, "Sex"),
    ("CLASSPAT", Kind.VALUE_ZEROS, "Patient Classification"),
    ("ADMISORC", Kind.VALUE_ZEROS, "Admission Source"),
    ("ADMIMETH", Kind.VALUE_ZEROS, "Admission Method"),
    ("DISDEST", Kind.VALUE_ZEROS, "Discharge Destination"),
    ("DISMETH", Kind.VALUE_ZEROS, "Discharge Method"),
    ("EPIDUR", Kind.INTEGER, "Episode Duration"),
    ("MAINSPEF", Kind.VALUE_ZEROS, "Main Specialty"),
    ("NEOCARE", Kind.VALUE_ZEROS, "Neonatal Level of Care"),
    ("TRETSPEF", Kind.VALUE_ZEROS, "Treatment Function"),
    ("CRITICALCAREDAYS", Kind.INTEGER, "Critical Care Days"),
    ("REHABILITATIONDAYS", Kind.INTEGER, "Rehabilitation Days"),
    ("SPCDAYS", Kind.INTEGER, "Specialist Palliative Care Days"),
]
NAMES = [s[0] for s in SCALARS]
LABELS = [s[2] for s in SCALARS]
SLOT = {name: i for i, name in enumerate(NAMES)}
NF = len(SCALARS)

# fields the logic needs present in the input (the optional ones may be absent)
OPTIONAL = frozenset({"NEOCARE", "CRITICALCAREDAYS", "REHABILITATIONDAYS", "SPCDAYS"})
REQUIRED = [n for n in NAMES if n not in OPTIONAL] + ["DIAG_01"]
MAX_REPEAT = 99


def repeated(names: list[str], prefix: str) -> list[str]:
    """The ``PREFIX_nn`` fields present, in order, without gaps (DIAG_01..DIAG_nn)."""
    present = {n for n in names if n.startswith(prefix + "_")}
    out = []
    for k in range(1, MAX_REPEAT + 1):
        name = f"{prefix}_{k:02d}"
        if name not in present:
            break
        out.append(name)
    return out
