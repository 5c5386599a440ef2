"""Quality messages in the official ``Code Type|Code|Error Message`` form.

Message ids and field-code bases mirror ``src/_engine/messages.pxd``. Texts quoted in
the official documentation are used verbatim (``Primary Diagnosis is blank``, the UZ
category names, ``Sex is inconsistent in spell``, ``Age rises by more than expected in
the spell``, ``Diagnosis is invalid``, ``Procedure is invalid``); the rest follow the
same pattern and are hrgfast's wording (see docs/validation.md).
"""

from __future__ import annotations

BLANK, INVALID, PRIMARY_BLANK, DIAG_INVALID, PROC_INVALID = 1, 2, 3, 4, 5
INCONSISTENT, AGE_RISE, EPIORDER_DUP = 6, 7, 8
UZ01, UZ02, UZ03, UZ04, UZ05, UZ06, UZ15 = 9, 10, 11, 12, 13, 14, 15
DIAG_UNMAPPED, NO_SPLIT = 16, 17
UZ11, UZ13, UZ14, UZ21 = 18, 19, 20, 21
NO_RULE, AFTER_DISCHARGE, DAY_DUPLICATE = 22, 23, 24

FIELD_DIAG, FIELD_OPER, FIELD_INV, FIELD_TREAT, FIELD_CCAC = 1000, 2000, 3000, 4000, 5000
REPEATED = {FIELD_DIAG: "DIAG", FIELD_OPER: "OPER", FIELD_INV: "INV", FIELD_TREAT: "TREAT",
            FIELD_CCAC: "CCAC"}

# message id -> text; "{label}" is the field's label
TEXT: dict[int, str] = {
    BLANK: "{label} is blank",
    INVALID: "{label} is invalid",
    PRIMARY_BLANK: "Primary Diagnosis is blank",
    DIAG_INVALID: "Diagnosis is invalid",
    PROC_INVALID: "Procedure is invalid",
    INCONSISTENT: "{label} is inconsistent in spell",
    AGE_RISE: "Age rises by more than expected in the spell",
    EPIORDER_DUP: "Episode Order is duplicated in spell",
    UZ01: "UZ01 - Invalid Primary Diagnosis",
    UZ02: "UZ02 - Poorly Coded Primary Diagnosis",
    UZ03: "UZ03 - Diagnosis Conflicts with Age",
    UZ04: "UZ04 - Diagnosis Conflicts with Anatomical Site",
    UZ05: "UZ05 - Invalid procedure for Casemix grouping purposes",
    UZ06: "UZ06 - Poorly coded procedure",
    UZ15: "UZ15 - Burns Error",
    DIAG_UNMAPPED: "Diagnosis is not grouped by this design",
    NO_SPLIT: "No split rule of the HRG root applies",
    UZ11: "UZ11 - Neonatal Critical Care Error",
    UZ13: "UZ13 - ACC Grouping Error",
    UZ14: "UZ14 - Renal (NRD) Error",
    UZ21: "UZ21 - CCAC Inappropriate in NCC",
    NO_RULE: "No grouping rule of the design applies",
    AFTER_DISCHARGE: "Critical Care Date is after the Discharge Date",
    DAY_DUPLICATE: "Critical care day is duplicated in the period",
}

# messages that state the value is missing: their Code is blank
CODE_BLANK_MESSAGES = frozenset({BLANK, PRIMARY_BLANK, INCONSISTENT, AGE_RISE})


def field_name(code: int, scalar_names: list[str]) -> str:
    """Code Type of a field code: ``SEX``, ``DIAG_03``, ``OPER_01``..."""
    if code >= FIELD_DIAG:
        base = code - code % 1000
        return f"{REPEATED[base]}_{code - base:02d}"
    return scalar_names[code]


def render(msg: int, label: str) -> str:
    return TEXT[msg].format(label=label)
