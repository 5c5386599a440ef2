# cython: language_level=3
"""CC score: the complexity-and-comorbidity weight of a record's secondary diagnoses.

Each secondary diagnosis adds its weight on the CC list of the HRG root's
subchapter, unless it repeats an earlier code or is excluded by the primary
diagnosis (same three-character category, or on the primary's exclusion list).
"""

from libc.stdint cimport int32_t, uint8_t, uint64_t
from tables cimport Design


cdef extern from *:
    """
    #include <stddef.h>
    /* The CC-score loop in C: every test zeroes the weight instead of branching on the
       data. Whether a code weighs anything in a subchapter is a coin toss per code, and
       the mispredicted branches cost more than this arithmetic (measured: ~80 more
       instructions but ~3 fewer mispredicts per episode, 8-10% less time). The
       loop-invariant tests are unswitched by the compiler. keys: (profile, category)
       pairs indexed by code id (blank and invalid ids read profile 0, which weighs 0
       everywhere); excl: the primary's exclusion bit row or NULL. Repeats are ruled out
       by a 64-bit filter of the counted codes (bit code & 63) before earlier positions
       are compared; a repeat of an uncounted code is never counted (the tests depend on
       the code alone). */
    static inline int32_t hrgfast_cc_sum(
            const int32_t* keys, const uint8_t* wcol, ptrdiff_t stride, int32_t primary,
            int same_cat, int32_t pcat, const uint64_t* excl, const int32_t* sec,
            int32_t nsec) {
        int32_t total = 0, i, j;
        uint64_t counted = 0;
        for (i = 0; i < nsec; i++) {
            int32_t s = sec[i];
            const int32_t* k = keys + 2 * (ptrdiff_t)s;
            int32_t w = wcol[(ptrdiff_t)k[0] * stride] & -(int32_t)(s != primary);
            if (same_cat)
                w &= -(int32_t)(k[1] != pcat);
            if (excl) {
                int32_t si = s & ~(s >> 31);         /* blank/invalid: any row, w is 0 */
                w &= (int32_t)((excl[si >> 6] >> (si & 63)) & 1) - 1;
            }
            uint64_t bit = (uint64_t)(w != 0) << (s & 63);
            if (counted & bit) {
                for (j = 0; j < i; j++)
                    if (sec[j] == s) { w = 0; bit = 0; break; }
            }
            counted |= bit;
            total += w;
        }
        return total;
    }
    """
    int32_t hrgfast_cc_sum(const int32_t* keys, const uint8_t* wcol, Py_ssize_t stride,
                           int32_t primary, bint same_cat, int32_t pcat, const uint64_t* excl,
                           const int32_t* sec, int32_t nsec) nogil


cdef inline int32_t cc_score(const Design* d, int32_t subch, int32_t primary,
                             const int32_t* sec, int32_t nsec) noexcept nogil:
    """Sum of CC weights of the valid codes in ``sec`` for subchapter ``subch``."""
    if d.n_dx == 0 or nsec <= 0:
        return 0
    cdef bint same_cat = d.cc_exclude_same_category and primary >= 0
    cdef int32_t pcat = d.dx[primary].category if primary >= 0 else -1
    cdef int32_t cls = d.dx[primary].excl_class if primary >= 0 else -1
    cdef const uint64_t* excl = d.excl_bits + <Py_ssize_t>cls * d.excl_words if cls >= 0 else NULL
    return hrgfast_cc_sum(<const int32_t*>(d.cc_key2 + 2), d.cc_weights + subch, d.n_subch,
                          primary, same_cat, pcat, excl, sec, nsec)
