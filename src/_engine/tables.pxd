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
    cdef object src = (arrays["dx"], arrays["px"], arrays["cc_weights"])
    cdef object held = arrays.get("engine.derived")
    if held is None or held[0][0] is not src[0] or held[0][1] is not src[1] \
            or held[0][2] is not src[2]:
        arrays["engine.derived"] = _make_derived(d, src)
        held = arrays["engine.derived"]
    d.dx_flags2 = <const uint8_t*><uintptr_t>held[1].ctypes.data
    d.px_flags2 = <const uint8_t*><uintptr_t>held[2].ctypes.data
    d.cc_key2 = <const CcKey*><uintptr_t>held[3].ctypes.data
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
    return (src, dxf_a, pxf_a, cck_a)
