# cython: language_level=3
"""Rule evaluation: ordered decision lists of (variable, low, high) conditions.

Splits, core-logic root choices and global exceptions all compile to rules in one
pool; a rule holds when every one of its conditions holds, and a decision list
takes the first rule that holds.
"""

from libc.stdint cimport int32_t, int64_t
from tables cimport Design, SplitIndex, SPLIT_GENERIC


cdef inline bint rule_holds(const Design* d, int32_t rule, const int32_t* vars) noexcept nogil:
    cdef int32_t k, v
    for k in range(d.rule_cond_start[rule], d.rule_cond_start[rule + 1]):
        v = vars[d.cond[k].var]
        if v < d.cond[k].lo or v > d.cond[k].hi:
            return False
    return True


cdef inline int32_t first_rule(const Design* d, int32_t start, int32_t stop,
                               const int32_t* vars) noexcept nogil:
    """Index of the first rule in [start, stop) that holds, or -1."""
    cdef int32_t r
    for r in range(start, stop):
        if rule_holds(d, r, vars):
            return r
    return -1


cdef inline int32_t _segment(const int32_t* tab, int32_t base, int32_t nvals,
                             int32_t v) noexcept nogil:
    """The segment of value v on one axis of a split look-up (no branch)."""
    cdef int64_t k = <int64_t>v - base
    k = -1 if k < -1 else k
    k = nvals if k > nvals else k
    return tab[k + 1]


cdef inline int32_t choose_split(const Design* d, int32_t root, const int32_t* vars,
                                 int32_t* rule_out) noexcept nogil:
    """The HRG the root's split rules give for ``vars``; -1 if the root has no rules.

    Roots whose rules test at most two variables read the first rule holding from their
    look-up (tables.SplitIndex): no data-dependent branch, where trying the rules in
    turn mispredicts about once a record."""
    cdef const SplitIndex* x = &d.split[root]
    cdef int32_t r, ix, iy
    if x.var_x == SPLIT_GENERIC:
        r = first_rule(d, d.root_rule_start[root], d.root_rule_start[root + 1], vars)
    else:
        ix = _segment(d.split_tab + x.tx, x.x0, x.nxv, vars[x.var_x])
        iy = _segment(d.split_tab + x.ty, x.y0, x.nyv, vars[x.var_y])
        r = d.split_tab[x.cells + ix * x.ny + iy]
    rule_out[0] = r
    return d.rule_target[r] if r >= 0 else -1


cdef inline int32_t core_logic_root(const Design* d, int logic, const int32_t* vars,
                                    int32_t* rule_out) noexcept nogil:
    """The root a core logic (multiple trauma, burns) chooses, or -1 if no rule holds."""
    cdef int32_t r = first_rule(d, d.core_rule_start[logic], d.core_rule_start[logic + 1], vars)
    rule_out[0] = r
    return d.rule_target[r] if r >= 0 else -1
