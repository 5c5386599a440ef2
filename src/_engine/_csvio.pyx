# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Official-format delimited text: line indexing, field splitting and row assembly.

The official grouper reads and writes plain delimited text with no quoting (quotes
are data) and no escapes, so this is simpler and much faster than a general CSV
parser. Reading yields Arrow-layout utf8 columns (offsets + data) for just the fields
the RDF names, keeping every line (short lines get blank trailing fields). Writing
renders typed columns (integer outputs, code tables, echoed input lines, Arrow strings,
variable-length trailing lists) into rows of bytes, in parallel over rows.
"""

from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int32_t, int64_t
from libc.stdlib cimport malloc, realloc, free, calloc
from libc.string cimport memchr, memcpy

import numpy as np


def index_lines(const uint8_t[::1] buf not None, int64_t start=0, int64_t end=-1):
    """(line_start, line_end) of every non-empty line of ``buf[start:end]``.

    Lines end at LF; a CR before the LF is not part of the line. Zero-length lines
    (blank lines, the empty tail after a final newline) are not records.
    """
    cdef int64_t size = buf.shape[0]
    if end < 0 or end > size:
        end = size
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if size else NULL
    cdef int64_t n = 0, pos = start, stop, e
    cdef const void* hit
    with nogil:
        while pos < end:
            hit = memchr(base + pos, 10, end - pos)
            n += 1
            if hit == NULL:
                break
            pos = (<const unsigned char*>hit - base) + 1
    ls = np.empty(n, dtype=np.int64)
    le = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] vs = ls
    cdef int64_t[::1] ve = le
    cdef int64_t k = 0
    pos = start
    with nogil:
        while pos < end:
            hit = memchr(base + pos, 10, end - pos)
            stop = (<const unsigned char*>hit - base) if hit != NULL else end
            e = stop
            if e > pos and base[e - 1] == 13:
                e -= 1
            if e > pos:
                vs[k] = pos
                ve[k] = e
                k += 1
            pos = stop + 1
    return ls[:k], le[:k]


ctypedef struct ByteBuf:
    unsigned char* data
    int64_t n
    int64_t cap


cdef inline bint _reserve(ByteBuf* b, int64_t extra) noexcept nogil:
    cdef int64_t cap
    cdef unsigned char* grown
    if b.n + extra <= b.cap:
        return True
    cap = b.cap * 2 if b.cap else 1 << 16
    while cap < b.n + extra:
        cap *= 2
    grown = <unsigned char*>realloc(b.data, cap)
    if grown == NULL:
        return False
    b.data = grown
    b.cap = cap
    return True


ctypedef struct SlotSpec:
    int32_t field            # 0-based field index in the line
    int32_t slot             # output column
    const unsigned char* extract   # 256-entry drop table or NULL
    const unsigned char* picture   # template or NULL ('.' drops that position)
    int32_t picture_len


cdef inline bint _append(ByteBuf* b, const unsigned char* p, int64_t n,
                         const SlotSpec* spec) noexcept nogil:
    cdef int64_t i
    if not _reserve(b, n):
        return False
    if spec.extract == NULL and spec.picture == NULL:
        memcpy(b.data + b.n, p, n)
        b.n += n
        return True
    for i in range(n):
        if spec.picture != NULL and i < spec.picture_len and spec.picture[i] == 46:
            continue
        if spec.extract != NULL and spec.extract[p[i]]:
            continue
        b.data[b.n] = p[i]
        b.n += 1
    return True


def split_fields(const uint8_t[::1] buf not None, const int64_t[::1] line_start not None,
                 const int64_t[::1] line_end not None, int delim, list specs):
    """Split lines into the requested fields.

    ``specs`` is a list of (field index, extract chars or None, picture or None), one
    per output column, in any order. Returns (columns, nfields): for each spec an
    (offsets int32[n+1], data uint8) pair, and the number of fields on each line.
    """
    cdef int64_t n = line_start.shape[0], i, p, e, fstart
    cdef int nspec = len(specs), k, f, next_k
    cdef SlotSpec* sp = <SlotSpec*>calloc(nspec if nspec else 1, sizeof(SlotSpec))
    cdef ByteBuf* bufs = <ByteBuf*>calloc(nspec if nspec else 1, sizeof(ByteBuf))
    cdef int32_t** offs = <int32_t**>calloc(nspec if nspec else 1, sizeof(int32_t*))
    if sp == NULL or bufs == NULL or offs == NULL:
        free(sp); free(bufs); free(offs)
        raise MemoryError()
    keep = []
    offsets_out = []
    nfields = np.empty(n, dtype=np.int32)
    cdef int32_t[::1] nf = nfields
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    cdef bint ok = True
    cdef bytes table
    order = sorted(range(nspec), key=lambda j: specs[j][0])
    try:
        for k, j in enumerate(order):
            field, extract, picture = specs[j]
            sp[k].field = field
            sp[k].slot = j
            if extract:
                drop = extract.encode("latin-1")
                table = bytes(1 if c in drop else 0 for c in range(256))
                keep.append(table)
                sp[k].extract = <const unsigned char*>PyBytes_AS_STRING(table)
            if picture:
                pic = picture.encode("latin-1")
                keep.append(pic)
                sp[k].picture = <const unsigned char*>PyBytes_AS_STRING(pic)
                sp[k].picture_len = len(pic)
            arr = np.empty(n + 1, dtype=np.int32)
            arr[0] = 0
            offsets_out.append(arr)
            offs[k] = <int32_t*><size_t>arr.ctypes.data
        with nogil:
            for i in range(n):
                p = line_start[i]
                e = line_end[i]
                f = 0
                next_k = 0
                fstart = p
                while True:
                    if p == e or base[p] == delim:
                        while next_k < nspec and sp[next_k].field == f:
                            if not _append(&bufs[next_k], base + fstart, p - fstart, &sp[next_k]):
                                ok = False
                            offs[next_k][i + 1] = <int32_t>bufs[next_k].n
                            next_k += 1
                        f += 1
                        if p == e:
                            break
                        fstart = p + 1
                    p += 1
                nf[i] = f
                while next_k < nspec:       # a short line: the missing fields are blank
                    offs[next_k][i + 1] = <int32_t>bufs[next_k].n
                    next_k += 1
                if not ok:
                    break
        if not ok:
            raise MemoryError("out of memory while splitting fields")
        columns = [None] * nspec
        for k in range(nspec):
            if bufs[k].n > 2147483647:
                raise OverflowError("a column holds more than 2 GiB of text; read in chunks")
            data = np.empty(bufs[k].n, dtype=np.uint8)
            if bufs[k].n:
                memcpy(<void*><size_t>data.ctypes.data, bufs[k].data, bufs[k].n)
            columns[sp[k].slot] = (offsets_out[k], data)
        return columns, nfields
    finally:
        for k in range(nspec):
            free(bufs[k].data)
        free(sp)
        free(bufs)
        free(offs)


# --- typed-column row formatting ------------------------------------------------------------
# Rows are rendered straight from integer outputs and code tables: one pass sizes every
# row, a prefix sum places it, a second pass writes it; both run over rows in parallel.

cpdef enum Col:
    ECHO = 1        # the input line (buf, line_start, line_end, nfields, pad_to), gathered
    INT = 2         # int32 values; values below `lo` print blank
    CODE = 3        # int32 ids into a fixed-width string table; negative prints blank
    CHAR = 4        # uint8 ASCII; 0 prints blank
    CONST = 5       # the same bytes on every row
    ROWNO = 6       # row number: (index[i] if gathered else i) + base
    SPAN = 7        # raw bytes of an (offset, length) span of buf, gathered
    UTF8 = 8        # Arrow utf8 buffers (offsets, data, validity, bit offset), gathered
    TRAIL_HRG = 9   # trailing list per row: HRG ids (+ days -> "HRG*N"), at least one field
    TRAIL_MSG = 10  # trailing list per row: "TYPE|VALUE|TEXT" quality messages


ctypedef struct FmtCol:
    int kind
    const int64_t* index          # gather: output row -> source index (NULL: identity)
    const int32_t* i32            # INT, CODE values; TRAIL ids
    const int32_t* i32b           # TRAIL_HRG days; TRAIL_MSG text ids
    const uint8_t* u8             # CHAR values
    int32_t lo                    # INT: blank below
    int64_t base                  # ROWNO base
    const unsigned char* table    # CODE/TRAIL_HRG fixed-width table
    const uint8_t* lens           # its entries' lengths
    int32_t width
    const unsigned char* buf      # ECHO/SPAN/TRAIL_MSG source bytes
    const int64_t* a64            # ECHO line_start | SPAN spans (n,2) | TRAIL row_start
    const int64_t* b64            # ECHO line_end | TRAIL_MSG value spans (m,2)
    const int32_t* nf             # ECHO nfields
    int64_t pad_to
    const int32_t* offs           # UTF8 offsets | TRAIL_MSG type/text string tables offsets
    const unsigned char* data     # UTF8 data | TRAIL_MSG string table data
    const uint8_t* valid
    int64_t bit_offset
    const unsigned char* cbytes   # CONST
    int64_t clen


cdef const char* _DIGITS2 = (b"00010203040506070809101112131415161718192021222324252627282930"
                             b"31323334353637383940414243444546474849505152535455565758596061"
                             b"62636465666768697071727374757677787980818283848586878889909192"
                             b"93949596979899")


cdef inline int _itoa(int64_t v, unsigned char* dst) noexcept nogil:
    """Decimal digits of v at dst; returns the count (two digits per step)."""
    cdef unsigned char tmp[24]
    cdef int n = 24, k
    cdef int64_t q, r
    if v < 0:
        dst[0] = 45
        return 1 + _itoa(-v, dst + 1)
    if v < 10:
        dst[0] = 48 + v
        return 1
    while v >= 100:
        q = v // 100
        r = v - q * 100
        n -= 2
        tmp[n] = _DIGITS2[2 * r]
        tmp[n + 1] = _DIGITS2[2 * r + 1]
        v = q
    if v >= 10:
        n -= 2
        tmp[n] = _DIGITS2[2 * v]
        tmp[n + 1] = _DIGITS2[2 * v + 1]
    else:
        n -= 1
        tmp[n] = 48 + v
    for k in range(24 - n):
        dst[k] = tmp[n + k]
    return 24 - n


cdef inline void _copy(unsigned char* dst, const unsigned char* src, int64_t n) noexcept nogil:
    """memcpy, without a call for the short strings most fields are."""
    cdef int64_t k
    if n > 16:
        memcpy(dst, src, n)
    else:
        for k in range(n):
            dst[k] = src[k]




cdef inline int64_t _str_len(const int32_t* offs, int32_t id) noexcept nogil:
    return offs[id + 1] - offs[id]


cdef int64_t _render(const FmtCol* cols, int ncol, int delim, int64_t i,
                     unsigned char* dst) noexcept nogil:
    """Write row i (without the newline) at dst; return its length."""
    cdef int64_t pos = 0, j, n, t, r, v
    cdef int k
    cdef const FmtCol* c
    cdef bint first = True
    cdef int32_t id
    for k in range(ncol):
        c = &cols[k]
        j = c.index[i] if c.index != NULL else i
        if c.kind == TRAIL_HRG or c.kind == TRAIL_MSG:
            n = c.a64[j + 1] - c.a64[j]
            if n == 0:           # an empty trailing list still fills its named column
                if not first:
                    dst[pos] = delim
                    pos += 1
                first = False
                continue
            for t in range(c.a64[j], c.a64[j + 1]):
                if not first:
                    dst[pos] = delim
                    pos += 1
                first = False
                if c.kind == TRAIL_HRG:
                    n = c.lens[c.i32[t]]
                    _copy(dst + pos, c.table + <int64_t>c.i32[t] * c.width, n)
                    pos += n
                    if c.i32b[t] > 0:
                        dst[pos] = 42   # *
                        pos += 1 + _itoa(c.i32b[t], dst + pos + 1)
                else:
                    id = c.i32[t]
                    n = _str_len(c.offs, id)
                    _copy(dst + pos, c.data + c.offs[id], n)
                    dst[pos + n] = 124  # |
                    pos += n + 1
                    n = c.b64[2 * t + 1]
                    if n > 0:
                        _copy(dst + pos, c.buf + c.b64[2 * t], n)
                        pos += n
                    dst[pos] = 124
                    pos += 1
                    id = c.i32b[t]
                    n = _str_len(c.offs, id)
                    _copy(dst + pos, c.data + c.offs[id], n)
                    pos += n
            continue
        if not first:
            dst[pos] = delim
            pos += 1
        first = False
        if c.kind == ECHO:
            n = c.b64[j] - c.a64[j]
            memcpy(dst + pos, c.buf + c.a64[j], n)
            pos += n
            for t in range(c.nf[j], c.pad_to):
                dst[pos] = delim
                pos += 1
        elif c.kind == INT:
            v = c.i32[j]
            if v >= c.lo:
                pos += _itoa(v, dst + pos)
        elif c.kind == CODE:
            id = c.i32[j]
            if id >= 0:
                n = c.lens[id]
                _copy(dst + pos, c.table + <int64_t>id * c.width, n)
                pos += n
        elif c.kind == CHAR:
            if c.u8[j] != 0:
                dst[pos] = c.u8[j]
                pos += 1
        elif c.kind == CONST:
            _copy(dst + pos, c.cbytes, c.clen)
            pos += c.clen
        elif c.kind == ROWNO:
            pos += _itoa(j + c.base, dst + pos)
        elif c.kind == SPAN:
            n = c.a64[2 * j + 1]
            if n > 0:
                _copy(dst + pos, c.buf + c.a64[2 * j], n)
                pos += n
        elif c.kind == UTF8:
            if c.valid != NULL:
                r = c.bit_offset + j
                if not (c.valid[r >> 3] >> (r & 7)) & 1:
                    continue
            n = c.offs[j + 1] - c.offs[j]
            _copy(dst + pos, c.data + c.offs[j], n)
            pos += n
    return pos


ctypedef struct Piece:
    unsigned char* data
    int64_t n
    int64_t cap
    bint failed


cdef class Rendered:
    """Rendered rows in C memory, exposed through the buffer protocol (file.write takes
    it as is), freed when the last reference goes: no copy into a bytes object."""
    cdef unsigned char* data
    cdef Py_ssize_t n
    cdef Py_ssize_t shape[1]
    cdef Py_ssize_t strides[1]

    def __len__(self):
        return self.n

    def __getbuffer__(self, Py_buffer* view, int flags):
        self.shape[0] = self.n
        self.strides[0] = 1
        view.buf = <void*>self.data if self.data != NULL else <void*>self.shape
        view.obj = self
        view.len = self.n
        view.readonly = 1
        view.itemsize = 1
        if flags & 4:        # PyBUF_FORMAT
            view.format = "B"
        else:
            view.format = NULL
        view.ndim = 1
        view.shape = self.shape
        view.strides = self.strides
        view.suboffsets = NULL
        view.internal = NULL

    def __releasebuffer__(self, Py_buffer* view):
        pass

    def __dealloc__(self):
        free(self.data)


cdef Rendered _take(Piece* p):
    cdef Rendered r = Rendered.__new__(Rendered)
    r.data = p.data
    r.n = p.n
    p.data = NULL
    p.n = p.cap = 0
    return r


cdef void _render_range(const FmtCol* cols, int ncol, int delim, int64_t lo, int64_t hi,
                        int64_t row_max, const unsigned char* nlp, Py_ssize_t nl,
                        Piece* out, int64_t* spans) noexcept nogil:
    """Render rows lo..hi into out's growable buffer (row_max bounds one row); with
    ``spans``, record each row's (offset within the piece, length without newline)."""
    cdef int64_t i, cap, m
    cdef unsigned char* grown
    for i in range(lo, hi):
        if out.cap - out.n < row_max + nl:
            cap = out.cap * 2 if out.cap else (hi - lo) * 64 + row_max + nl
            while cap - out.n < row_max + nl:
                cap *= 2
            grown = <unsigned char*>realloc(out.data, cap)
            if grown == NULL:
                out.failed = True
                return
            out.data = grown
            out.cap = cap
        m = _render(cols, ncol, delim, i, out.data + out.n)
        if spans != NULL:
            spans[2 * i] = out.n
            spans[2 * i + 1] = m
        out.n += m
        if nl == 1:
            out.data[out.n] = nlp[0]
        else:
            memcpy(out.data + out.n, nlp, nl)
        out.n += nl


