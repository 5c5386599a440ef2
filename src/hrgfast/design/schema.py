"""The design source schema and the compiled layout shared with the Cython engine.

Everything the engine and the compiler must agree on lives here: the C struct
layouts of the per-code tables (mirrored in ``src/_engine/tables.pxd``), the
enumerations behind small integer columns, and the variable names that rule
conditions may use. ``docs/design-format.md`` is the prose version; a test checks
the two agree.
"""

from __future__ import annotations

import numpy as np

# --- source tables: file name -> (required columns, optional columns) -------------
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chapters.csv": (("chapter", "name"), ()),
    "subchapters.csv": (("subchapter", "name"), ("critical_care",)),
    "hrgs.csv": (("hrg", "label", "kind", "datasets"), ("days_field", "trimpoint")),
    "splits.csv": (("hrg", "when"), ("note",)),
    "icd10_codes.csv": (("code",), ("note",)),
    "opcs4_codes.csv": (("code",), ("note",)),
    "diagnoses.csv": (("code", "root"), ("paed_root", "primary_error", "age_min", "age_max",
                                         "trauma_site", "burn", "spell_skip", "note")),
    "procedures.csv": (("code", "hierarchy"), ("root", "paed_root", "intervention", "unbundled",
                                               "error", "note")),
    "cc_weights.csv": (("subchapter", "code", "weight"), ("note",)),
    "cc_exclusions.csv": (("primary", "secondary"), ("note",)),
    "core_logic.csv": (("logic", "root", "when"), ("note",)),
    "global_exceptions.csv": (("trigger", "code", "root", "when"), ("also", "also_in", "note")),
    "unbundled_triggers.csv": (("dataset", "field", "value", "root"), ("note",)),
    "field_values.csv": (("dataset", "field", "value"), ("flags", "class", "meaning")),
    "logic_rules.csv": (("dataset", "hrg", "when"), ("note",)),
}
OPTIONAL_TABLES = frozenset({"cc_exclusions.csv", "core_logic.csv", "global_exceptions.csv",
                             "unbundled_triggers.csv", "cc_weights.csv",
                             "logic_rules.csv"})

DATASETS = ("APC", "NAC", "EM", "ACC", "PCC", "NCC", "NRD")
DATASET_BIT = {name: 1 << i for i, name in enumerate(DATASETS)}

# --- enumerations stored in the compiled tables ----------------------------------
HRG_KIND = {"core": 1, "unbundled": 2, "error": 3}
DAYS_FIELD = {"": 0, "REHABILITATIONDAYS": 1, "SPCDAYS": 2}
PRIMARY_ERROR = {"": 0, "UZ01": 1, "UZ02": 2, "UZ04": 4}
PROC_ERROR = {"": 0, "UZ05": 5, "UZ06": 6}
BURN = {"": 0, "region": 1, "region_deep": 2, "tbsa": 3, "unspecified": 4}
CORE_LOGIC = {"multiple_trauma": 0, "burns": 1}
GX_TRIGGER = {"diag_primary": 1, "diag_any": 2, "proc_any": 3}
FIELD_FLAGS = {"daycase": 1, "elective": 2, "dental": 4, "dead": 8, "positive": 16,
               "inappropriate": 32}

# per-code flag bits; the summary bits (GX, BURN, TRAUMA, UNBUNDLED, SIGNIFICANT) let the
# engine skip whole passes for records whose codes need none of them
DX_MAPPED, DX_SPELL_SKIP, DX_GX, DX_BURN, DX_TRAUMA = 1, 2, 4, 8, 16
DX_PRIMARY_CHECK = 32       # as a primary: a UZ flag, an age range or a burn-extent code
PX_MAPPED, PX_INTERVENTION, PX_GX, PX_UNBUNDLED, PX_SIGNIFICANT = 1, 2, 4, 8, 16
SUBCH_CRITICAL_CARE = 1

# Variables a `when` condition may test, in engine slot order.
VARIABLES = ("age", "cc", "los", "daycase", "interventions", "procedures", "sites", "tbsa",
             "dominant", "sex", "elective")
VAR_INDEX = {name: i for i, name in enumerate(VARIABLES)}

# Variables the record logics' decision lists (logic_rules.csv) may test, per dataset, in
# engine slot order (mirrored by src/_engine/logic_vars.pxd).
LOGIC_VARIABLES: dict[str, tuple[str, ...]] = {
    "NAC": ("age", "firstatt", "multiprof"),
    "EM": ("age", "inv", "treat", "dental", "dead", "group"),
    "ACC": ("organs", "ars", "unit", "days"),
    "PCC": ("level", "unit", "codes"),
    "NCC": ("level", "unit", "codes", "gestation", "weight", "age_days"),
    "NRD": ("modality", "site", "access", "bbv", "age"),
}
LOGIC_DATASETS = tuple(LOGIC_VARIABLES)
# Enumerated fields whose leading zeros are significant (dossier §1.8): their values
# must match exactly ("01" is not "1"); every other field's values compare without them.
ZEROS_SIGNIFICANT = frozenset({("EM", "INV"), ("EM", "TREAT"), ("NRD", "RENALMOD"),
                               ("NRD", "RENALSITE"), ("NRD", "RENALACCESS")})
# ACC support-day fields in engine order; design.toml [acc] organ_systems groups them
ACC_SUPPORT_FIELDS = ("BCSD", "ACSD", "BRSD", "ARSD", "RSD", "NSD", "DSD", "LSD")
N_LOGIC_VARS = max(len(v) for v in LOGIC_VARIABLES.values())

# --- code key spaces (mirrored by codes.pxd) --------------------------------------
ICD10_KEYS = 26 * 100 * 12 * 12
OPCS4_KEYS = 26 * 1000

# --- C struct layouts (mirrored by tables.pxd) ------------------------------------
DX_DTYPE = np.dtype([
    ("root", "<i4"), ("paed_root", "<i4"), ("cc_profile", "<i4"), ("excl_class", "<i4"),
    ("category", "<i4"), ("age_min", "<i2"), ("age_max", "<i2"), ("primary_error", "i1"),
    ("trauma_site", "i1"), ("burn", "i1"), ("tbsa", "i1"), ("flags", "u1"), ("_pad", "u1", (3,)),
])
PX_DTYPE = np.dtype([
    ("root", "<i4"), ("paed_root", "<i4"), ("unbundled", "<i4"), ("hierarchy", "<i2"),
    ("error", "i1"), ("flags", "u1"),
])
HRG_DTYPE = np.dtype([
    ("root", "<i4"), ("trimpoint", "<i4"), ("kind", "i1"), ("days_field", "i1"),
    ("datasets", "u1"), ("_pad", "u1", (5,)),
])
COND_DTYPE = np.dtype([("var", "<i4"), ("lo", "<i4"), ("hi", "<i4")])
GX_DTYPE = np.dtype([("trigger", "<i4"), ("rule", "<i4"), ("also_kind", "<i4"),
                     ("also_start", "<i4"), ("also_stop", "<i4"), ("also_bit", "<i4")])
ALSO_IN = {"": 2, "proc": 2, "diag": 1}

assert DX_DTYPE.itemsize == 32 and PX_DTYPE.itemsize == 16 and HRG_DTYPE.itemsize == 16

INT_MIN, INT_MAX = -(2**31), 2**31 - 1
