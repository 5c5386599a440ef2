# cython: language_level=3
"""Quality message ids and field codes (mirrored by hrgfast/messages.py)."""

cdef enum:
    M_BLANK = 1              # "<field> is blank"
    M_INVALID = 2            # "<field> is invalid"
    M_PRIMARY_BLANK = 3      # "Primary Diagnosis is blank"
    M_DIAG_INVALID = 4       # "Diagnosis is invalid"
    M_PROC_INVALID = 5       # "Procedure is invalid"
    M_INCONSISTENT = 6       # "<field> is inconsistent in spell"
    M_AGE_RISE = 7           # "Age rises by more than expected in the spell"
    M_EPIORDER_DUP = 8       # "Episode order is duplicated in spell"
    M_UZ01 = 9
    M_UZ02 = 10
    M_UZ03 = 11
    M_UZ04 = 12
    M_UZ05 = 13
    M_UZ06 = 14
    M_UZ15 = 15
    M_DIAG_UNMAPPED = 16     # hrgfast: the design gives this primary diagnosis no root
    M_NO_SPLIT = 17          # hrgfast: no split rule of the root holds
    M_UZ11 = 18
    M_UZ13 = 19
    M_UZ14 = 20
    M_UZ21 = 21
    M_NO_RULE = 22           # hrgfast: no rule of the dataset's decision list holds
    M_AFTER_DISCHARGE = 23   # "Critical Care Date is after the Discharge Date"
    M_DAY_DUPLICATE = 24     # "Critical care day is duplicated in the period"

# field codes: scalar fields are their slot in the dataset's field matrix;
# repeated code fields add their 1-based position to a base
cdef enum:
    FIELD_DIAG = 1000
    FIELD_OPER = 2000
    FIELD_INV = 3000
    FIELD_TREAT = 4000
    FIELD_CCAC = 5000