def _lengths(table):
    """Lengths of a fixed-width bytes table's entries (trailing NULs excluded)."""
    return np.char.str_len(table).astype(np.uint8) if len(table) else np.zeros(1, np.uint8)


def merge_constants(list columns, int delim=44):
    """Fold runs of adjacent CONST columns into one (fewer columns to render per row)."""
    out = []
    sep = bytes([delim])
    for spec in columns:
        if spec[0] == CONST and out and out[len(out) - 1][0] == CONST:
            out[len(out) - 1] = (CONST, out[len(out) - 1][1] + sep + spec[1])
        else:
            out.append(spec)
    return out


def _row_max(list columns, int ncol, int64_t n):
    """An upper bound on the length of any one row (so a row never overruns its buffer)."""
    total = ncol + 2
    for spec in columns:
        kind = spec[0]
        if kind == ECHO:
            _, b, ls, le, nf, pad, _ = spec
            total += (int((np.asarray(le) - np.asarray(ls)).max(initial=0)) + int(pad) + 1)
        elif kind in (INT, ROWNO):
            total += 21
        elif kind == CODE:
            total += np.asarray(spec[2]).dtype.itemsize
        elif kind == CHAR:
            total += 1
        elif kind == CONST:
            total += len(spec[1])
        elif kind == SPAN:
            total += int(np.asarray(spec[2])[:, 1].max(initial=0)) if len(spec[2]) else 0
        elif kind == UTF8:
            offs = np.asarray(spec[1])
            total += int(np.diff(offs).max(initial=0)) if len(offs) > 1 else 0
        elif kind == TRAIL_HRG:
            start = np.asarray(spec[1])
            items = int(np.diff(start).max(initial=0)) if len(start) > 1 else 0
            total += max(items, 1) * (np.asarray(spec[4]).dtype.itemsize + 13)
        elif kind == TRAIL_MSG:
            start, spans, soffs = np.asarray(spec[1]), np.asarray(spec[3]), np.asarray(spec[6])
            items = int(np.diff(start).max(initial=0)) if len(start) > 1 else 0
            longest = int(np.diff(soffs).max(initial=0)) if len(soffs) > 1 else 0
            vmax = int(spans[:, 1].max(initial=0)) if len(spans) else 0
            total += max(items, 1) * (2 * longest + vmax + 3)
    return total


