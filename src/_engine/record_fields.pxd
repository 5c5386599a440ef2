# cython: language_level=3
"""Field slots and rule-variable slots of the record logics (NAC, EM, ACC, PCC, NCC, NRD).

Mirrors ``hrgfast/datasets/spec.py`` (field order) and ``schema.LOGIC_VARIABLES``
(variable order); ``tests/test_datasets_spec.py`` checks the two agree.
"""

# logic index = position in schema.LOGIC_DATASETS
cdef enum:
    L_NAC = 0
    L_EM = 1
    L_ACC = 2
    L_PCC = 3
    L_NCC = 4
    L_NRD = 5

# HrgInfo.datasets bit of NAC (schema.DATASET_BIT)
cdef enum:
    DS_BIT_NAC = 2

# NAC scalar slots; repeated OPER_nn follow
cdef enum:
    N_STARTAGE = 0
    N_SEX = 1
    N_MAINSPEF = 2
    N_TRETSPEF = 3
    N_FIRSTATT = 4
    N_MULTIPROF = 5

# EM scalar slots; repeated INV_nn then TREAT_nn follow
cdef enum:
    E_AGE = 0
    E_GROUP = 1

# ACC scalar slots (no repeated fields); the eight support-day fields are consecutive
cdef enum:
    A_CCUF = 0
    A_BCSD = 1
    A_ACSD = 2
    A_BRSD = 3
    A_ARSD = 4
    A_LSD = 8
    A_CCL2D = 9
    A_CCL3D = 10
    A_START = 11
    A_DISCH = 12
    A_N_SUPPORT = 8

# PCC and NCC scalar slots (NCC adds three); repeated CCAC_nn follow (PCC: then OPER, DIAG)
cdef enum:
    C_CCDATE = 0
    C_DISDATE = 1
    C_DISMETH = 2
    C_CCUF = 3
    C_GESTLEN = 4
    C_PERWT = 5
    C_AGEDAYS = 6

# NRD scalar slots
cdef enum:
    R_MOD = 0
    R_SITE = 1
    R_ACCESS = 2
    R_HBV = 3
    R_HIV = 5
    R_AGE = 6

# rule variables, per logic (schema.LOGIC_VARIABLES)
cdef enum:
    VN_AGE = 0
    VN_FIRSTATT = 1
    VN_MULTIPROF = 2
cdef enum:
    VE_AGE = 0
    VE_INV = 1
    VE_TREAT = 2
    VE_DENTAL = 3
    VE_DEAD = 4
    VE_GROUP = 5
cdef enum:
    VA_ORGANS = 0
    VA_ARS = 1
    VA_UNIT = 2
    VA_DAYS = 3
cdef enum:
    VC_LEVEL = 0
    VC_UNIT = 1
    VC_CODES = 2
    VC_GESTATION = 3
    VC_WEIGHT = 4
    VC_AGE_DAYS = 5
cdef enum:
    VR_MODALITY = 0
    VR_SITE = 1
    VR_ACCESS = 2
    VR_BBV = 3
    VR_AGE = 4
    N_LOGIC_VARS = 6
