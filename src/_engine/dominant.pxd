# cython: language_level=3
"""Dominant procedure: the highest-hierarchy procedure that may drive grouping.

Codes with hierarchy 0 (OPCS Y/Z method and site codes, unbundled-only codes such
as imaging or chemotherapy, anything the design leaves unranked) never compete. Ties
go to the earlier coding position. The same pass counts the distinct significant
procedures and interventions that split conditions can test.
"""

from libc.stdint cimport int32_t, uint64_t
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
    """One pass with few data-dependent branches: the best-so-far updates are selects,
    and repeats are ruled out by a 64-bit filter of the counted codes (bit ``code & 63``)
    before earlier positions are compared."""
    cdef int32_t i, c, ci, h, best = 0, dominant = -1, index = -1, procedures = 0
    cdef int32_t interventions = 0, interv, counts
    cdef bint better
    cdef uint64_t seen = 0, bit
    for i in range(n):
        c = px[i]
        ci = c & ~(c >> 31)                     # a readable row for blank/invalid slots
        h = d.px[ci].hierarchy & -(<int32_t>(c >= 0))
        interv = ((d.px[ci].flags & PX_INTERVENTION) != 0) & (c >= 0)
        better = h > best
        best = h if better else best
        dominant = c if better else dominant
        index = i if better else index
        counts = (h > 0) | interv
        bit = (<uint64_t>counts) << (c & 63)
        if seen & bit and _seen_before(px, i):  # a repeat counts once
            continue
        seen |= bit
        procedures += h > 0
        interventions += interv
    out.dominant = dominant
    out.index = index
    out.procedures = procedures
    out.interventions = interventions