def format_rows(int64_t n, list columns, int delim=44, bytes newline=b"\n", int num_threads=1,
                bint spans=False, bint pieces_out=False):
    """Render ``n`` rows of typed columns (see ``Col``) as delimited text; return bytes.

    Each column is a tuple ``(kind, ...)``:
      (ECHO, buf, line_start, line_end, nfields, pad_to, index)
      (INT, values_int32, lo, index)        (CODE, ids_int32, table_S, index)
      (CHAR, values_uint8, index)           (CONST, bytes)
      (ROWNO, base, index)                  (SPAN, buf, spans_int64_n2, index)
      (UTF8, offsets, data, validity, bit_offset, index)
      (TRAIL_HRG, row_start_int64, ids_int32, days_int32, table_S, index)
      (TRAIL_MSG, row_start_int64, type_ids, value_spans_int64_m2, text_ids, buf,
                  strings_offsets, strings_data, index)

    With ``spans=True`` returns (bytes, (n, 2) int64 spans of each row without its
    newline), so a rendered part can be reused as a SPAN column of other files. With
    ``pieces_out=True`` returns the per-thread ``Rendered`` pieces in order (no copy).
    """
    columns = merge_constants(columns, delim)
    cdef int ncol = len(columns), k
    cdef FmtCol* cols = <FmtCol*>calloc(ncol if ncol else 1, sizeof(FmtCol))
    if cols == NULL:
        raise MemoryError()
    keep = list(columns)
    cdef const uint8_t[::1] u8
    cdef const int32_t[::1] i32
    cdef const int64_t[::1] i64
    cdef const int64_t[:, ::1] i64x2
    cdef const char[::1] sbuf
    cdef int64_t i, total = 0
    cdef Py_ssize_t nl = len(newline)
    cdef const unsigned char* nlp = <const unsigned char*>PyBytes_AS_STRING(newline)
    cdef unsigned char* dst
    cdef int nt = num_threads if num_threads > 0 else 1
    cdef int64_t row_max, base
    cdef int nparts
    cdef Piece* pieces
    cdef int64_t* sp

    def ptr(a):
        return <size_t>a.ctypes.data if a is not None and len(a) else 0

    def as_u8(a):
        a = np.ascontiguousarray(a)
        keep.append(a)
        return a

    try:
        for k in range(ncol):
            spec = columns[k]
            kind = spec[0]
            c = &cols[k]
            c.kind = kind
            index = spec[len(spec) - 1] if kind != CONST else None   # (wraparound is off)
            if index is not None:
                index = np.ascontiguousarray(index, dtype=np.int64)
                keep.append(index)
                c.index = <const int64_t*><size_t>ptr(index)
            if kind == ECHO:
                _, b, ls, le, nf, pad, _ = spec
                c.buf = <const unsigned char*><size_t>ptr(as_u8(b))
                c.a64 = <const int64_t*><size_t>ptr(as_u8(ls))
                c.b64 = <const int64_t*><size_t>ptr(as_u8(le))
                c.nf = <const int32_t*><size_t>ptr(as_u8(nf))
                c.pad_to = pad
            elif kind == INT:
                _, vals, lo, _ = spec
                c.i32 = <const int32_t*><size_t>ptr(as_u8(np.asarray(vals, np.int32)))
                c.lo = lo
            elif kind == CODE:
                _, ids, table, _ = spec
                c.i32 = <const int32_t*><size_t>ptr(as_u8(np.asarray(ids, np.int32)))
                table = as_u8(table)
                c.table = <const unsigned char*><size_t>ptr(table)
                c.lens = <const uint8_t*><size_t>ptr(as_u8(_lengths(table)))
                c.width = table.dtype.itemsize
            elif kind == CHAR:
                _, vals, _ = spec
                c.u8 = <const uint8_t*><size_t>ptr(as_u8(np.asarray(vals, np.uint8)))
            elif kind == CONST:
                cb = bytes(spec[1])
                keep.append(cb)
                c.cbytes = <const unsigned char*>PyBytes_AS_STRING(cb)
                c.clen = len(cb)
            elif kind == ROWNO:
                c.base = spec[1]
            elif kind == SPAN:
                _, b, cell_spans, _ = spec
                c.buf = <const unsigned char*><size_t>ptr(as_u8(b))
                c.a64 = <const int64_t*><size_t>ptr(as_u8(np.asarray(cell_spans, np.int64)))
            elif kind == UTF8:
                _, offs, data, valid, bit_offset, _ = spec
                c.offs = <const int32_t*><size_t>ptr(as_u8(offs))
                c.data = <const unsigned char*><size_t>(ptr(as_u8(data)) or <size_t>nlp)
                if valid is not None:
                    c.valid = <const uint8_t*><size_t>ptr(as_u8(valid))
                c.bit_offset = bit_offset
            elif kind == TRAIL_HRG:
                _, start, ids, days, table, _ = spec
                c.a64 = <const int64_t*><size_t>ptr(as_u8(np.asarray(start, np.int64)))
                c.i32 = <const int32_t*><size_t>(ptr(as_u8(np.asarray(ids, np.int32))) or <size_t>nlp)
                c.i32b = <const int32_t*><size_t>(ptr(as_u8(np.asarray(days, np.int32))) or <size_t>nlp)
                table = as_u8(table)
                c.table = <const unsigned char*><size_t>ptr(table)
                c.lens = <const uint8_t*><size_t>ptr(as_u8(_lengths(table)))
                c.width = table.dtype.itemsize
            elif kind == TRAIL_MSG:
                _, start, types, value_spans, texts, b, soffs, sdata, _ = spec
                c.a64 = <const int64_t*><size_t>ptr(as_u8(np.asarray(start, np.int64)))
                c.i32 = <const int32_t*><size_t>(ptr(as_u8(np.asarray(types, np.int32))) or <size_t>nlp)
                c.b64 = <const int64_t*><size_t>(ptr(as_u8(np.asarray(value_spans, np.int64))) or <size_t>nlp)
                c.i32b = <const int32_t*><size_t>(ptr(as_u8(np.asarray(texts, np.int32))) or <size_t>nlp)
                c.buf = <const unsigned char*><size_t>(ptr(as_u8(b)) or <size_t>nlp)
                c.offs = <const int32_t*><size_t>ptr(as_u8(soffs))
                c.data = <const unsigned char*><size_t>(ptr(as_u8(sdata)) or <size_t>nlp)
            else:
                raise ValueError(f"unknown column kind {kind}")
        row_max = _row_max(columns, ncol, n)
        nparts = nt if n >= 4096 * nt else 1
        pieces = <Piece*>calloc(nparts, sizeof(Piece))
        if pieces == NULL:
            raise MemoryError()
        span_arr = np.empty((n, 2), dtype=np.int64) if spans else None
        sp = <int64_t*><size_t>span_arr.ctypes.data if spans and n else NULL
        try:
            with nogil:
                for k in prange(nparts, num_threads=nt, schedule="static", chunksize=1):
                    _render_range(cols, ncol, delim, n * k // nparts, n * (k + 1) // nparts,
                                  row_max, nlp, nl, &pieces[k], sp)
            for k in range(nparts):
                if pieces[k].failed:
                    raise MemoryError("out of memory while formatting output rows")
                total += pieces[k].n
            if pieces_out and not spans:
                return [_take(&pieces[k]) for k in range(nparts) if pieces[k].n]
            out = PyBytes_FromStringAndSize(NULL, total)
            dst = <unsigned char*>PyBytes_AS_STRING(out)
            base = 0
            for k in range(nparts):
                if pieces[k].n:
                    memcpy(dst, pieces[k].data, pieces[k].n)
                    dst += pieces[k].n
                if spans and base:
                    span_arr[n * k // nparts:n * (k + 1) // nparts, 0] += base
                base += pieces[k].n
            return (out, span_arr) if spans else out
        finally:
            for k in range(nparts):
                free(pieces[k].data)
            free(pieces)
    finally:
        free(cols)


def field_spans(const uint8_t[::1] buf not None, const int64_t[::1] line_start not None,
                const int64_t[::1] line_end not None, const int64_t[::1] rows not None,
                const int32_t[::1] fields not None, int delim):
    """(offset, length) of field ``fields[k]`` on line ``rows[k]``, for each k; a field
    past the end of a short line gives length 0."""
    cdef int64_t m = rows.shape[0], k, p, e, fstart
    cdef int32_t f, want
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    out = np.zeros((m, 2), dtype=np.int64)
    cdef int64_t[:, ::1] o = out
    with nogil:
        for k in range(m):
            p = line_start[rows[k]]
            e = line_end[rows[k]]
            want = fields[k]
            f = 0
            fstart = p
            while True:
                if p == e or base[p] == delim:
                    if f == want:
                        o[k, 0] = fstart
                        o[k, 1] = p - fstart
                        break
                    f += 1
                    if p == e:
                        break
                    fstart = p + 1
                p += 1
    return out


def gather_lines(const uint8_t[::1] buf not None, const int64_t[::1] line_start not None,
                 const int64_t[::1] line_end not None, const int64_t[::1] rows not None):
    """The given lines, each ending in a newline, as one bytes object."""
    cdef int64_t m = rows.shape[0], k, total = 0, pos = 0, n
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    for k in range(m):
        total += line_end[rows[k]] - line_start[rows[k]] + 1
    out = PyBytes_FromStringAndSize(NULL, total)
    cdef unsigned char* dst = <unsigned char*>PyBytes_AS_STRING(out)
    with nogil:
        for k in range(m):
            n = line_end[rows[k]] - line_start[rows[k]]
            memcpy(dst + pos, base + line_start[rows[k]], n)
            pos += n
            dst[pos] = 10
            pos += 1
    return out
