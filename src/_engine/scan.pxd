# cython: language_level=3
"""One pass over a record's code slots, so later passes can be skipped.

Most slots are blank and most codes need nothing special; the OR of the per-code flag
bits says whether any global-exception, burn, trauma, unbundling or significant
procedure code is present, and whether any slot holds an invalid code.
"""

from libc.stdint cimport int32_t, uint8_t
from tables cimport Design
from codes cimport CODE_INVALID

cdef extern from *:
    """
    #if defined(__SSE2__) || defined(_M_X64)
    #include <emmintrin.h>
    #endif
    /* Slots up to the last non-blank (-1) one. Blank tails are long (most DIAG/OPER
       fields are empty), so with SSE2 four slots are compared at once into a bit mask
       of non-blank slots and the count is found from its highest bit. */
    static inline int32_t hrgfast_used_slots(const int32_t* codes, int32_t n) {
    #if (defined(__SSE2__) || defined(_M_X64)) && defined(__GNUC__)
        if (n >= 4 && n <= 64) {
            unsigned long long m = 0;
            int32_t i = 0;
            const __m128i blank = _mm_set1_epi32(-1);
            __m128i v;
            for (; i + 4 < n; i += 4) {
                v = _mm_loadu_si128((const __m128i*)(codes + i));
                m |= (unsigned long long)(~_mm_movemask_ps(_mm_castsi128_ps(
                        _mm_cmpeq_epi32(v, blank))) & 15) << i;
            }
            /* the last four slots, overlapping the previous block: no scalar tail */
            v = _mm_loadu_si128((const __m128i*)(codes + n - 4));
            m |= (unsigned long long)(~_mm_movemask_ps(_mm_castsi128_ps(
                    _mm_cmpeq_epi32(v, blank))) & 15) << (n - 4);
            return m ? 64 - __builtin_clzll(m) : 0;
        }
    #endif
        while (n > 0 && codes[n - 1] == -1)
            n--;
        return n;
    }
    """
    int32_t hrgfast_used_slots(const int32_t* codes, int32_t n) nogil


cdef inline int32_t used(const int32_t* codes, int32_t n) noexcept nogil:
    """Slots up to the last non-blank one: rows rarely fill every DIAG/OPER field."""
    return hrgfast_used_slots(codes, n)


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
