# cython: language_level=3
"""CC score: the complexity-and-comorbidity weight of a record's secondary diagnoses.

Each secondary diagnosis adds its weight on the CC list of the HRG root's
subchapter, unless it repeats an earlier code or is excluded by the primary
diagnosis (same three-character category, or on the primary's exclusion list).
"""

from libc.stdint cimport int32_t, uint64_t
from tables cimport Design


cdef inline bint cc_excluded(const Design* d, int32_t primary, int32_t sec) noexcept nogil:
    if primary < 0:
        return False
    if d.cc_exclude_same_category and d.dx[sec].category == d.dx[primary].category:
        return True
    cdef int32_t cls = d.dx[primary].excl_class
    if cls < 0:
        return False
    cdef uint64_t word = d.excl_bits[<Py_ssize_t>cls * d.excl_words + (sec >> 6)]
    return (word >> (sec & 63)) & 1


cdef inline int32_t cc_score(const Design* d, int32_t subch, int32_t primary,
                             const int32_t* sec, int32_t nsec) noexcept nogil:
    """Sum of CC weights of the valid codes in ``sec`` for subchapter ``subch``."""
    cdef int32_t i, j, s, w, total = 0
    cdef bint dup
    for i in range(nsec):
        s = sec[i]
        if s < 0 or s == primary or d.dx[s].cc_profile == 0:   # profile 0: no weight anywhere
            continue
        w = d.cc_weights[<Py_ssize_t>d.dx[s].cc_profile * d.n_subch + subch]
        if w == 0 or cc_excluded(d, primary, s):
            continue
        dup = False
        for j in range(i):
            if sec[j] == s:
                dup = True
                break
        if not dup:
            total += w
    return total
