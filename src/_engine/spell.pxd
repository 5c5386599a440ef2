# cython: language_level=3
"""Spell logic: consistency checks across the episodes of a provider spell, and the
composite record a multi-episode spell is grouped as.

Our reading of the published rules (docs/grouping.md marks each as (M) or (I)):
SEX, CLASSPAT, ADMISORC and ADMIMETH must not vary (M); an age may rise by at most
one year plus the whole years elapsed since the spell began (I); EPIORDER may not
repeat (M). The spell is grouped as one record: every procedure of every episode
competes for dominance; the primary diagnosis is that of the episode holding the
dominant procedure, or else of the first episode with an informative primary (I);
every other diagnosis of the spell is a secondary (I).
"""

from libc.stdint cimport int32_t, int64_t
from libc.string cimport memcmp
from tables cimport Design, DX_SPELL_SKIP
from buffers cimport EventBuf, buf_push, IntVec, vec_reserve
from messages cimport M_INCONSISTENT, M_AGE_RISE, M_EPIORDER_DUP
from scan cimport used
from apc_fields cimport (F_EPIORDER, F_STARTAGE, F_SEX, F_CLASSPAT, F_ADMISORC, F_ADMIMETH,
                         F_EPIDUR, APC_NF)


cdef inline int32_t spell_checks(const int32_t* first, const int32_t* prev, const int32_t* cur,
                                 int32_t elapsed_days, EventBuf* errs,
                                 int64_t row) noexcept nogil:
    """Messages for a non-first episode ``cur`` of a spell; return the fatal count."""
    cdef int32_t n = 0, slot, a0, a1
    for slot in range(F_SEX, F_ADMIMETH + 1):   # SEX, CLASSPAT, ADMISORC, ADMIMETH
        if cur[slot] != first[slot]:
            buf_push(errs, row, slot, M_INCONSISTENT, True)
            n += 1
    a0 = first[F_STARTAGE]
    a1 = cur[F_STARTAGE]
    if 0 <= a0 <= 130 and 0 <= a1 <= 130 and a1 - a0 > elapsed_days // 365 + 1:
        buf_push(errs, row, F_STARTAGE, M_AGE_RISE, True)
        n += 1
    if cur[F_EPIORDER] == prev[F_EPIORDER] and 1 <= cur[F_EPIORDER] <= 97:
        buf_push(errs, row, F_EPIORDER, M_EPIORDER_DUP, True)
        n += 1
    return n


ctypedef struct Composite:
    IntVec dx
    IntVec px
    int64_t report          # sorted row position of the spell's reporting episode


cdef inline bint build_composite(const Design* d, const int32_t* diag, int32_t nd,
                                 const int32_t* proc, int32_t np, const int64_t* order,
                                 int64_t s, int64_t e, Composite* c) noexcept nogil:
    """Assemble the spell [s, e) as one record; False if memory ran out."""
    cdef int64_t i
    cdef int32_t j, n, code, best = 0, h
    cdef int32_t primary
    cdef const int32_t* row
    if not vec_reserve(&c.px, (e - s) * np + 1) or not vec_reserve(&c.dx, (e - s) * nd + 1):
        return False
    c.px.n = 0
    c.report = -1
    for i in range(s, e):
        row = proc + order[i] * np
        n = used(row, np)
        for j in range(n):
            code = row[j]
            if code < 0:
                continue
            c.px.data[c.px.n] = code
            c.px.n += 1
            h = d.px[code].hierarchy
            if h > best:
                best = h
                c.report = i
    if c.report < 0:
        c.report = s
        for i in range(s, e):
            primary = diag[order[i] * nd] if nd > 0 else -1
            if primary >= 0 and not d.dx[primary].flags & DX_SPELL_SKIP:
                c.report = i
                break
    c.dx.n = 0
    c.dx.data[c.dx.n] = diag[order[c.report] * nd] if nd > 0 else -1
    c.dx.n += 1
    for i in range(s, e):
        row = diag + order[i] * nd
        n = used(row, nd)
        for j in range(1 if i == c.report else 0, n):
            code = row[j]
            if code >= 0:
                c.dx.data[c.dx.n] = code
                c.dx.n += 1
    return True


cdef inline int32_t first_secondary(const int32_t* dx, int32_t nd) noexcept nogil:
    cdef int32_t j
    for j in range(1, nd):
        if dx[j] >= 0:
            return dx[j]
    return -1


cdef inline int compare_spans(const unsigned char* buf, const int64_t* a, const int64_t* b) noexcept nogil:
    """Byte-wise comparison of two (offset, length) cells: <0, 0 or >0."""
    cdef int64_t n = a[1] if a[1] < b[1] else b[1]
    cdef int c = memcmp(buf + a[0], buf + b[0], n) if n > 0 else 0
    if c != 0:
        return c
    return (a[1] > b[1]) - (a[1] < b[1])
