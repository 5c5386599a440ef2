# cython: language_level=3
"""Column slots of the APC scalar field matrix (mirrored by hrgfast/apc/fields.py)."""

cdef enum:
    F_PROCODET = 0           # presence only: 0 present, CODE_BLANK blank
    F_PROVSPNO = 1           # presence only
    F_EPIORDER = 2           # integer
    F_STARTAGE = 3           # integer
    F_SEX = 4                # enumerated (value id)
    F_CLASSPAT = 5
    F_ADMISORC = 6
    F_ADMIMETH = 7
    F_DISDEST = 8
    F_DISMETH = 9
    F_EPIDUR = 10            # integer
    F_MAINSPEF = 11
    F_NEOCARE = 12           # enumerated, optional
    F_TRETSPEF = 13
    F_CCDAYS = 14            # integers, optional (blank = 0)
    F_REHABDAYS = 15
    F_SPCDAYS = 16
    APC_NF = 17
