# cython: language_level=3
"""Dominant procedure: the highest-hierarchy procedure that may drive grouping.

Codes with hierarchy 0 (OPCS Y/Z method and site codes, unbundled-only codes such
as imaging or chemotherapy, anything the design leaves unranked) never compete. Ties
go to the earlier coding position. The same pass counts the distinct significant
procedures and interventions that split conditions can test.
"""

from libc.stdint cimport int32_t
from tables cimport Design, PX_INTERVENTION


ctypedef struct ProcSummary:
    int32_t dominant        # procedure code id, -1 if none
    int32_t index           # its position in the list, -1 if none
    int32_t procedures      # distinct codes with hierarchy > 0
    int32_t interventions   # distinct codes flagged as interventions


cdef inline bint _seen_before(const int32_t* px, int32_t i) noexcept nogil:
    cdef int32_t j
    for j in range(i):
        if px[j] == px[i]:
            return True
    return False


cdef inline void summarise_procedures(const Design* d, const int32_t* px, int32_t n,
                                      ProcSummary* out) noexcept nogil:
    cdef int32_t i, c, h, best = 0
    out.dominant = -1
    out.index = -1
    out.procedures = 0
    out.interventions = 0
    for i in range(n):
        c = px[i]
        if c < 0:
            continue
        h = d.px[c].hierarchy
        if h > best:
            best = h
            out.dominant = c
            out.index = i
        if h > 0 or d.px[c].flags & PX_INTERVENTION:
            if _seen_before(px, i):
                continue
            if h > 0:
                out.procedures += 1
            if d.px[c].flags & PX_INTERVENTION:
                out.interventions += 1
