# cython: language_level=3
"""A&E (EM) logic: one VB HRG per attendance from its highest investigation and
treatment categories; patients brought in dead (patient group 70) are VB99Z.

Every variable is computed afresh from the record itself: the 2014/15 official grouper
let a patient group of 70 leak into the following records with a blank group, and
nothing here carries state from one record to the next.
"""

from libc.stdint cimport int32_t, int64_t
from buffers cimport EventBuf
from records cimport Ctx, Out, Slot, value_class, value_flag, assign, VF_DENTAL, VF_DEAD
from record_fields cimport (E_AGE, E_GROUP, VE_AGE, VE_INV, VE_TREAT, VE_DENTAL, VE_DEAD,
                            VE_GROUP, N_LOGIC_VARS)


cdef inline int32_t _highest(const Ctx* c, const int32_t* f, int g, bint* dental) noexcept nogil:
    """Highest class over a repeated group (0 when empty); notes any dental value."""
    cdef int32_t k, v, cls, best = 0
    cdef int32_t s0 = c.rep_start[g]
    cdef const Slot* s = &c.slots[s0] if c.rep_count[g] else NULL
    for k in range(s0, s0 + c.rep_count[g]):
        v = f[k]
        if v < 0:
            continue
        cls = value_class(s, v, 0)
        if cls > best:
            best = cls
        if value_flag(s, v, VF_DENTAL):
            dental[0] = True
    return best


cdef inline void em_record(const Ctx* c, const int32_t* f, int32_t fatal, Out* o, int64_t i,
                           EventBuf* errs) noexcept nogil:
    cdef int32_t vars[N_LOGIC_VARS]
    cdef bint dental = False
    cdef int32_t k
    for k in range(N_LOGIC_VARS):
        vars[k] = 0
    vars[VE_AGE] = f[E_AGE] if f[E_AGE] >= 0 else -1
    vars[VE_INV] = _highest(c, f, 0, &dental)
    vars[VE_TREAT] = _highest(c, f, 1, &dental)
    vars[VE_DENTAL] = dental
    vars[VE_DEAD] = value_flag(&c.slots[E_GROUP], f[E_GROUP], VF_DEAD)
    vars[VE_GROUP] = value_class(&c.slots[E_GROUP], f[E_GROUP], 0)
    assign(c, vars, vars[VE_AGE], fatal, o, i, errs)
