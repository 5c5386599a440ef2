# cython: language_level=3
"""One pass over a record's code slots, so later passes can be skipped.

Most slots are blank and most codes need nothing special; the OR of the per-code flag
bits says whether any global-exception, burn, trauma, unbundling or significant
procedure code is present, and whether any slot holds an invalid code.
"""

from libc.stdint cimport int32_t, uint8_t
from tables cimport Design
from codes cimport CODE_INVALID


ctypedef struct Scan:
    uint8_t dx_or            # OR of the flags of the valid diagnoses
    uint8_t px_or            # OR of the flags of the valid procedures
    bint dx_invalid          # an invalid code in a secondary position
    bint px_invalid          # an invalid code in any procedure position


cdef inline void scan_codes(const Design* d, const int32_t* dx, int32_t nd, const int32_t* px,
                            int32_t np, Scan* s) noexcept nogil:
    cdef int32_t i, c
    cdef uint8_t dor = 0, por = 0
    cdef bint dbad = False, pbad = False
    for i in range(nd):
        c = dx[i]
        if c >= 0:
            dor |= d.dx[c].flags
        elif c == CODE_INVALID and i > 0:
            dbad = True
    for i in range(np):
        c = px[i]
        if c >= 0:
            por |= d.px[c].flags
        elif c == CODE_INVALID:
            pbad = True
    s.dx_or = dor
    s.px_or = por
    s.dx_invalid = dbad
    s.px_invalid = pbad
