# cython: language_level=3
"""Core HRG of one admitted-care record (an episode, or a spell seen as one record).

Order of the core logic (HRG4+ concept, our reading of it; see docs/grouping.md):
global exceptions (G) -> burns (B) -> multiple trauma (M) -> dominant procedure (P)
-> primary diagnosis (D); then the CC score on the root's subchapter CC list, then
the root's split rules. Everything is table lookups into the compiled design.
"""

from libc.stdint cimport int32_t, uint8_t, uint64_t
from tables cimport (Design, GxRule, DX_GX, DX_BURN, DX_TRAUMA, PX_GX, PX_SIGNIFICANT, PX_INTERVENTION,
                     N_VARS, V_AGE, V_CC, V_LOS, V_DAYCASE, V_INTERVENTIONS,
                     V_PROCEDURES, V_SITES, V_TBSA, V_DOMINANT, V_SEX, V_ELECTIVE,
                     GX_DIAG_PRIMARY, BURN_REGION_DEEP, LOGIC_BURNS, LOGIC_MULTIPLE_TRAUMA)
from rules cimport rule_holds, choose_split, core_logic_root
from ccscore cimport cc_score
from dominant cimport ProcSummary, summarise_procedures
from scan cimport hrgfast_ctz64

cdef enum:
    GS_OK = 0
    GS_NO_ROOT = 1          # primary diagnosis carries no root in this design
    GS_POOR_DOMINANT = 2    # the dominant procedure is poorly coded (UZ06)
    GS_NO_SPLIT = 3         # the root has no split rule that holds

ctypedef struct Record:
    const int32_t* dx        # diagnosis ids, dx[0] the primary; negatives are skipped
    int32_t ndx
    const int32_t* px        # procedure ids; negatives are skipped
    int32_t npx
    uint8_t dx_or            # OR of the code flags (scan.pxd): which passes are needed
    uint8_t px_or
    int32_t age
    int32_t los
    int32_t daycase
    int32_t sex
    int32_t elective

ctypedef struct Grouped:
    int32_t hrg
    int32_t root
    int32_t rule             # the split rule that chose the HRG
    int32_t cc
    int32_t dominant         # dominant procedure id (P only), -1 otherwise
    int32_t dom_index        # its index in Record.px
    int32_t status
    uint8_t method           # ASCII: P D B M G U


cdef inline uint64_t _also_mask(const int32_t* codes, int32_t n,
                                const uint64_t* code_mask) noexcept nogil:
    """The OR of the also-masks (Bloom bits) of the valid codes."""
    cdef int32_t i
    cdef uint64_t m = 0
    for i in range(n):
        if codes[i] >= 0:
            m |= code_mask[codes[i]]
    return m


cdef inline bint _also_maybe(const Design* d, const Record* r, const GxRule* x,
                             uint64_t* masks) noexcept nogil:
    """False when the record surely lacks every code the exception also requires: its
    also-mask misses the bit. masks[0] (diagnoses) and masks[1] (procedures) are made on
    first use; bit k of masks[2] says whether masks[k] is made."""
    cdef int32_t k = x.also_kind - 1
    if k < 0:
        return True
    if not (masks[2] >> k) & 1:
        masks[k] = _also_mask(r.dx, r.ndx, d.dx_also_mask) if k == 0 else \
            _also_mask(r.px, r.npx, d.px_also_mask)
        masks[2] |= 1 << k
    return (masks[k] >> x.also_bit) & 1


