# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Grouping kernel of the six record logics: NAC, EM, ACC, PCC, NCC and NRD.

Input is one row-major int32 matrix per batch (the dataset's slots, encoded as in
codes.pxd, in input-row order), an optional sort permutation and, for the critical
care day logics, the boundaries of each PROCODET + CCLocalID group in sorted order.
Outputs are preallocated NumPy columns in sorted order; quality messages and
unbundled HRGs go to per-block buffers joined in block order, so results do not
depend on the thread count. The per-dataset logic lives in nac/em/acc/critcare/nrd.pxd.
"""

from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int32_t, int64_t
from libc.stdlib cimport calloc, free
from libc.string cimport memcpy

import numpy as np

from tables cimport Design, make_design
from buffers cimport Event, EventBuf, buf_init, buf_free
from records cimport Ctx, Slot, Out, validate_slots
from record_fields cimport L_NAC, L_EM, L_ACC, L_PCC, L_NCC, L_NRD
from nac cimport nac_record
from em cimport em_record
from acc cimport acc_record
from critcare cimport cc_days
from nrd cimport nrd_record


ctypedef struct Job:
    Ctx c
    const int64_t* order       # sorted position -> input row, NULL for identity
    const int64_t* group_start # PCC/NCC: day groups in sorted order, NULL otherwise
    Out o

ctypedef struct Block:
    int64_t lo                 # groups (PCC/NCC) or records [lo, hi)
    int64_t hi
    EventBuf errs
    EventBuf ubs
    bint failed


cdef void _record(const Job* j, Block* b, int64_t i) noexcept nogil:
    cdef const Ctx* c = &j.c
    cdef int64_t r = j.order[i] if j.order != NULL else i
    cdef const int32_t* f = c.fields + r * c.nslots
    cdef int32_t fatal = validate_slots(c, f, &b.errs, i)
    cdef Out* o = <Out*>&j.o
    o.method[i] = 0
    o.dom[i] = -1
    o.att_hrg[i] = -1
    o.calc_days[i] = 0
    o.warn[i] = 0
    o.period[i] = 0
    if c.logic == L_NAC:
        nac_record(c, f, fatal, o, i, &b.errs, &b.ubs)
    elif c.logic == L_EM:
        em_record(c, f, fatal, o, i, &b.errs)
    elif c.logic == L_ACC:
        acc_record(c, f, fatal, o, i, &b.errs)
    else:
        nrd_record(c, f, fatal, o, i, &b.errs)


cdef void _run_block(const Job* j, Block* b) noexcept nogil:
    cdef int64_t g, i
    cdef Out* o = <Out*>&j.o
    for g in range(b.lo, b.hi):
        if j.group_start != NULL:
            for i in range(j.group_start[g], j.group_start[g + 1]):
                o.method[i] = 0
                o.dom[i] = -1
                o.att_hrg[i] = -1
                o.calc_days[i] = 0
                o.warn[i] = 0
            cc_days(&j.c, j.order, j.group_start[g], j.group_start[g + 1], o, &b.errs)
        else:
            _record(j, b, g)
        if b.errs.failed or b.ubs.failed:
            b.failed = True
            return


cdef object _joined(Block* blocks, int nblocks, bint unbundled):
    cdef int64_t total = 0, pos = 0
    cdef int k
    cdef EventBuf* eb
    for k in range(nblocks):
        total += (blocks[k].ubs if unbundled else blocks[k].errs).n
    out = np.empty(total, dtype=np.dtype([("row", "<i8"), ("a", "<i4"), ("b", "<i4"),
                                           ("c", "<i4"), ("_pad", "<i4")]))
    cdef char* dst = <char*><size_t>out.ctypes.data
    for k in range(nblocks):
        eb = &blocks[k].ubs if unbundled else &blocks[k].errs
        if eb.n:
            memcpy(dst + pos * sizeof(Event), eb.data, eb.n * sizeof(Event))
            pos += eb.n
    return out


cdef inline const void* _addr(a):
    return <const void*><size_t>a.ctypes.data if a is not None else NULL


def group_records(int logic, dict arrays, int uz01z, int paediatric_max_age,
                  const int32_t[:, ::1] fields not None, list slots, list repeats,
                  order=None, group_start=None, int fail_msg=0, int fail_field=0,
                  int nac_min_hierarchy=1, const uint8_t[::1] nac_px=None, int num_threads=1):
    """Group one batch of records of ``logic`` (index in schema.LOGIC_DATASETS).

    ``nac_px`` (NAC only, one byte per procedure code): whether the code may drive an
    outpatient HRG. ``slots``: one tuple per matrix column, ``(kind, required, fatal, lo, hi, code, cls,
    flags, num, ub_root)`` with NumPy arrays (or None) for the last four; ``repeats``:
    up to three ``(first slot, count)`` groups. ``order`` (int64) maps sorted positions
    to input rows; ``group_start`` (int64) bounds the PCC/NCC day groups. Returns a dict
    of output columns in sorted order plus ``errors`` and ``unbundled`` event arrays.
    """
    cdef Design d = make_design(arrays, uz01z, paediatric_max_age, True)
    cdef int64_t n = fields.shape[0] if order is None else len(order)
    cdef int nslots = fields.shape[1], k
    cdef const int64_t[::1] order_v
    cdef const int64_t[::1] gs_v
    if len(slots) != nslots:
        raise ValueError(f"{len(slots)} slot descriptions for {nslots} columns")
    if logic not in (L_NAC, L_EM, L_ACC, L_PCC, L_NCC, L_NRD):
        raise ValueError(f"unknown logic {logic}")
    if (logic == L_PCC or logic == L_NCC) and group_start is None:
        raise ValueError("the critical care day logics need group_start")
    keep = []
    cdef Slot* sl = <Slot*>calloc(nslots if nslots else 1, sizeof(Slot))
    if sl == NULL:
        raise MemoryError()
    cdef Job job
    cdef Block* blocks = NULL
    cdef int nblocks = 1, nthreads = num_threads if num_threads > 0 else 1
    cdef int64_t units
    out = {name: np.empty(n, dt) for name, dt in (
        ("hrg", np.int32), ("method", np.uint8), ("dom", np.int32), ("att_hrg", np.int32),
        ("calc_days", np.int32), ("warn", np.uint8), ("rule", np.int32),
        ("period", np.int32), ("fatal", np.int32))}
    try:
        for k, (kind, required, fatal, lo, hi, code, cls, flags, num, ub) in enumerate(slots):
            sl[k].kind = kind
            sl[k].required = required
            sl[k].fatal = fatal
            sl[k].lo = lo
            sl[k].hi = hi
            sl[k].code = code
            nv = -1
            for a in (cls, flags, num, ub):
                if a is not None:
                    if not a.flags.c_contiguous:
                        raise ValueError("slot tables must be contiguous")
                    if nv >= 0 and len(a) != nv:
                        raise ValueError("slot tables must have one entry per value")
                    nv = len(a)
                    keep.append(a)
            sl[k].nvalues = nv if nv > 0 else 0
            sl[k].cls = <const int32_t*>_addr(cls) if nv > 0 else NULL
            sl[k].flags = <const uint8_t*>_addr(flags) if nv > 0 else NULL
            sl[k].num = <const int32_t*>_addr(num) if nv > 0 else NULL
            sl[k].ub_root = <const int32_t*>_addr(ub) if nv > 0 else NULL
        job.c.d = &d
        job.c.logic = logic
        job.c.fields = &fields[0, 0] if fields.shape[0] and nslots else NULL
        job.c.nslots = nslots
        job.c.slots = sl
        for k in range(3):
            job.c.rep_start[k] = nslots
            job.c.rep_count[k] = 0
        for k, (start, count) in enumerate(repeats):
            if k >= 3 or start < 0 or count < 0 or start + count > nslots:
                raise ValueError("bad repeated group")
            job.c.rep_start[k] = start
            job.c.rep_count[k] = count
        rs = arrays["logic_rule_start"]
        job.c.rule_start = rs[logic]
        job.c.rule_stop = rs[logic + 1]
        job.c.fail_msg = fail_msg
        job.c.fail_field = fail_field
        job.c.acc_organ = <const int32_t*>_addr(arrays["acc_organ"])
        job.c.nac_min_hierarchy = nac_min_hierarchy
        job.c.nac_px = NULL
        if logic == L_NAC:
            if nac_px is None or nac_px.shape[0] != d.n_px:
                raise ValueError("the NAC logic needs nac_px, one entry per procedure code")
            job.c.nac_px = &nac_px[0] if d.n_px else NULL
        job.order = NULL
        job.group_start = NULL
        if order is not None:
            order_v = order
            if n and (np.min(order) < 0 or np.max(order) >= fields.shape[0]):
                raise ValueError("order holds a row outside the input")
            job.order = &order_v[0] if n else NULL
        elif fields.shape[0] != n:
            raise ValueError("fields and order disagree")
        units = n
        if group_start is not None:
            gs_v = group_start
            units = gs_v.shape[0] - 1
            if units < 0 or gs_v[0] != 0 or gs_v[units] != n \
                    or (units > 0 and np.any(np.diff(group_start) < 0)):
                raise ValueError("group_start must rise from 0 to the number of rows")
            job.group_start = &gs_v[0]
            if job.order == NULL:
                raise ValueError("the critical care day logics need order")
        for name in out:
            keep.append(out[name])
        job.o.hrg = <int32_t*><size_t>out["hrg"].ctypes.data
        job.o.method = <uint8_t*><size_t>out["method"].ctypes.data
        job.o.dom = <int32_t*><size_t>out["dom"].ctypes.data
        job.o.att_hrg = <int32_t*><size_t>out["att_hrg"].ctypes.data
        job.o.calc_days = <int32_t*><size_t>out["calc_days"].ctypes.data
        job.o.warn = <uint8_t*><size_t>out["warn"].ctypes.data
        job.o.rule = <int32_t*><size_t>out["rule"].ctypes.data
        job.o.period = <int32_t*><size_t>out["period"].ctypes.data
        job.o.fatal = <int32_t*><size_t>out["fatal"].ctypes.data

        nblocks = nthreads * 8 if nthreads > 1 else 1
        if nblocks > units:
            nblocks = <int>units if units > 0 else 1
        blocks = <Block*>calloc(nblocks, sizeof(Block))
        if blocks == NULL:
            raise MemoryError()
        for k in range(nblocks):
            blocks[k].lo = units * k // nblocks
            blocks[k].hi = units * (k + 1) // nblocks
            buf_init(&blocks[k].errs)
            buf_init(&blocks[k].ubs)
        if nthreads == 1:
            with nogil:
                for k in range(nblocks):
                    _run_block(&job, &blocks[k])
        else:
            for k in prange(nblocks, nogil=True, num_threads=nthreads, schedule="dynamic"):
                _run_block(&job, &blocks[k])
        for k in range(nblocks):
            if blocks[k].failed:
                raise MemoryError("out of memory while grouping records")
        out["errors"] = _joined(blocks, nblocks, False)
        out["unbundled"] = _joined(blocks, nblocks, True)
    finally:
        if blocks != NULL:
            for k in range(nblocks):
                buf_free(&blocks[k].errs)
                buf_free(&blocks[k].ubs)
            free(blocks)
        free(sl)
    return out
