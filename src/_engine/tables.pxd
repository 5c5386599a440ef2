# cython: language_level=3
"""C view of a compiled design: small structs over the memory-mapped artifact.

The struct layouts mirror the NumPy dtypes in ``hrgfast/design/schema.py``
(DX_DTYPE, PX_DTYPE, HRG_DTYPE, COND_DTYPE, GX_DTYPE); ``make_design`` checks the
item sizes so a mismatch fails loudly instead of reading garbage.
"""

from libc.stdint cimport int8_t, uint8_t, int16_t, int32_t, int64_t, uint64_t, uintptr_t

cdef enum:
    DX_MAPPED = 1
    DX_SPELL_SKIP = 2
    DX_GX = 4
    DX_BURN = 8
    DX_TRAUMA = 16
    DX_PRIMARY_CHECK = 32
    PX_MAPPED = 1
    PX_INTERVENTION = 2
    PX_GX = 4
    PX_UNBUNDLED = 8
    PX_SIGNIFICANT = 16
    CODE_FLAG_INVALID = 128  # flags2 tables only: the slot holds an invalid code (CODE_INVALID)
    SUBCH_CRITICAL_CARE = 1
    KIND_CORE = 1
    KIND_UNBUNDLED = 2
    BURN_REGION = 1
    BURN_REGION_DEEP = 2
    BURN_TBSA = 3
    BURN_UNSPECIFIED = 4
    GX_DIAG_PRIMARY = 1
    GX_DIAG_ANY = 2
    GX_PROC_ANY = 3
    LOGIC_MULTIPLE_TRAUMA = 0
    LOGIC_BURNS = 1
    FLAG_DAYCASE = 1
    FLAG_ELECTIVE = 2
    DAYS_REHAB = 1
    DAYS_SPC = 2

# condition variable slots (schema.VARIABLES)
cdef enum:
    V_AGE = 0
    V_CC = 1
    V_LOS = 2
    V_DAYCASE = 3
    V_INTERVENTIONS = 4
    V_PROCEDURES = 5
    V_SITES = 6
    V_TBSA = 7
    V_DOMINANT = 8
    V_SEX = 9
    V_ELECTIVE = 10
    N_VARS = 11

ctypedef struct DxInfo:
    int32_t root
    int32_t paed_root
    int32_t cc_profile
    int32_t excl_class
    int32_t category
    int16_t age_min
    int16_t age_max
    int8_t primary_error
    int8_t trauma_site
    int8_t burn
    int8_t tbsa
    uint8_t flags
    uint8_t _pad[3]

ctypedef struct PxInfo:
    int32_t root
    int32_t paed_root
    int32_t unbundled
    int16_t hierarchy
    int8_t error
    uint8_t flags

ctypedef struct HrgInfo:
    int32_t root
    int32_t trimpoint
    int8_t kind
    int8_t days_field
    uint8_t datasets
    uint8_t _pad[5]

ctypedef struct Cond:
    int32_t var
    int32_t lo
    int32_t hi

ctypedef struct GxRule:
    int32_t trigger
    int32_t rule
    int32_t also_kind        # 0 none, 1 a diagnosis, 2 a procedure must also be present
    int32_t also_start       # its code ids: gx_also[also_start:also_stop], ascending
    int32_t also_stop
    int32_t also_bit         # the record's also-mask must have this bit (Bloom pre-check)

cdef enum:
    SPLIT_GENERIC = -2       # SplitIndex.var_x: the rules test more than two variables,
                             # or a variable over too wide a range: try them in turn
    SPLIT_SPAN_MAX = 1024    # widest look-up range of one variable

ctypedef struct SplitIndex:
    # Split rules testing at most two variables x and y are a step function of them:
    # which rule holds first is constant on each cell of the grid cut where some rule's
    # interval starts or ends. For x: value v falls in segment
    # split_tab[tx + 1 + clamp(v - x0, -1, nxv)] (x0 the lowest cut, nxv values up to the
    # highest); likewise y; cell (ix, iy) gives the rule split_tab[cells + ix * ny + iy]
    # (-1: none holds). An untested variable has a one-segment table (and var 0).
    int32_t var_x
    int32_t var_y
    int32_t x0
    int32_t nxv
    int32_t tx
    int32_t y0
    int32_t nyv
    int32_t ty
    int32_t ny
    int32_t cells

ctypedef struct CcKey:
    int32_t profile          # DxInfo.cc_profile
    int32_t category         # DxInfo.category

