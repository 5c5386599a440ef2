# cython: language_level=3
"""Growable C arrays for the sparse, variable-length outputs of a grouping run.

Quality messages and unbundled HRGs are few per record but unbounded, so each worker
block appends them to its own EventBuf (no locks); blocks cover consecutive rows, so
concatenating the buffers in block order keeps row order.
"""

from libc.stdint cimport int32_t, int64_t
from libc.stdlib cimport malloc, realloc, free

ctypedef struct Event:
    int64_t row      # sorted row position
    int32_t a        # errors: field code;    unbundled: HRG id
    int32_t b        # errors: message id;    unbundled: days (*N), 0 if none
    int32_t c        # errors: fatal flag;    unbundled: field code that triggered it
    int32_t _pad

ctypedef struct EventBuf:
    Event* data
    int64_t n
    int64_t cap
    bint failed


cdef inline void buf_init(EventBuf* b) noexcept nogil:
    b.data = NULL
    b.n = 0
    b.cap = 0
    b.failed = False


cdef inline void buf_free(EventBuf* b) noexcept nogil:
    free(b.data)
    b.data = NULL
    b.n = b.cap = 0


cdef inline bint buf_push(EventBuf* b, int64_t row, int32_t a, int32_t bb, int32_t c) noexcept nogil:
    cdef int64_t cap
    cdef Event* grown
    if b.n == b.cap:
        cap = b.cap * 2 if b.cap else 256
        grown = <Event*>realloc(b.data, cap * sizeof(Event))
        if grown == NULL:
            b.failed = True
            return False
        b.data = grown
        b.cap = cap
    b.data[b.n].row = row
    b.data[b.n].a = a
    b.data[b.n].b = bb
    b.data[b.n].c = c
    b.data[b.n]._pad = 0
    b.n += 1
    return True


ctypedef struct IntVec:
    int32_t* data
    int64_t n
    int64_t cap


cdef inline bint vec_reserve(IntVec* v, int64_t need) noexcept nogil:
    cdef int64_t cap
    cdef int32_t* grown
    if need <= v.cap:
        return True
    cap = v.cap * 2 if v.cap else 64
    while cap < need:
        cap *= 2
    grown = <int32_t*>realloc(v.data, cap * sizeof(int32_t))
    if grown == NULL:
        return False
    v.data = grown
    v.cap = cap
    return True
