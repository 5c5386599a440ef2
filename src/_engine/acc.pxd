# cython: language_level=3
"""Adult critical care (ACC) logic: XC01Z-XC07Z from the number of organ systems
supported, plus Calc_CC_Days and CC_Warning_Flag exactly as published:

Calc_CC_Days = CC_Discharge_Date - CC_Start_Date + 1, or -1 when a date is blank,
invalid or the discharge precedes the start. CC_Warning_Flag = 'F' when Calc_CC_Days is
-1, CCL2D + CCL3D > Calc_CC_Days, ARSD + BRSD > Calc_CC_Days, or ARSD + BRSD >
CCL2D + CCL3D; blank otherwise. The warning never blocks the HRG.
"""

from libc.stdint cimport int32_t, int64_t, uint32_t
from buffers cimport EventBuf
from codes cimport INT_BLANK, INT_BAD
from records cimport Ctx, Out, Slot, value_class, numeric, assign
from record_fields cimport (A_CCUF, A_BCSD, A_BRSD, A_ARSD, A_CCL2D, A_CCL3D, A_START, A_DISCH,
                            A_N_SUPPORT, VA_ORGANS, VA_ARS, VA_UNIT, VA_DAYS, N_LOGIC_VARS)


cdef inline int32_t calc_cc_days(const Slot* s, int32_t start, int32_t disch) noexcept nogil:
    """-1 unless both dates are valid (``s``: the date slots' range) and in order."""
    if start == INT_BLANK or start == INT_BAD or disch == INT_BLANK or disch == INT_BAD \
            or start < s.lo or start > s.hi or disch < s.lo or disch > s.hi or disch < start:
        return -1
    return disch - start + 1


cdef inline bint cc_warning(const int32_t* f, int32_t days) noexcept nogil:
    cdef int32_t levels = numeric(f[A_CCL2D]) + numeric(f[A_CCL3D])
    cdef int32_t resp = numeric(f[A_ARSD]) + numeric(f[A_BRSD])
    return days == -1 or levels > days or resp > days or resp > levels


cdef inline void acc_record(const Ctx* c, const int32_t* f, int32_t fatal, Out* o, int64_t i,
                            EventBuf* errs) noexcept nogil:
    cdef int32_t vars[N_LOGIC_VARS]
    cdef int32_t k, system, organs = 0
    cdef uint32_t seen = 0
    for k in range(N_LOGIC_VARS):
        vars[k] = 0
    for k in range(A_N_SUPPORT):
        system = c.acc_organ[k]
        if system >= 0 and numeric(f[A_BCSD + k]) > 0 and not (seen >> system) & 1:
            seen |= (<uint32_t>1) << system
            organs += 1
    o.calc_days[i] = calc_cc_days(&c.slots[A_START], f[A_START], f[A_DISCH])
    o.warn[i] = 70 if cc_warning(f, o.calc_days[i]) else 0    # 'F'
    vars[VA_ORGANS] = organs
    vars[VA_ARS] = numeric(f[A_ARSD]) > 0
    vars[VA_UNIT] = value_class(&c.slots[A_CCUF], f[A_CCUF], 0)
    vars[VA_DAYS] = o.calc_days[i]
    assign(c, vars, -1, fatal, o, i, errs)