ctypedef struct Design:
    const DxInfo* dx
    int32_t n_dx
    const PxInfo* px
    int32_t n_px
    const HrgInfo* hrg
    int32_t n_hrg
    int32_t n_root
    const int32_t* root_subch
    const int32_t* root_rule_start
    const int32_t* rule_target
    const int32_t* rule_cond_start
    const Cond* cond
    const int32_t* core_rule_start
    const GxRule* gx
    const int32_t* gx_also
    const uint64_t* dx_also_mask
    const uint64_t* px_also_mask
    const int32_t* dx_gx_start
    const int32_t* dx_gx
    const int32_t* px_gx_start
    const int32_t* px_gx
    const uint8_t* cc_weights
    int32_t n_subch
    const uint64_t* excl_bits
    int32_t excl_words
    const uint8_t* subch_flags
    int32_t uz01z
    int32_t paediatric_max_age
    bint cc_exclude_same_category
    # derived tables indexed by code id + 2 (see _point_derived)
    const uint8_t* dx_flags2
    const uint8_t* px_flags2
    const CcKey* cc_key2
    const SplitIndex* split  # per root: its split rules as a look-up (see SplitIndex)
    const int32_t* split_tab


cdef inline const void* _ptr(dict arrays, str name, Py_ssize_t itemsize) except NULL:
    arr = arrays[name]
    if arr.dtype.itemsize != itemsize or not arr.flags.c_contiguous:
        raise TypeError(f"design array {name} has item size {arr.dtype.itemsize}, "
                        f"engine expects {itemsize}")
    cdef uintptr_t addr = arr.ctypes.data
    if addr == 0:
        addr = 64  # empty array: never dereferenced, must not be NULL
    return <const void*>addr


cdef inline Design make_design(dict arrays, int32_t uz01z, int32_t paediatric_max_age,
                               bint cc_exclude_same_category) except *:
    """Point a Design at ``arrays`` (which the caller keeps alive for the call)."""
    cdef Design d
    d.dx = <const DxInfo*>_ptr(arrays, "dx", sizeof(DxInfo))
    d.n_dx = len(arrays["dx"])
    d.px = <const PxInfo*>_ptr(arrays, "px", sizeof(PxInfo))
    d.n_px = len(arrays["px"])
    d.hrg = <const HrgInfo*>_ptr(arrays, "hrg", sizeof(HrgInfo))
    d.n_hrg = len(arrays["hrg"])
    d.n_root = len(arrays["root_subch"])
    d.root_subch = <const int32_t*>_ptr(arrays, "root_subch", 4)
    d.root_rule_start = <const int32_t*>_ptr(arrays, "root_rule_start", 4)
    d.rule_target = <const int32_t*>_ptr(arrays, "rule_target", 4)
    d.rule_cond_start = <const int32_t*>_ptr(arrays, "rule_cond_start", 4)
    d.cond = <const Cond*>_ptr(arrays, "cond", sizeof(Cond))
    d.core_rule_start = <const int32_t*>_ptr(arrays, "core_rule_start", 4)
    d.gx = <const GxRule*>_ptr(arrays, "gx", sizeof(GxRule))
    d.gx_also = <const int32_t*>_ptr(arrays, "gx_also", 4)
    d.dx_also_mask = <const uint64_t*>_ptr(arrays, "dx_also_mask", 8)
    d.px_also_mask = <const uint64_t*>_ptr(arrays, "px_also_mask", 8)
    d.dx_gx_start = <const int32_t*>_ptr(arrays, "dx_gx_start", 4)
    d.dx_gx = <const int32_t*>_ptr(arrays, "dx_gx", 4)
    d.px_gx_start = <const int32_t*>_ptr(arrays, "px_gx_start", 4)
    d.px_gx = <const int32_t*>_ptr(arrays, "px_gx", 4)
    d.cc_weights = <const uint8_t*>_ptr(arrays, "cc_weights", 1)
    d.n_subch = arrays["cc_weights"].shape[1]
    d.excl_bits = <const uint64_t*>_ptr(arrays, "excl_bits", 8)
    d.excl_words = arrays["excl_bits"].shape[1]
    d.subch_flags = <const uint8_t*>_ptr(arrays, "subch_flags", 1)
    d.uz01z = uz01z
    d.paediatric_max_age = paediatric_max_age
    d.cc_exclude_same_category = cc_exclude_same_category
    _point_derived(&d, arrays)
    return d


