# cython: language_level=3
"""CC score: the complexity-and-comorbidity weight of a record's secondary diagnoses.

Each secondary diagnosis adds its weight on the CC list of the HRG root's
subchapter, unless it repeats an earlier code or is excluded by the primary
diagnosis (same three-character category, or on the primary's exclusion list).
"""

from libc.stdint cimport int32_t, uint8_t, uint64_t
from tables cimport Design, CcKey


cdef inline int32_t cc_score(const Design* d, int32_t subch, int32_t primary,
                             const int32_t* sec, int32_t nsec) noexcept nogil:
    """Sum of CC weights of the valid codes in ``sec`` for subchapter ``subch``.

    Repeats are rare, so a 64-bit filter of the counted codes (bit ``code & 63``) rules
    most of them out before any earlier position is compared."""
    cdef int32_t i, j, s, w, total = 0
    cdef uint64_t counted = 0, bit
    cdef bint dup
    cdef const CcKey* key
    cdef const CcKey* keys = d.cc_key2 + 2        # blank/invalid: profile 0, no weight
    cdef const uint8_t* wcol = d.cc_weights + subch
    cdef Py_ssize_t stride = d.n_subch
    cdef bint same_cat = d.cc_exclude_same_category and primary >= 0
    cdef int32_t pcat = d.dx[primary].category if primary >= 0 else -1
    cdef int32_t cls = d.dx[primary].excl_class if primary >= 0 else -1
    cdef const uint64_t* excl = d.excl_bits + <Py_ssize_t>cls * d.excl_words if cls >= 0 else NULL
    for i in range(nsec):
        s = sec[i]
        key = &keys[s]
        w = wcol[key.profile * stride]
        if w == 0 or s == primary:
            continue
        if same_cat and key.category == pcat:
            continue
        if excl != NULL and (excl[s >> 6] >> (s & 63)) & 1:
            continue
        bit = (<uint64_t>1) << (s & 63)
        if counted & bit:           # maybe a repeat (a repeat of an uncounted code is
            dup = False             # never counted: the tests above depend on the code only)
            for j in range(i):
                if sec[j] == s:
                    dup = True
                    break
            if dup:
                continue
        counted |= bit
        total += w
    return total
