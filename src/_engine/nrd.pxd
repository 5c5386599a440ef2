# cython: language_level=3
"""Renal dialysis (NRD) logic: an LD (chronic kidney disease) or LE (acute kidney
injury) HRG per session from modality, supervision site, access, blood-borne virus
status and age, through the design's decision list. No rule → UZ01Z with UZ14."""

from libc.stdint cimport int32_t, int64_t
from buffers cimport EventBuf
from records cimport Ctx, Out, value_class, value_flag, assign, VF_POSITIVE
from record_fields cimport (R_MOD, R_SITE, R_ACCESS, R_HBV, R_HIV, R_AGE, VR_MODALITY, VR_SITE,
                            VR_ACCESS, VR_BBV, VR_AGE, N_LOGIC_VARS)


cdef inline void nrd_record(const Ctx* c, const int32_t* f, int32_t fatal, Out* o, int64_t i,
                            EventBuf* errs) noexcept nogil:
    cdef int32_t vars[N_LOGIC_VARS]
    cdef int32_t k
    for k in range(N_LOGIC_VARS):
        vars[k] = 0
    vars[VR_MODALITY] = value_class(&c.slots[R_MOD], f[R_MOD], 0)
    vars[VR_SITE] = value_class(&c.slots[R_SITE], f[R_SITE], 0)
    vars[VR_ACCESS] = value_class(&c.slots[R_ACCESS], f[R_ACCESS], 0)
    for k in range(R_HBV, R_HIV + 1):
        if value_flag(&c.slots[k], f[k], VF_POSITIVE):
            vars[VR_BBV] = 1
    vars[VR_AGE] = f[R_AGE] if f[R_AGE] >= 0 else -1
    assign(c, vars, vars[VR_AGE], fatal, o, i, errs)