cdef inline int _point_derived(Design* d, dict arrays) except -1:
    """Point d at the engine's derived tables, indexed by code id + 2 so that a blank (-1)
    or invalid (-2) slot needs no test: dx_flags2/px_flags2 (code flags; blank 0, invalid
    CODE_FLAG_INVALID) and cc_key2 (CC profile and category; blank/invalid: profile 0,
    which weighs 0 everywhere). They are made once per design and kept in ``arrays``
    under "engine.derived" (with the source arrays, so a replaced source array remakes
    them); the stored tuple is read back, so concurrent callers share one copy."""
    cdef object src = (arrays["dx"], arrays["px"], arrays["cc_weights"], arrays["cond"],
                       arrays["rule_cond_start"], arrays["root_rule_start"])
    cdef object held = arrays.get("engine.derived")
    cdef Py_ssize_t i
    cdef bint stale = held is None
    if not stale:
        for i in range(len(src)):
            stale = stale or held[0][i] is not src[i]
    if stale:
        arrays["engine.derived"] = _make_derived(d, src)
        held = arrays["engine.derived"]
    d.dx_flags2 = <const uint8_t*><uintptr_t>held[1].ctypes.data
    d.px_flags2 = <const uint8_t*><uintptr_t>held[2].ctypes.data
    d.cc_key2 = <const CcKey*><uintptr_t>held[3].ctypes.data
    d.split = <const SplitIndex*><uintptr_t>held[4].ctypes.data
    d.split_tab = <const int32_t*><uintptr_t>held[5].ctypes.data
    return 0


cdef inline tuple _make_derived(const Design* d, tuple src):
    import numpy
    cdef int32_t i
    dxf_a = numpy.empty(d.n_dx + 2, numpy.uint8)
    pxf_a = numpy.empty(d.n_px + 2, numpy.uint8)
    cck_a = numpy.empty((d.n_dx + 2, 2), numpy.int32)
    cdef uint8_t* dxf = <uint8_t*><uintptr_t>dxf_a.ctypes.data
    cdef uint8_t* pxf = <uint8_t*><uintptr_t>pxf_a.ctypes.data
    cdef CcKey* cck = <CcKey*><uintptr_t>cck_a.ctypes.data
    dxf[0] = pxf[0] = CODE_FLAG_INVALID
    dxf[1] = pxf[1] = 0
    for i in range(2):
        cck[i].profile = 0
        cck[i].category = -1
    if d.n_dx and src[2].shape[0] == 0:
        raise ValueError("design has diagnoses but no CC profiles")
    for i in range(d.n_subch if src[2].shape[0] else 0):
        if d.cc_weights[i]:
            raise ValueError("design CC profile 0 must weigh 0 in every subchapter")
    for i in range(d.n_dx):
        if d.dx[i].flags & CODE_FLAG_INVALID:
            raise ValueError("design diagnosis flags use the bit kept for invalid codes")
        dxf[i + 2] = d.dx[i].flags
        cck[i + 2].profile = d.dx[i].cc_profile
        cck[i + 2].category = d.dx[i].category
    for i in range(d.n_px):
        if d.px[i].flags & CODE_FLAG_INVALID:
            raise ValueError("design procedure flags use the bit kept for invalid codes")
        pxf[i + 2] = d.px[i].flags
    split_a, tab_a = _split_tables(d)
    return (src, dxf_a, pxf_a, cck_a, split_a, tab_a)


cdef inline int32_t _axis_points(const int64_t* lo, const int64_t* hi, int32_t n,
                                 int64_t* pts) noexcept nogil:
    """Sorted distinct points where one of the n intervals [lo, hi] starts or ends
    (hi + 1), with INT32_MIN first; empty intervals are left out. Returns the count."""
    cdef int32_t i, j, m = 1, k
    cdef int64_t t
    pts[0] = -2147483648
    for i in range(n):
        if lo[i] <= hi[i]:
            pts[m] = lo[i]
            m += 1
            if hi[i] < 2147483647:
                pts[m] = hi[i] + 1
                m += 1
    for i in range(1, m):               # insertion sort: a handful of points
        t = pts[i]
        j = i - 1
        while j >= 0 and pts[j] > t:
            pts[j + 1] = pts[j]
            j -= 1
        pts[j + 1] = t
    k = 1
    for i in range(1, m):
        if pts[i] != pts[k - 1]:
            pts[k] = pts[i]
            k += 1
    return k


