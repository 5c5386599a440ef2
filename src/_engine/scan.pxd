# cython: language_level=3
"""One pass over a record's code slots, so later passes can be skipped.

Most slots are blank and most codes need nothing special; the OR of the per-code flag
bits says whether any global-exception, burn, trauma, unbundling or significant
procedure code is present, and whether any slot holds an invalid code.
"""

from libc.stdint cimport int32_t, uint8_t, uint64_t
from tables cimport Design, CODE_FLAG_INVALID, DX_GX, PX_GX

cdef extern from *:
    """
    #if defined(__SSE2__) || defined(_M_X64)
    #include <emmintrin.h>
    #endif
    /* Slots up to the last non-blank (-1) one. Blank tails are long (most DIAG/OPER
       fields are empty), so with SSE2 four slots are compared at once into a bit mask
       of non-blank slots and the count is found from its highest bit. */
    #if (defined(__SSE2__) || defined(_M_X64)) && defined(__GNUC__)
    /* 4 <= n <= 64; inlined with a constant n the loop unrolls and the shifts fold */
    static inline __attribute__((always_inline)) int32_t hrgfast_used_fixed(
            const int32_t* codes, int32_t n) {
        const __m128i blank = _mm_set1_epi32(-1);
        unsigned long long m = 0;
        int32_t i;
        #define HRGFAST_NB(o) ((unsigned long long)(~_mm_movemask_ps(_mm_castsi128_ps( \
            _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i*)(codes + (o))), blank))) & 15) << (o))
        for (i = 0; i + 4 < n; i += 4)
            m |= HRGFAST_NB(i);
        m |= HRGFAST_NB(n - 4);   /* the last four, overlapping: no scalar tail */
        #undef HRGFAST_NB
        return m ? 64 - __builtin_clzll(m) : 0;
    }
    #endif
    static inline int32_t hrgfast_used_slots(const int32_t* codes, int32_t n) {
    #if (defined(__SSE2__) || defined(_M_X64)) && defined(__GNUC__)
        switch (n) {   /* the usual field counts, each with a fully unrolled body */
        case 12: return hrgfast_used_fixed(codes, 12);
        case 14: return hrgfast_used_fixed(codes, 14);
        case 20: return hrgfast_used_fixed(codes, 20);
        case 24: return hrgfast_used_fixed(codes, 24);
        default:
            if (n >= 4 && n <= 64)
                return hrgfast_used_fixed(codes, n);
        }
    #endif
        while (n > 0 && codes[n - 1] == -1)
            n--;
        return n;
    }
    /* Index of the lowest set bit of a non-zero word. */
    static inline int32_t hrgfast_ctz64(unsigned long long m) {
    #if defined(__GNUC__)
        return __builtin_ctzll(m);
    #else
        int32_t i = 0;
        while (!(m & 1)) { m >>= 1; i++; }
        return i;
    #endif
    }
    """
    int32_t hrgfast_used_slots(const int32_t* codes, int32_t n) nogil
    int32_t hrgfast_ctz64(uint64_t m) nogil


cdef inline int32_t used(const int32_t* codes, int32_t n) noexcept nogil:
    """Slots up to the last non-blank one: rows rarely fill every DIAG/OPER field."""
    return hrgfast_used_slots(codes, n)


ctypedef struct Scan:
    uint8_t dx_or            # OR of the flags of the valid diagnoses
    uint8_t px_or            # OR of the flags of the valid procedures
    bint dx_invalid          # an invalid code in a secondary position
    bint px_invalid          # an invalid code in any procedure position
    uint64_t gx[2]           # bit i: diagnosis ([0]) / procedure ([1]) slot i (< 64)
                             # holds a code with global exceptions


cdef inline void scan_codes(const Design* d, const int32_t* dx, int32_t nd, const int32_t* px,
                            int32_t np, Scan* s) noexcept nogil:
    """Branch-free: blank slots read flags 0, invalid ones CODE_FLAG_INVALID (flags2)."""
    cdef int32_t i
    cdef const uint8_t* dxf = d.dx_flags2 + 2
    cdef const uint8_t* pxf = d.px_flags2 + 2
    cdef uint8_t first = dxf[dx[0]] if nd > 0 else 0, rest = 0, por = 0, f
    cdef uint64_t dgx = (first & DX_GX) != 0, pgx = 0
    for i in range(1, nd):
        f = dxf[dx[i]]
        rest |= f
        dgx |= <uint64_t>((f & DX_GX) != 0) << (i & 63)
    for i in range(np):
        f = pxf[px[i]]
        por |= f
        pgx |= <uint64_t>((f & PX_GX) != 0) << (i & 63)
    s.dx_or = (first | rest) & ~CODE_FLAG_INVALID
    s.px_or = por & ~CODE_FLAG_INVALID
    s.dx_invalid = (rest & CODE_FLAG_INVALID) != 0     # the primary is validated apart
    s.px_invalid = (por & CODE_FLAG_INVALID) != 0
    s.gx[0] = dgx
    s.gx[1] = pgx