cdef inline bint _has_also(const Design* d, const Record* r, const GxRule* x) noexcept nogil:
    """Whether the record holds one of the codes the exception also requires."""
    cdef const int32_t* codes = r.dx if x.also_kind == 1 else r.px
    cdef int32_t n = r.ndx if x.also_kind == 1 else r.npx
    cdef int32_t i, c, lo, hi, mid
    if x.also_kind == 0:
        return True
    for i in range(n):
        c = codes[i]
        if c < 0:
            continue
        lo = x.also_start
        hi = x.also_stop
        while lo < hi:
            mid = (lo + hi) >> 1
            if d.gx_also[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        if lo < x.also_stop and d.gx_also[lo] == c:
            return True
    return False


cdef inline int32_t _gx_code(const Design* d, const Record* r, const int32_t* gx_list,
                             int32_t k0, int32_t k1, bint primary_slot, const int32_t* vars,
                             uint64_t* masks, int32_t best) noexcept nogil:
    """The lowest exception below ``best`` that the code with exceptions
    gx_list[k0:k1] triggers, or ``best``. The cheap tests go first: most candidates
    need a second code the record does not hold, which the also-mask tells at once."""
    cdef int32_t k, g
    cdef const GxRule* x
    for k in range(k0, k1):
        g = gx_list[k]
        x = &d.gx[g]
        if g < best and (primary_slot or x.trigger != GX_DIAG_PRIMARY) \
                and _also_maybe(d, r, x, masks) and rule_holds(d, x.rule, vars) \
                and _has_also(d, r, x):
            best = g
    return best


cdef inline int32_t _global_exception(const Design* d, const Record* r, const uint64_t* gx_slots,
                                      const int32_t* vars) noexcept nogil:
    """Root of the first global exception (in design order) that the record triggers.
    Visits the slots whose code has exceptions: from the scan's bit masks when given
    (gx_slots[0] diagnoses, [1] procedures: a loop turn per such code, not per slot),
    else by their flags."""
    cdef int32_t i, c, best = 2147483647
    cdef uint64_t m
    cdef const uint8_t* dxf = d.dx_flags2 + 2      # blank and invalid slots read no DX_GX
    cdef const uint8_t* pxf = d.px_flags2 + 2
    cdef uint64_t masks[3]
    masks[2] = 0
    if gx_slots != NULL:
        m = gx_slots[0]
        while m:
            i = hrgfast_ctz64(m)
            m &= m - 1
            c = r.dx[i]
            best = _gx_code(d, r, d.dx_gx, d.dx_gx_start[c], d.dx_gx_start[c + 1], i == 0,
                            vars, masks, best)
        m = gx_slots[1]
        while m:
            i = hrgfast_ctz64(m)
            m &= m - 1
            c = r.px[i]
            best = _gx_code(d, r, d.px_gx, d.px_gx_start[c], d.px_gx_start[c + 1], True,
                            vars, masks, best)
    else:
        for i in range(r.ndx):
            c = r.dx[i]
            if dxf[c] & DX_GX:
                best = _gx_code(d, r, d.dx_gx, d.dx_gx_start[c], d.dx_gx_start[c + 1], i == 0,
                                vars, masks, best)
        for i in range(r.npx):
            c = r.px[i]
            if pxf[c] & PX_GX:
                best = _gx_code(d, r, d.px_gx, d.px_gx_start[c], d.px_gx_start[c + 1], True,
                                vars, masks, best)
    if best == 2147483647:
        return -1
    return d.rule_target[d.gx[best].rule]


cdef inline int32_t _trauma_sites(const Design* d, const Record* r) noexcept nogil:
    """Distinct trauma sites when the primary and a secondary injure different sites, else 0."""
    cdef int32_t i, c, site, n = 0, primary_site
    cdef uint64_t seen[2]
    cdef bint other = False
    if r.ndx == 0 or r.dx[0] < 0:
        return 0
    primary_site = d.dx[r.dx[0]].trauma_site
    if primary_site <= 0:
        return 0
    seen[0] = 0
    seen[1] = 0
    for i in range(r.ndx):
        c = r.dx[i]
        if c < 0:
            continue
        site = d.dx[c].trauma_site
        if site <= 0:
            continue
        if site != primary_site:
            other = True
        if not (seen[site >> 6] >> (site & 63)) & 1:
            seen[site >> 6] |= (<uint64_t>1) << (site & 63)
            n += 1
    return n if other else 0


cdef inline void base_vars(const Record* r, int32_t* vars) noexcept nogil:
    """The condition variables a record has before grouping (the rest 0)."""
    cdef int32_t i
    for i in range(N_VARS):
        vars[i] = 0
    vars[V_AGE] = r.age
    vars[V_LOS] = r.los
    vars[V_DAYCASE] = r.daycase
    vars[V_SEX] = r.sex
    vars[V_ELECTIVE] = r.elective


cdef inline void group_record(const Design* d, const Record* r, Grouped* g) noexcept nogil:
    group_record_slots(d, r, NULL, g)


cdef inline void group_record_slots(const Design* d, const Record* r, const uint64_t* gx_slots,
                                    Grouped* g) noexcept nogil:
    """group_record, told by the scan which slots hold codes with global exceptions
    (gx_slots: diagnosis and procedure bit masks; NULL if unknown)."""
    cdef int32_t vars[N_VARS]
    cdef ProcSummary ps
    cdef int32_t i, c, root = -1, tbsa = -1, sites, primary, rule
    cdef bint deep = False, paed
    cdef uint8_t method = 0

    if r.px_or & (PX_SIGNIFICANT | PX_INTERVENTION):
        summarise_procedures(d, r.px, r.npx, &ps)
    else:
        ps.dominant = ps.index = -1
        ps.procedures = ps.interventions = 0
    base_vars(r, vars)
    vars[V_DOMINANT] = ps.dominant >= 0
    vars[V_PROCEDURES] = ps.procedures
    vars[V_INTERVENTIONS] = ps.interventions
    vars[V_TBSA] = -1
    primary = r.dx[0] if r.ndx > 0 else -1
    paed = 0 <= r.age <= d.paediatric_max_age

    g.status = GS_OK
    g.dominant = -1
    g.dom_index = -1
    g.cc = 0
    g.rule = -1

    if (r.dx_or & DX_GX) or (r.px_or & PX_GX):
        root = _global_exception(d, r, gx_slots, vars)
        if root >= 0:
            method = 71  # G
    if root < 0 and r.dx_or & DX_BURN:
        for i in range(r.ndx):
            c = r.dx[i]
            if c < 0:
                continue
            if d.dx[c].burn == BURN_REGION_DEEP:
                deep = True
            if d.dx[c].tbsa > tbsa:
                tbsa = d.dx[c].tbsa
        if deep:
            vars[V_TBSA] = tbsa
            root = core_logic_root(d, LOGIC_BURNS, vars, &rule)
            if root >= 0:
                method = 66  # B
    if root < 0 and r.dx_or & DX_TRAUMA:
        sites = _trauma_sites(d, r)
        if sites >= 2:
            vars[V_SITES] = sites
            root = core_logic_root(d, LOGIC_MULTIPLE_TRAUMA, vars, &rule)
            if root >= 0:
                method = 77  # M
    if root < 0 and ps.dominant >= 0:
        c = ps.dominant
        root = d.px[c].paed_root if paed and d.px[c].paed_root >= 0 else d.px[c].root
        method = 80  # P
        g.dominant = c
        g.dom_index = ps.index
        if d.px[c].error == 6:
            g.status = GS_POOR_DOMINANT
    if root < 0 and primary >= 0:
        root = d.dx[primary].paed_root if paed and d.dx[primary].paed_root >= 0 \
            else d.dx[primary].root
        method = 68  # D
    g.root = root
    g.method = method
    if root < 0:
        g.status = GS_NO_ROOT
        g.hrg = d.uz01z
        g.method = 85  # U
        return
    g.cc = cc_score(d, d.root_subch[root], primary, r.dx + 1, r.ndx - 1) if r.ndx > 1 else 0
    vars[V_CC] = g.cc
    g.hrg = choose_split(d, root, vars, &g.rule)
    if g.hrg < 0:
        g.status = GS_NO_SPLIT
    if g.status != GS_OK:
        g.hrg = d.uz01z
        g.method = 85