cdef inline int32_t _axis_table(const int64_t* pts, int32_t n, list tab, int32_t* base,
                                int32_t* nvals) except -3:
    """Append to ``tab`` the segment of each value from pts[1] (the lowest cut) to
    pts[n - 1] (the highest), preceded by the segment below and followed by the one
    above; return the offset, or -2 if the range is too wide for a table."""
    cdef int64_t v
    cdef int32_t off = len(tab), k = 0
    if n == 1:
        base[0] = 0
        nvals[0] = 0
        tab.extend((0, 0))
        return off
    if pts[n - 1] - pts[1] + 1 > SPLIT_SPAN_MAX:
        return -2
    base[0] = <int32_t>pts[1]
    nvals[0] = <int32_t>(pts[n - 1] - pts[1] + 1)
    tab.append(0)
    for v in range(pts[1], pts[n - 1] + 1):
        while k + 1 < n and v >= pts[k + 1]:
            k += 1
        tab.append(k)
    tab.append(n - 1)
    return off


cdef inline tuple _split_tables(const Design* d):
    """Each root's split rules as a look-up (SplitIndex): rule r holds exactly when x is
    in [Lx_r, Hx_r] and y in [Ly_r, Hy_r] (the intersections of its conditions on each
    variable), so which rule holds first changes only where some interval starts or
    ends; evaluating the rules at the lower corner of every cell gives the whole step
    function. Returns the SplitIndex array and the int32 table pool."""
    import numpy
    cdef int32_t root, r, r0, r1, nr, k, v, vx, vy, ix, iy, nx, ny, best, max_r = 0
    cdef int64_t lo, hi, px, py
    for root in range(d.n_root):
        nr = d.root_rule_start[root + 1] - d.root_rule_start[root]
        max_r = nr if nr > max_r else max_r
    split_a = numpy.zeros(max(d.n_root, 1) * sizeof(SplitIndex), numpy.uint8)
    cdef SplitIndex* split = <SplitIndex*><uintptr_t>split_a.ctypes.data
    lox_a = numpy.empty((4, max_r + 1), numpy.int64)
    pts_a = numpy.empty((2, 2 * max_r + 2), numpy.int64)
    cdef int64_t* lox = <int64_t*><uintptr_t>lox_a.ctypes.data
    cdef int64_t* hix = lox + (max_r + 1)
    cdef int64_t* loy = hix + (max_r + 1)
    cdef int64_t* hiy = loy + (max_r + 1)
    cdef int64_t* ptx = <int64_t*><uintptr_t>pts_a.ctypes.data
    cdef int64_t* pty = ptx + (2 * max_r + 2)
    cdef list tab = []
    for root in range(d.n_root):
        r0 = d.root_rule_start[root]
        r1 = d.root_rule_start[root + 1]
        nr = r1 - r0
        vx = vy = -1
        for k in range(d.rule_cond_start[r0], d.rule_cond_start[r1]):
            v = d.cond[k].var
            if v == vx or v == vy:
                continue
            if vx < 0:
                vx = v
            elif vy < 0:
                vy = v
            else:
                vx = SPLIT_GENERIC
                break
        split[root].var_x = vx
        split[root].var_y = vy
        if vx == SPLIT_GENERIC:
            continue
        for r in range(nr):
            lox[r] = loy[r] = -2147483648
            hix[r] = hiy[r] = 2147483647
            for k in range(d.rule_cond_start[r0 + r], d.rule_cond_start[r0 + r + 1]):
                lo = d.cond[k].lo
                hi = d.cond[k].hi
                if d.cond[k].var == vx:
                    lox[r] = lo if lo > lox[r] else lox[r]
                    hix[r] = hi if hi < hix[r] else hix[r]
                else:
                    loy[r] = lo if lo > loy[r] else loy[r]
                    hiy[r] = hi if hi < hiy[r] else hiy[r]
        nx = _axis_points(lox, hix, nr, ptx) if vx >= 0 else 1
        ny = _axis_points(loy, hiy, nr, pty) if vy >= 0 else 1
        ptx[0] = pty[0] = -2147483648
        split[root].tx = _axis_table(ptx, nx, tab, &split[root].x0, &split[root].nxv)
        split[root].ty = _axis_table(pty, ny, tab, &split[root].y0, &split[root].nyv)
        if split[root].tx < 0 or split[root].ty < 0:
            split[root].var_x = SPLIT_GENERIC
            continue
        # an untested variable reads slot 0 through a one-segment table: no test needed
        split[root].var_x = vx if vx >= 0 else 0
        split[root].var_y = vy if vy >= 0 else 0
        split[root].ny = ny
        split[root].cells = len(tab)
        for ix in range(nx):
            px = ptx[ix]
            for iy in range(ny):
                py = pty[iy]
                best = -1
                for r in range(nr):
                    if lox[r] <= px <= hix[r] and loy[r] <= py <= hiy[r]:
                        best = r0 + r
                        break
                tab.append(best)
    return split_a, numpy.array(tab + [0], numpy.int32)
