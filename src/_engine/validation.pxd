# cython: language_level=3
"""APC episode validation: valid values, blanks and the clinical-coding UZ categories.

Every failing check appends a quality message (all errors are listed, validation
never stops early) and makes the episode UZ01Z, including a code that is not in the
design in any diagnosis or procedure position.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t
from tables cimport (Design, DX_MAPPED, DX_BURN, DX_PRIMARY_CHECK, BURN_REGION, BURN_REGION_DEEP, BURN_TBSA,
                     BURN_UNSPECIFIED)
from scan cimport Scan
from codes cimport CODE_BLANK, CODE_INVALID, INT_BLANK, INT_BAD
from buffers cimport EventBuf, buf_push
from messages cimport (M_BLANK, M_INVALID, M_PRIMARY_BLANK, M_DIAG_INVALID, M_PROC_INVALID,
                       M_UZ01, M_UZ02, M_UZ03, M_UZ04, M_UZ05, M_UZ15, M_DIAG_UNMAPPED,
                       FIELD_DIAG, FIELD_OPER)
from apc_fields cimport (F_PROCODET, F_PROVSPNO, F_EPIORDER, F_STARTAGE, F_SEX, F_CLASSPAT,
                         F_ADMISORC, F_ADMIMETH, F_DISDEST, F_DISMETH, F_EPIDUR, F_MAINSPEF,
                         F_NEOCARE, F_TRETSPEF, F_CCDAYS, F_REHABDAYS, F_SPCDAYS)


cdef inline int32_t _err(EventBuf* errs, int64_t row, int32_t field, int32_t msg,
                         bint fatal) noexcept nogil:
    buf_push(errs, row, field, msg, fatal)
    return 1 if fatal else 0


cdef inline int32_t _check_enum(EventBuf* errs, int64_t row, const int32_t* f, int32_t slot,
                                bint required) noexcept nogil:
    if f[slot] == CODE_BLANK:
        return _err(errs, row, slot, M_BLANK, True) if required else 0
    if f[slot] == CODE_INVALID:
        return _err(errs, row, slot, M_INVALID, True)
    return 0


cdef inline int32_t _check_int(EventBuf* errs, int64_t row, const int32_t* f, int32_t slot,
                               int32_t lo, int32_t hi, bint required) noexcept nogil:
    cdef int32_t v = f[slot]
    if v == INT_BLANK:
        return _err(errs, row, slot, M_BLANK, True) if required else 0
    if v == INT_BAD or v < lo or v > hi:
        return _err(errs, row, slot, M_INVALID, True)
    return 0


cdef inline bint age_valid(int32_t age) noexcept nogil:
    return 0 <= age <= 130 or age == 999


cdef inline bint _days_ok(int32_t v) noexcept nogil:
    return <uint32_t>v <= 99999 or v == INT_BLANK


cdef extern from *:
    """
    #if defined(__SSE2__) || defined(_M_X64)
    #include <emmintrin.h>
    /* Bit k set: scalar field k (k < 16) is negative (blank, invalid or a bad integer). */
    static inline unsigned hrgfast_negative_fields(const int32_t* f) {
        return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_loadu_si128((const __m128i*)f)))
            | (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_loadu_si128((const __m128i*)(f + 4)))) << 4
            | (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_loadu_si128((const __m128i*)(f + 8)))) << 8
            | (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_loadu_si128((const __m128i*)(f + 12)))) << 12;
    }
    #else
    static inline unsigned hrgfast_negative_fields(const int32_t* f) {
        unsigned m = 0;
        for (int k = 0; k < 16; k++)
            m |= (unsigned)(f[k] < 0) << k;
        return m;
    }
    #endif
    """
    uint32_t hrgfast_negative_fields(const int32_t* f) nogil


cdef enum:
    # fields that must hold a valid (non-negative) value or id: all of the first 16 but
    # NEOCARE (optional), CCDAYS and REHABILITATIONDAYS (optional integers)
    _REQUIRED_MASK = 0xffff & ~((1 << F_NEOCARE) | (1 << F_CCDAYS) | (1 << F_REHABDAYS))


cdef inline bint fields_ok(const int32_t* f) noexcept nogil:
    """The common case in one expression: every scalar field present and valid (the sign
    bits of the first 16 fields are tested at once, then the ranges)."""
    return ((hrgfast_negative_fields(f) & _REQUIRED_MASK) == 0
            and <uint32_t>(f[F_EPIORDER] - 1) <= 96
            and (<uint32_t>f[F_STARTAGE] <= 130 or f[F_STARTAGE] == 999)
            and f[F_NEOCARE] >= -1
            and <uint32_t>f[F_EPIDUR] <= 99999 and _days_ok(f[F_CCDAYS])
            and _days_ok(f[F_REHABDAYS]) and _days_ok(f[F_SPCDAYS]))


cdef inline int32_t validate_episode(const Design* d, const int32_t* f, const int32_t* dx,
                                     int32_t nd, const int32_t* px, int32_t np,
                                     const Scan* scan, EventBuf* errs, int64_t row) noexcept nogil:
    """Append this episode's quality messages; return the number of fatal ones."""
    cdef int32_t fatal = 0, i, j, c, p, age, burn
    cdef bint covered
    p = dx[0] if nd > 0 else CODE_BLANK
    if (fields_ok(f) and p >= 0
            and (d.dx[p].flags & (DX_MAPPED | DX_PRIMARY_CHECK)) == DX_MAPPED
            and not scan.dx_invalid and not scan.px_invalid and not scan.dx_or & DX_BURN
            and not (np > 0 and px[0] >= 0 and d.px[px[0]].error == 5)):
        return 0
    if f[F_PROCODET] == CODE_BLANK:
        fatal += _err(errs, row, F_PROCODET, M_BLANK, True)
    if f[F_PROVSPNO] == CODE_BLANK:
        fatal += _err(errs, row, F_PROVSPNO, M_BLANK, True)
    fatal += _check_int(errs, row, f, F_EPIORDER, 1, 97, True)
    age = f[F_STARTAGE]
    if age == INT_BLANK:
        fatal += _err(errs, row, F_STARTAGE, M_BLANK, True)
    elif not age_valid(age):
        fatal += _err(errs, row, F_STARTAGE, M_INVALID, True)
    for i in range(F_SEX, F_DISMETH + 1):       # SEX, CLASSPAT, ADMISORC, ADMIMETH, DISDEST, DISMETH
        fatal += _check_enum(errs, row, f, i, True)
    fatal += _check_enum(errs, row, f, F_MAINSPEF, True)
    fatal += _check_enum(errs, row, f, F_TRETSPEF, True)
    fatal += _check_enum(errs, row, f, F_NEOCARE, False)
    fatal += _check_int(errs, row, f, F_EPIDUR, 0, 99999, True)
    for i in range(F_CCDAYS, F_SPCDAYS + 1):    # critical care, rehabilitation, SPC days
        fatal += _check_int(errs, row, f, i, 0, 99999, False)

    p = dx[0] if nd > 0 else CODE_BLANK
    if p == CODE_BLANK:
        fatal += _err(errs, row, FIELD_DIAG + 1, M_PRIMARY_BLANK, True)
    elif p == CODE_INVALID:
        fatal += _err(errs, row, FIELD_DIAG + 1, M_DIAG_INVALID, True)
    else:
        if not d.dx[p].flags & DX_MAPPED:
            fatal += _err(errs, row, FIELD_DIAG + 1, M_DIAG_UNMAPPED, True)
        if d.dx[p].primary_error == 1:
            fatal += _err(errs, row, FIELD_DIAG + 1, M_UZ01, True)
        elif d.dx[p].primary_error == 2:
            fatal += _err(errs, row, FIELD_DIAG + 1, M_UZ02, True)
        elif d.dx[p].primary_error == 4:
            fatal += _err(errs, row, FIELD_DIAG + 1, M_UZ04, True)
        if 0 <= age <= 130 and (age < d.dx[p].age_min or age > d.dx[p].age_max):
            fatal += _err(errs, row, FIELD_DIAG + 1, M_UZ03, True)
        burn = d.dx[p].burn
        if burn == BURN_UNSPECIFIED or burn == BURN_TBSA:
            fatal += _err(errs, row, FIELD_DIAG + 1, M_UZ15, True)
    if scan.dx_invalid:
        for i in range(1, nd):
            if dx[i] == CODE_INVALID:
                fatal += _err(errs, row, FIELD_DIAG + 1 + i, M_DIAG_INVALID, True)
    # a burn of a body region must be followed by a body-surface-area (TBSA) code
    for i in range(nd if scan.dx_or & DX_BURN else 0):
        c = dx[i]
        if c < 0:
            continue
        burn = d.dx[c].burn
        if burn != BURN_REGION and burn != BURN_REGION_DEEP:
            continue
        covered = False
        for j in range(i + 1, nd):
            if dx[j] >= 0 and d.dx[dx[j]].burn == BURN_TBSA:
                covered = True
                break
        if not covered:
            fatal += _err(errs, row, FIELD_DIAG + 1 + i, M_UZ15, True)

    if scan.px_invalid:
        for j in range(np):
            if px[j] == CODE_INVALID:
                fatal += _err(errs, row, FIELD_OPER + 1 + j, M_PROC_INVALID, True)
    if np > 0 and px[0] >= 0 and d.px[px[0]].error == 5:
        fatal += _err(errs, row, FIELD_OPER + 1, M_UZ05, True)
    return fatal
