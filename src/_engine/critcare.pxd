# cython: language_level=3
"""Paediatric (PCC) and neonatal (NCC) critical care logics: one HRG per critical care
day (XB for PCC, XA for NCC), from the highest level of the day's activity codes and,
for NCC, gestation, weight and age through the design's decision list.

Days arrive sorted by PROCODET + CCLocalID and activity date. A change of unit
function (CCUF) from one day to the next starts a new critical care period, so on the
day of a transfer the two records of that date (one per unit) both keep their HRG — the
one in the previous day's unit belongs to the running period, the other starts the
next, whatever their input order; the same date twice in one unit is a duplicated day
and is UZ01Z (hrgfast's reading).
An NCC activity code the design flags as inappropriate for the neonatal algorithm is
UZ21; an NCC day that meets no rule is UZ11.
"""

from libc.stdint cimport int32_t, int64_t
from codes cimport INT_BLANK, INT_BAD
from buffers cimport EventBuf, buf_push
from messages cimport M_UZ21, M_AFTER_DISCHARGE, M_DAY_DUPLICATE
from records cimport (Ctx, Out, Slot, value_class, value_flag, validate_slots, assign,
                      VF_INAPPROPRIATE)
from record_fields cimport (L_NCC, C_CCDATE, C_DISDATE, C_CCUF, C_GESTLEN, C_PERWT, C_AGEDAYS,
                            VC_LEVEL, VC_UNIT, VC_CODES, VC_GESTATION, VC_WEIGHT, VC_AGE_DAYS,
                            N_LOGIC_VARS)


cdef inline void cc_day(const Ctx* c, const int32_t* f, int32_t fatal, Out* o, int64_t i,
                        EventBuf* errs) noexcept nogil:
    cdef int32_t vars[N_LOGIC_VARS]
    cdef int32_t k, v, cls, level = 0, codes = 0
    cdef int32_t s0 = c.rep_start[0]
    cdef const Slot* s = &c.slots[s0] if c.rep_count[0] else NULL
    cdef bint neonatal = c.logic == L_NCC
    for k in range(s0, s0 + c.rep_count[0]):
        v = f[k]
        if v < 0:
            continue
        codes += 1
        cls = value_class(s, v, 0)
        if cls > level:
            level = cls
        if neonatal and value_flag(s, v, VF_INAPPROPRIATE):
            buf_push(errs, i, c.slots[k].code, M_UZ21, True)
            fatal += 1
    for k in range(N_LOGIC_VARS):
        vars[k] = 0
    vars[VC_LEVEL] = level
    vars[VC_UNIT] = value_class(&c.slots[C_CCUF], f[C_CCUF], 0)
    vars[VC_CODES] = codes
    if neonatal:
        vars[VC_GESTATION] = f[C_GESTLEN] if f[C_GESTLEN] >= 0 else -1
        vars[VC_WEIGHT] = f[C_PERWT] if f[C_PERWT] >= 0 else -1
        vars[VC_AGE_DAYS] = f[C_AGEDAYS] if f[C_AGEDAYS] >= 0 else -1
    assign(c, vars, -1, fatal, o, i, errs)


cdef inline bint _date_ok(const Slot* s, int32_t v) noexcept nogil:
    return v != INT_BLANK and v != INT_BAD and s.lo <= v <= s.hi


cdef inline void _periods(const Ctx* c, const int64_t* order, int64_t lo, int64_t hi,
                          Out* o) noexcept nogil:
    """Number the critical care periods of days [lo, hi) into ``o.period``, negated for a
    duplicated day. Within one date the record in the previous day's unit comes first,
    so a transfer day starts exactly one new period whatever the input order; the same
    unit twice on one date is a duplicate."""
    cdef int64_t i = lo, j, k, m
    cdef int32_t date, unit, period = 0, cur = -2147483647 - 1, prev_unit
    cdef bint started = False, dup, same
    cdef const int32_t* f
    cdef int which
    while i < hi:
        date = (c.fields + order[i] * c.nslots)[C_CCDATE]
        j = i + 1
        while j < hi and (c.fields + order[j] * c.nslots)[C_CCDATE] == date:
            j += 1
        prev_unit = cur
        for which in range(2):            # the previous day's unit first, then the others
            for k in range(i, j):
                f = c.fields + order[k] * c.nslots
                unit = f[C_CCUF]
                same = started and unit == prev_unit
                if (which == 0) != same:
                    continue
                dup = False
                if _date_ok(&c.slots[C_CCDATE], date):
                    for m in range(i, k):
                        if (c.fields + order[m] * c.nslots)[C_CCUF] == unit:
                            dup = True      # belongs to that record's period
                            o.period[k] = -(o.period[m] if o.period[m] > 0 else -o.period[m])
                            break
                if dup:
                    continue
                if not started or unit != cur:
                    period += 1
                    cur = unit
                    started = True
                o.period[k] = period
        i = j


cdef inline void cc_days(const Ctx* c, const int64_t* order, int64_t lo, int64_t hi, Out* o,
                         EventBuf* errs) noexcept nogil:
    """The days [lo, hi) of one PROCODET + CCLocalID, in date order."""
    cdef int64_t i
    cdef int32_t fatal
    cdef const int32_t* f
    _periods(c, order, lo, hi, o)
    for i in range(lo, hi):
        f = c.fields + order[i] * c.nslots
        fatal = validate_slots(c, f, errs, i)
        if _date_ok(&c.slots[C_CCDATE], f[C_CCDATE]) and _date_ok(&c.slots[C_DISDATE],
                                                                  f[C_DISDATE]) \
                and f[C_CCDATE] > f[C_DISDATE]:
            buf_push(errs, i, C_CCDATE, M_AFTER_DISCHARGE, True)
            fatal += 1
        if o.period[i] < 0:
            o.period[i] = -o.period[i]
            buf_push(errs, i, C_CCDATE, M_DAY_DUPLICATE, True)
            fatal += 1
        cc_day(c, f, fatal, o, i, errs)
