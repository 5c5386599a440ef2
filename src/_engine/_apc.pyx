# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""APC grouping kernel: validated, grouped episodes and spells from encoded columns.

Input is three row-major int32 matrices in input-row order (scalar fields, diagnosis
ids, procedure ids; see codes.pxd for the sentinels) plus the sort permutation and
the spell boundaries in sorted order. Output columns are preallocated NumPy arrays in
sorted order. Work is split into blocks of whole spells run under ``prange``; each
block appends messages and unbundled HRGs to its own buffer and the buffers are
joined in block order, so the result does not depend on the thread count.
"""

cimport cython
from cython.parallel cimport prange, threadid
from libc.stdint cimport int8_t, uint8_t, int32_t, uint32_t, int64_t, uint64_t
from libc.stdlib cimport calloc, free
from libc.string cimport memcpy, memcmp

import numpy as np

from tables cimport (Design, make_design, N_VARS,
                     FLAG_DAYCASE, FLAG_ELECTIVE, PX_UNBUNDLED)
from buffers cimport Event, EventBuf, buf_init, buf_free, buf_push, IntVec
from messages cimport M_UZ06, M_DIAG_UNMAPPED, M_NO_SPLIT, FIELD_DIAG, FIELD_OPER
from apc_fields cimport (F_STARTAGE, F_SEX, F_CLASSPAT, F_ADMIMETH, F_EPIDUR, F_TRETSPEF,
                         F_CCDAYS, F_REHABDAYS, F_SPCDAYS, APC_NF)
from validation cimport validate_episode
from grouping cimport (Record, Grouped, group_record, group_record_slots, base_vars, GS_OK,
                      GS_NO_ROOT, GS_POOR_DOMINANT, GS_NO_SPLIT)
from unbundling cimport unbundle_record
from spell cimport spell_checks, Composite, build_composite, first_secondary, compare_spans
from scan cimport Scan, scan_codes, used


ctypedef struct Job:
    const Design* d
    const int32_t* fields
    const int32_t* diag
    int32_t nd
    const int32_t* proc
    int32_t np
    const int64_t* order
    const int64_t* spell_start
    const uint8_t* classpat_flags
    int32_t n_classpat
    const uint8_t* admimeth_flags
    int32_t n_admimeth
    const int32_t* sex_num
    int32_t n_sex
    const int32_t* tretspef_ub
    int32_t n_tretspef
    int32_t uz_root
    # episode outputs (sorted order)
    int32_t* fce_hrg
    uint8_t* fce_method
    int32_t* fce_dom
    int32_t* fce_root
    int32_t* fce_cc
    int32_t* fce_rule
    int32_t* calc_epidur
    uint8_t* report_flag
    int32_t* fce_fatal
    # spell outputs
    int32_t* sp_hrg
    uint8_t* sp_method
    int32_t* sp_dom
    int32_t* sp_pdiag
    int32_t* sp_sdiag
    int32_t* sp_count
    int32_t* sp_los
    int32_t* sp_ccdays
    int32_t* sp_root
    int32_t* sp_cc
    int32_t* sp_rule
    int64_t* sp_report

ctypedef struct Block:
    int64_t spell_lo
    int64_t spell_hi
    EventBuf errs
    EventBuf ubs
    Composite comp
    bint failed


cdef inline int32_t _lookup(const int32_t* table, int32_t n, int32_t i, int32_t dflt) noexcept nogil:
    return table[i] if <uint32_t>i < <uint32_t>n else dflt      # negative i: blank/invalid


cdef inline int32_t _flag(const uint8_t* table, int32_t n, int32_t i, uint8_t bit) noexcept nogil:
    return 1 if (<uint32_t>i < <uint32_t>n and table[i] & bit) else 0


cdef inline void _record_vars(const Job* j, const int32_t* f, Record* rec) noexcept nogil:
    rec.age = f[F_STARTAGE] if f[F_STARTAGE] >= 0 else 999
    rec.daycase = _flag(j.classpat_flags, j.n_classpat, f[F_CLASSPAT], FLAG_DAYCASE)
    rec.elective = _flag(j.admimeth_flags, j.n_admimeth, f[F_ADMIMETH], FLAG_ELECTIVE)
    rec.sex = _lookup(j.sex_num, j.n_sex, f[F_SEX], 0)


cdef inline int32_t _days(int32_t v) noexcept nogil:
    return v if v > 0 else 0


cdef int32_t _episode(const Job* j, Block* b, int64_t i, int64_t s, int32_t elapsed,
                      Scan* spell_scan) noexcept nogil:
    """Validate, group and unbundle the episode at sorted position ``i`` of spell [s, ...);
    OR its code flags into ``spell_scan``; return its fatal error count."""
    cdef const Design* d = j.d
    cdef int64_t r = j.order[i]
    cdef const int32_t* f = j.fields + r * APC_NF
    cdef const int32_t* dx = j.diag + r * j.nd
    cdef const int32_t* px = j.proc + r * j.np
    cdef Record rec
    cdef Grouped g
    cdef Scan scan
    cdef int32_t fatal, calc, trigger
    cdef int32_t vars[N_VARS]
    cdef int32_t nd = used(dx, j.nd), np = used(px, j.np)

    scan_codes(d, dx, nd, px, np, &scan)
    spell_scan.dx_or |= scan.dx_or
    spell_scan.px_or |= scan.px_or
    fatal = validate_episode(d, f, dx, nd, px, np, &scan, &b.errs, i)
    if i > s:
        fatal += spell_checks(j.fields + j.order[s] * APC_NF, j.fields + j.order[i - 1] * APC_NF,
                              f, elapsed, &b.errs, i)
    if f[F_EPIDUR] >= 0:
        calc = f[F_EPIDUR] - _days(f[F_CCDAYS]) - _days(f[F_REHABDAYS]) - _days(f[F_SPCDAYS])
        calc = calc if calc > 0 else 0
    else:
        calc = -1
    j.calc_epidur[i] = calc
    rec.dx = dx
    rec.ndx = nd
    rec.px = px
    rec.npx = np
    rec.dx_or = scan.dx_or
    rec.px_or = scan.px_or
    rec.los = calc if calc > 0 else 0
    _record_vars(j, f, &rec)
    group_record_slots(d, &rec, scan.gx if nd <= 64 and np <= 64 else NULL, &g)
    if g.status == GS_POOR_DOMINANT:
        buf_push(&b.errs, i, FIELD_OPER + 1 + g.dom_index, M_UZ06, True)
        fatal += 1
    elif g.status == GS_NO_SPLIT:
        buf_push(&b.errs, i, FIELD_DIAG + 1, M_NO_SPLIT, True)
        fatal += 1
    elif g.status == GS_NO_ROOT and fatal == 0:
        buf_push(&b.errs, i, FIELD_DIAG + 1, M_DIAG_UNMAPPED, True)
        fatal += 1

    trigger = _lookup(j.tretspef_ub, j.n_tretspef, f[F_TRETSPEF], -1)
    if scan.px_or & PX_UNBUNDLED or trigger >= 0:
        base_vars(&rec, vars)
        fatal += unbundle_record(d, px, np, scan.px_or, trigger, F_TRETSPEF, vars,
                                 _days(f[F_REHABDAYS]), _days(f[F_SPCDAYS]), &b.ubs, &b.errs, i)
    j.fce_fatal[i] = fatal
    j.report_flag[i] = 0
    if fatal:
        j.fce_hrg[i] = d.uz01z
        j.fce_method[i] = 85  # U
        j.fce_dom[i] = -1
        j.fce_root[i] = j.uz_root
        j.fce_cc[i] = 0
        j.fce_rule[i] = -1
    else:
        j.fce_hrg[i] = g.hrg
        j.fce_method[i] = g.method
        j.fce_dom[i] = g.dominant
        j.fce_root[i] = g.root
        j.fce_cc[i] = g.cc
        j.fce_rule[i] = g.rule
    return fatal


cdef void _spell(const Job* j, Block* b, int64_t sp) noexcept nogil:
    cdef const Design* d = j.d
    cdef int64_t s = j.spell_start[sp], e = j.spell_start[sp + 1], i, report = -1
    cdef int64_t r0 = j.order[s]
    cdef const int32_t* first = j.fields + r0 * APC_NF
    cdef const int32_t* cur
    cdef int32_t elapsed = 0, los = 0, ccdays = 0
    cdef bint any_fatal = False
    cdef Record rec
    cdef Grouped g
    cdef Scan scan    # code flags of the whole spell: the composite holds every valid code

    scan.dx_or = scan.px_or = 0
    for i in range(s, e):
        cur = j.fields + j.order[i] * APC_NF
        if i > s:
            elapsed += _days((j.fields + j.order[i - 1] * APC_NF)[F_EPIDUR])
        if _episode(j, b, i, s, elapsed, &scan):
            if report < 0:
                report = i
            any_fatal = True
        los += _days(j.calc_epidur[i])
        ccdays += _days(cur[F_CCDAYS])

    j.sp_count[sp] = <int32_t>(e - s)
    j.sp_los[sp] = los
    j.sp_ccdays[sp] = ccdays
    if any_fatal:
        j.sp_hrg[sp] = d.uz01z
        j.sp_method[sp] = 85
        j.sp_dom[sp] = j.sp_pdiag[sp] = j.sp_sdiag[sp] = -1
        j.sp_root[sp] = j.uz_root
        j.sp_cc[sp] = 0
        j.sp_rule[sp] = -1
        j.sp_report[sp] = report
        j.report_flag[report] = 1
        return
    if e - s == 1:
        report = s
        j.sp_hrg[sp] = j.fce_hrg[s]
        j.sp_method[sp] = j.fce_method[s]
        j.sp_dom[sp] = j.fce_dom[s]
        j.sp_root[sp] = j.fce_root[s]
        j.sp_cc[sp] = j.fce_cc[s]
        j.sp_rule[sp] = j.fce_rule[s]
    else:
        if not build_composite(d, j.diag, j.nd, j.proc, j.np, j.order, s, e, &b.comp):
            b.failed = True
            return
        report = b.comp.report
        rec.dx = b.comp.dx.data
        rec.ndx = <int32_t>b.comp.dx.n
        rec.px = b.comp.px.data
        rec.npx = <int32_t>b.comp.px.n
        rec.dx_or = scan.dx_or
        rec.px_or = scan.px_or
        rec.los = los
        _record_vars(j, first, &rec)
        group_record(d, &rec, &g)
        if g.status != GS_OK:
            g.hrg = d.uz01z
            g.method = 85
            g.root = j.uz_root
            g.dominant = -1
        j.sp_hrg[sp] = g.hrg
        j.sp_method[sp] = g.method
        j.sp_dom[sp] = g.dominant
        j.sp_root[sp] = g.root
        j.sp_cc[sp] = g.cc
        j.sp_rule[sp] = g.rule
    cur = j.diag + j.order[report] * j.nd
    j.sp_pdiag[sp] = cur[0] if j.nd > 0 else -1
    j.sp_sdiag[sp] = first_secondary(cur, j.nd)
    j.sp_report[sp] = report
    j.report_flag[report] = 1


cdef void _run_block(const Job* j, Block* shared) noexcept nogil:
    """Run one block on a private copy of its state: neighbouring Blocks share cache lines,
    and their buffer counters are written all the time (false sharing between threads)."""
    cdef int64_t sp
    cdef Block b = shared[0]
    for sp in range(b.spell_lo, b.spell_hi):
        _spell(j, &b, sp)
        if b.failed or b.errs.failed or b.ubs.failed:
            b.failed = True
            break
    shared[0] = b


cdef object _events(Block* blocks, int nblocks, bint unbundled):
    cdef int64_t total = 0, pos = 0
    cdef int k
    cdef EventBuf* eb
    for k in range(nblocks):
        eb = &blocks[k].ubs if unbundled else &blocks[k].errs
        total += eb.n
    out = np.empty(total, dtype=np.dtype([("row", "<i8"), ("a", "<i4"), ("b", "<i4"),
                                           ("c", "<i4"), ("_pad", "<i4")]))
    cdef char* dst = <char*><size_t>out.ctypes.data
    for k in range(nblocks):
        eb = &blocks[k].ubs if unbundled else &blocks[k].errs
        if eb.n:
            memcpy(dst + pos * sizeof(Event), eb.data, eb.n * sizeof(Event))
            pos += eb.n
    return out


def group_apc(dict arrays, int uz01z, int paediatric_max_age, bint cc_exclude_same_category,
              const int32_t[:, ::1] fields not None, const int32_t[:, ::1] diag not None,
              const int32_t[:, ::1] proc not None, const int64_t[::1] order not None,
              const int64_t[::1] spell_start not None,
              const uint8_t[::1] classpat_flags not None, const uint8_t[::1] admimeth_flags not None,
              const int32_t[::1] sex_num not None, const int32_t[::1] tretspef_ub not None,
              int num_threads=1):
    """Group encoded APC episodes; return a dict of NumPy output columns (sorted order)."""
    cdef Design d = make_design(arrays, uz01z, paediatric_max_age, cc_exclude_same_category)
    cdef int64_t n = order.shape[0]
    cdef int64_t n_spells = spell_start.shape[0] - 1
    if fields.shape[1] != APC_NF:
        raise ValueError(f"fields must have {APC_NF} columns")
    if diag.shape[0] != fields.shape[0] or proc.shape[0] != fields.shape[0]:
        raise ValueError("fields, diag and proc must have the same number of rows")
    if n_spells < 0 or spell_start[0] != 0 or spell_start[n_spells] != n:
        raise ValueError("spell_start must run from 0 to the number of rows")
    if n and (np.min(order) < 0 or np.max(order) >= fields.shape[0]):
        raise ValueError("order holds a row outside the input")

    out = {
        "fce_hrg": np.empty(n, np.int32), "fce_method": np.empty(n, np.uint8),
        "fce_dom": np.empty(n, np.int32), "fce_root": np.empty(n, np.int32),
        "fce_cc": np.empty(n, np.int32), "fce_rule": np.empty(n, np.int32),
        "calc_epidur": np.empty(n, np.int32), "report_flag": np.empty(n, np.uint8),
        "fce_fatal": np.empty(n, np.int32),
        "sp_hrg": np.empty(n_spells, np.int32), "sp_method": np.empty(n_spells, np.uint8),
        "sp_dom": np.empty(n_spells, np.int32), "sp_pdiag": np.empty(n_spells, np.int32),
        "sp_sdiag": np.empty(n_spells, np.int32), "sp_count": np.empty(n_spells, np.int32),
        "sp_los": np.empty(n_spells, np.int32), "sp_ccdays": np.empty(n_spells, np.int32),
        "sp_root": np.empty(n_spells, np.int32), "sp_cc": np.empty(n_spells, np.int32),
        "sp_rule": np.empty(n_spells, np.int32), "sp_report": np.empty(n_spells, np.int64),
    }
    cdef Job job
    job.d = &d
    job.fields = &fields[0, 0] if fields.shape[0] else NULL
    job.diag = &diag[0, 0] if diag.shape[0] and diag.shape[1] else NULL
    job.nd = diag.shape[1]
    job.proc = &proc[0, 0] if proc.shape[0] and proc.shape[1] else NULL
    job.np = proc.shape[1]
    job.order = &order[0] if n else NULL
    job.spell_start = &spell_start[0]
    job.classpat_flags = &classpat_flags[0] if classpat_flags.shape[0] else NULL
    job.n_classpat = classpat_flags.shape[0]
    job.admimeth_flags = &admimeth_flags[0] if admimeth_flags.shape[0] else NULL
    job.n_admimeth = admimeth_flags.shape[0]
    job.sex_num = &sex_num[0] if sex_num.shape[0] else NULL
    job.n_sex = sex_num.shape[0]
    job.tretspef_ub = &tretspef_ub[0] if tretspef_ub.shape[0] else NULL
    job.n_tretspef = tretspef_ub.shape[0]
    job.uz_root = d.hrg[uz01z].root
    job.fce_hrg = <int32_t*><size_t>out["fce_hrg"].ctypes.data
    job.fce_method = <uint8_t*><size_t>out["fce_method"].ctypes.data
    job.fce_dom = <int32_t*><size_t>out["fce_dom"].ctypes.data
    job.fce_root = <int32_t*><size_t>out["fce_root"].ctypes.data
    job.fce_cc = <int32_t*><size_t>out["fce_cc"].ctypes.data
    job.fce_rule = <int32_t*><size_t>out["fce_rule"].ctypes.data
    job.calc_epidur = <int32_t*><size_t>out["calc_epidur"].ctypes.data
    job.report_flag = <uint8_t*><size_t>out["report_flag"].ctypes.data
    job.fce_fatal = <int32_t*><size_t>out["fce_fatal"].ctypes.data
    job.sp_hrg = <int32_t*><size_t>out["sp_hrg"].ctypes.data
    job.sp_method = <uint8_t*><size_t>out["sp_method"].ctypes.data
    job.sp_dom = <int32_t*><size_t>out["sp_dom"].ctypes.data
    job.sp_pdiag = <int32_t*><size_t>out["sp_pdiag"].ctypes.data
    job.sp_sdiag = <int32_t*><size_t>out["sp_sdiag"].ctypes.data
    job.sp_count = <int32_t*><size_t>out["sp_count"].ctypes.data
    job.sp_los = <int32_t*><size_t>out["sp_los"].ctypes.data
    job.sp_ccdays = <int32_t*><size_t>out["sp_ccdays"].ctypes.data
    job.sp_root = <int32_t*><size_t>out["sp_root"].ctypes.data
    job.sp_cc = <int32_t*><size_t>out["sp_cc"].ctypes.data
    job.sp_rule = <int32_t*><size_t>out["sp_rule"].ctypes.data
    job.sp_report = <int64_t*><size_t>out["sp_report"].ctypes.data

    cdef int nthreads = num_threads if num_threads > 0 else 1
    cdef int nblocks = nthreads * 32 if nthreads > 1 else 1   # small blocks: an even finish
    if nblocks > n_spells:
        nblocks = <int>n_spells if n_spells > 0 else 1
    cdef Block* blocks = <Block*>calloc(nblocks, sizeof(Block))
    if blocks == NULL:
        raise MemoryError()
    cdef int k
    cdef bint failed = False
    try:
        for k in range(nblocks):
            blocks[k].spell_lo = n_spells * k // nblocks
            blocks[k].spell_hi = n_spells * (k + 1) // nblocks
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
            failed = failed or blocks[k].failed
        if failed:
            raise MemoryError("out of memory while grouping APC records")
        out["errors"] = _events(blocks, nblocks, False)
        out["unbundled"] = _events(blocks, nblocks, True)
    finally:
        for k in range(nblocks):
            buf_free(&blocks[k].errs)
            buf_free(&blocks[k].ubs)
            free(blocks[k].comp.dx.data)
            free(blocks[k].comp.px.data)
        free(blocks)
    return out


def openmp_threads(int n):
    """How many distinct threads a prange of ``n`` really uses (1 without OpenMP)."""
    cdef int i, count = 0
    cdef int* seen = <int*>calloc(64, sizeof(int))
    for i in prange(64, nogil=True, num_threads=n, schedule="static", chunksize=1):
        seen[threadid()] = 1
    for i in range(64):
        count += seen[i]
    free(seen)
    return count


# spell order status codes returned by find_spells
cdef enum:
    ORDER_SORTED = 0        # keys ascending and EPIORDER ascending within every spell
    ORDER_GROUPED = 1       # keys ascending, but EPIORDER out of order inside some spell
    ORDER_UNSORTED = 2      # spell keys not in ascending order
SORTED, GROUPED, UNSORTED = ORDER_SORTED, ORDER_GROUPED, ORDER_UNSORTED


def find_spells(const uint8_t[::1] buf_p not None, const int64_t[:, ::1] procodet not None,
                const uint8_t[::1] buf_s not None, const int64_t[:, ::1] provspno not None,
                const int32_t[::1] epiorder not None):
    """Spell boundaries of rows whose PROCODET and PROVSPNO are (offset, length) spans into
    ``buf_p`` and ``buf_s``; returns (status, spell_start) with status SORTED, GROUPED or
    UNSORTED."""
    cdef int64_t n = procodet.shape[0], i, k = 1
    cdef int c, status = ORDER_SORTED
    cdef const unsigned char* bp = <const unsigned char*>&buf_p[0] if buf_p.shape[0] else NULL
    cdef const unsigned char* bs = <const unsigned char*>&buf_s[0] if buf_s.shape[0] else NULL
    starts = np.empty(n + 1, dtype=np.int64)
    cdef int64_t[::1] st = starts
    st[0] = 0
    with nogil:
        for i in range(1, n):
            c = compare_spans(bp, &procodet[i - 1, 0], &procodet[i, 0])
            if c == 0:
                c = compare_spans(bs, &provspno[i - 1, 0], &provspno[i, 0])
            if c < 0:
                st[k] = i
                k += 1
            elif c > 0:
                status = ORDER_UNSORTED
                st[k] = i
                k += 1
            elif epiorder[i] < epiorder[i - 1] and status == ORDER_SORTED:
                status = ORDER_GROUPED
        st[k] = n
    return status, starts[:k + 1] if n else starts[:1]


def pack_keys(const uint8_t[::1] buf not None, const int64_t[:, ::1] spans not None, int words):
    """Big-endian, zero-padded uint64 words of each span (for exact sorting with lexsort);
    raises ValueError if a span is longer than ``words`` * 8 bytes."""
    cdef int64_t n = spans.shape[0], i, j, off, ln
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    out = np.zeros((n, words), dtype=np.uint64)
    cdef uint64_t[:, ::1] o = out
    cdef uint64_t v
    cdef int w, b
    for i in range(n):
        if spans[i, 1] > words * 8:
            raise ValueError("key longer than the packed width")
    with nogil:
        for i in range(n):
            off = spans[i, 0]
            ln = spans[i, 1]
            for w in range(words):
                v = 0
                for b in range(8):
                    j = w * 8 + b
                    v <<= 8
                    if j < ln:
                        v |= base[off + j]
                o[i, w] = v
    return out


def key_partitions(const uint8_t[::1] buf not None, const int64_t[:, ::1] procodet not None,
                   const int64_t[:, ::1] provspno not None, const uint8_t[::1] bounds not None,
                   const int64_t[:, ::1] bound_p not None, const int64_t[:, ::1] bound_s not None):
    """For each row, the number of boundary keys (sorted (PROCODET, PROVSPNO) spans into
    ``bounds``) that are <= its key: its range partition."""
    cdef int64_t n = procodet.shape[0], nb = bound_p.shape[0], i, lo, hi, mid
    cdef int c
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    cdef const unsigned char* bb = <const unsigned char*>&bounds[0] if bounds.shape[0] else NULL
    out = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] o = out
    with nogil:
        for i in range(n):
            lo = 0
            hi = nb
            while lo < hi:
                mid = (lo + hi) >> 1
                c = _cmp2(bb, &bound_p[mid, 0], base, &procodet[i, 0])
                if c == 0:
                    c = _cmp2(bb, &bound_s[mid, 0], base, &provspno[i, 0])
                if c <= 0:
                    lo = mid + 1
                else:
                    hi = mid
            o[i] = <int32_t>lo
    return out


cdef inline int _cmp2(const unsigned char* ba, const int64_t* a, const unsigned char* bb,
                      const int64_t* b) noexcept nogil:
    cdef int64_t n = a[1] if a[1] < b[1] else b[1]
    cdef int c = memcmp(ba + a[0], bb + b[0], n) if n > 0 else 0
    if c != 0:
        return c
    return (a[1] > b[1]) - (a[1] < b[1])
