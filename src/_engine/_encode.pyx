# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Encode string columns (Arrow utf8 buffers) into the engine's integer columns.

One nogil pass per column writes straight into a column of a preallocated row-major
int32 matrix, so building the engine input costs one read of the text and one write
of four bytes per cell.
"""

from cpython.bytes cimport PyBytes_AS_STRING
from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int32_t, int64_t, uint64_t
from libc.stdlib cimport calloc, free

from codes cimport (icd10_key, opcs4_key, code_id, pack_value, value_id, parse_int,
                    CODE_BLANK, CODE_INVALID, INT_BLANK, INT_BAD)

cpdef enum Kind:
    ICD10 = 1
    OPCS4 = 2
    VALUE = 3            # enumerated: index into the design's sorted value list
    VALUE_ZEROS = 4      # enumerated, leading zeros not significant
    INTEGER = 5
    PRESENCE = 6         # 0 if non-blank, CODE_BLANK if blank
    DATE = 8             # YYYYMMDD -> days since 1970-01-01 (INT_BLANK / INT_BAD)
    DECIMAL3 = 9         # decimal with up to 3 places -> thousandths (kg -> g)


cdef inline bint _numeric(int kind) noexcept nogil:
    return kind == INTEGER or kind == DATE or kind == DECIMAL3


cdef inline int64_t _days_from_civil(int64_t y, int64_t m, int64_t d) noexcept nogil:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    cdef int64_t era, yoe, doy, doe
    if m <= 2:
        y -= 1
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


cdef inline int32_t parse_date(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """A YYYYMMDD cell as a day number; INT_BLANK if empty, INT_BAD if not a real date."""
    cdef Py_ssize_t a = 0, b = n, k
    cdef int32_t y = 0, m = 0, d = 0, dim
    while a < b and (p[a] == 32 or p[a] == 9):
        a += 1
    while b > a and (p[b - 1] == 32 or p[b - 1] == 9 or p[b - 1] == 13):
        b -= 1
    if a == b:
        return INT_BLANK
    if b - a != 8:
        return INT_BAD
    for k in range(8):
        if p[a + k] < 48 or p[a + k] > 57:
            return INT_BAD
    for k in range(4):
        y = y * 10 + (p[a + k] - 48)
    m = (p[a + 4] - 48) * 10 + (p[a + 5] - 48)
    d = (p[a + 6] - 48) * 10 + (p[a + 7] - 48)
    if y < 1800 or m < 1 or m > 12 or d < 1:
        return INT_BAD
    dim = 31
    if m == 4 or m == 6 or m == 9 or m == 11:
        dim = 30
    elif m == 2:
        dim = 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    if d > dim:
        return INT_BAD
    return <int32_t>_days_from_civil(y, m, d)


cdef inline int32_t parse_decimal3(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """A non-negative decimal with at most 3 places, in thousandths; INT_BLANK if empty,
    INT_BAD if malformed (leading zeros are fine: 03.2 = 3.2)."""
    cdef Py_ssize_t a = 0, b = n
    cdef int64_t v = 0
    cdef int places = -1, digits = 0
    cdef bint seen = False
    while a < b and (p[a] == 32 or p[a] == 9):
        a += 1
    while b > a and (p[b - 1] == 32 or p[b - 1] == 9 or p[b - 1] == 13):
        b -= 1
    if a == b:
        return INT_BLANK
    while a < b:
        if p[a] == 46 and places < 0:
            places = 0
        elif 48 <= p[a] <= 57 and places < 3 and digits < 9:
            v = v * 10 + (p[a] - 48)
            seen = True
            if v:                 # leading zeros do not count towards the digit limit
                digits += 1
            if places >= 0:
                places += 1
        else:
            return INT_BAD
        a += 1
    if not seen:
        return INT_BAD
    if places < 0:
        places = 0
    while places < 3:
        v *= 10
        places += 1
    return <int32_t>v if v <= 1000000000 else INT_BAD


cdef inline bint _blank(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        if p[i] != 32 and p[i] != 9 and p[i] != 13:
            return False
    return True


cdef inline int32_t _encode_cell(int kind, const unsigned char* p, Py_ssize_t n,
                                 const int32_t* key_to_id, const uint64_t* keys,
                                 int32_t nkeys) noexcept nogil:
    if kind == ICD10:
        return code_id(icd10_key(p, n), key_to_id)
    if kind == OPCS4:
        return code_id(opcs4_key(p, n), key_to_id)
    if kind == VALUE or kind == VALUE_ZEROS:
        return value_id(pack_value(p, n, kind == VALUE_ZEROS), keys, nkeys)
    if kind == INTEGER:
        return parse_int(p, n)
    if kind == DATE:
        return parse_date(p, n)
    if kind == DECIMAL3:
        return parse_decimal3(p, n)
    return CODE_BLANK if _blank(p, n) else 0


def encode_utf8(int kind, const int32_t[::1] offsets not None, const uint8_t[::1] data not None,
                validity, int64_t bit_offset, int32_t[:, ::1] out not None, int col,
                const int32_t[::1] key_to_id=None, const uint64_t[::1] keys=None,
                int num_threads=1):
    """Encode one Arrow utf8 column (its offsets/data buffers) into ``out[:, col]``.

    ``validity`` is the Arrow validity bitmap (or None); a null cell is blank.
    """
    cdef int64_t n = offsets.shape[0] - 1, i
    cdef const uint8_t[::1] valid
    cdef const uint8_t* vp = NULL
    cdef const int32_t* k2i = &key_to_id[0] if key_to_id is not None and key_to_id.shape[0] else NULL
    cdef const uint64_t* kp = &keys[0] if keys is not None and keys.shape[0] else NULL
    cdef int32_t nkeys = keys.shape[0] if keys is not None else 0
    cdef const unsigned char* base = <const unsigned char*>&data[0] if data.shape[0] else NULL
    cdef int64_t bit
    if out.shape[0] != n or not 0 <= col < out.shape[1]:
        raise ValueError("output column does not match the input length")
    if (kind == ICD10 or kind == OPCS4) and k2i == NULL:
        raise ValueError("code columns need a key_to_id table")
    if validity is not None:
        valid = validity
        vp = &valid[0]
    if n == 0:
        return
    if kind == VALUE or kind == VALUE_ZEROS:
        if kp == NULL:
            # a field with no valid values: every non-blank cell is invalid
            for i in range(n):
                bit = bit_offset + i
                if (vp != NULL and not (vp[bit >> 3] >> (bit & 7)) & 1) \
                        or _blank(base + offsets[i], offsets[i + 1] - offsets[i]):
                    out[i, col] = CODE_BLANK
                else:
                    out[i, col] = CODE_INVALID
            return
    for i in prange(n, nogil=True, num_threads=num_threads if num_threads > 0 else 1,
                    schedule="static"):
        bit = bit_offset + i
        if vp != NULL and not (vp[bit >> 3] >> (bit & 7)) & 1:
            out[i, col] = INT_BLANK if _numeric(kind) else CODE_BLANK
        else:
            out[i, col] = _encode_cell(kind, base + offsets[i], offsets[i + 1] - offsets[i],
                                       k2i, kp, nkeys)


def encode_int_values(const int64_t[::1] values not None, validity, int64_t bit_offset,
                      int32_t[:, ::1] out not None, int col):
    """Copy an integer column into ``out[:, col]``: nulls blank, out-of-range invalid."""
    cdef int64_t n = values.shape[0], i, bit, v
    cdef const uint8_t[::1] valid
    cdef const uint8_t* vp = NULL
    if out.shape[0] != n:
        raise ValueError("output column does not match the input length")
    if validity is not None:
        valid = validity
        vp = &valid[0]
    with nogil:
        for i in range(n):
            bit = bit_offset + i
            if vp != NULL and not (vp[bit >> 3] >> (bit & 7)) & 1:
                out[i, col] = INT_BLANK
                continue
            v = values[i]
            out[i, col] = <int32_t>v if -1000000000 <= v <= 1000000000 else INT_BAD



def encode_dict_indices(const int32_t[::1] indices not None, validity, int64_t bit_offset,
                        const int32_t[::1] dict_ids not None, int32_t null_id,
                        int32_t[:, ::1] out not None, int col, int num_threads=1):
    """Encode a dictionary-encoded column: ``out[i, col] = dict_ids[indices[i]]``, where
    ``dict_ids`` holds the encoded dictionary values; a null cell gets ``null_id``."""
    cdef int64_t n = indices.shape[0], i, bit
    cdef int32_t k, nd = dict_ids.shape[0]
    cdef const uint8_t[::1] valid
    cdef const uint8_t* vp = NULL
    if out.shape[0] != n or not 0 <= col < out.shape[1]:
        raise ValueError("output column does not match the input length")
    if validity is not None:
        valid = validity
        vp = &valid[0]
    if n == 0:
        return
    for i in prange(n, nogil=True, num_threads=num_threads if num_threads > 0 else 1,
                    schedule="static"):
        bit = bit_offset + i
        k = indices[i]
        if (vp != NULL and not (vp[bit >> 3] >> (bit & 7)) & 1) or k < 0 or k >= nd:
            out[i, col] = null_id
        else:
            out[i, col] = dict_ids[k]

# --- fused parse + encode of delimited text lines ----------------------------------------

cdef enum:
    KIND_KEY = 7            # keep the cell's (start, length) span, for sort keys

ctypedef struct LineSpec:
    int32_t field           # 0-based field index within the line
    int32_t kind            # Kind, or KIND_KEY
    int32_t* out            # int32 target matrix (row-major), or NULL for KIND_KEY
    int64_t* spans          # int64 (n, 2) span matrix for KIND_KEY
    int64_t stride          # target row stride in elements
    int32_t col
    const int32_t* key_to_id
    const uint64_t* keys
    int32_t nkeys
    const unsigned char* extract   # 256-entry drop table, or NULL


cdef inline void _encode_spec(const LineSpec* s, int64_t row, const unsigned char* p,
                              Py_ssize_t n, int64_t offset) noexcept nogil:
    cdef unsigned char tmp[64]
    cdef Py_ssize_t i, m = 0
    if s.kind == KIND_KEY:
        s.spans[row * 2] = offset
        s.spans[row * 2 + 1] = n
        return
    if s.extract != NULL:
        for i in range(n):
            if not s.extract[p[i]]:
                if m == 64:
                    m = 65   # too long to be a valid value: encodes as invalid
                    break
                tmp[m] = p[i]
                m += 1
        if m <= 64:
            s.out[row * s.stride + s.col] = _encode_cell(s.kind, tmp, m, s.key_to_id, s.keys,
                                                         s.nkeys)
        else:
            s.out[row * s.stride + s.col] = INT_BAD if _numeric(s.kind) else CODE_INVALID
        return
    s.out[row * s.stride + s.col] = _encode_cell(s.kind, p, n, s.key_to_id, s.keys, s.nkeys)


cdef inline void _blank_spec(const LineSpec* s, int64_t row) noexcept nogil:
    if s.kind == KIND_KEY:
        s.spans[row * 2] = 0
        s.spans[row * 2 + 1] = 0
    else:
        s.out[row * s.stride + s.col] = INT_BLANK if _numeric(s.kind) else CODE_BLANK


def encode_lines(const uint8_t[::1] buf not None, const int64_t[::1] line_start not None,
                 const int64_t[::1] line_end not None, int delim, list specs,
                 int32_t[::1] nfields not None, int num_threads=1):
    """Split each line and encode the requested fields straight into their targets.

    ``specs``: one tuple per field to read, in any order:
    ``(field index, kind, target, column, key_to_id or None, keys or None, extract or None)``
    where target is a row-major int32 matrix (or, for kind 7 = KEY, an int64 (n, 2) array
    that receives the cell's byte offset and length). Fields missing from a short line
    encode as blank. ``nfields`` receives each line's field count.
    """
    cdef int64_t n = line_start.shape[0], i, p, e, fstart
    cdef int nspec = len(specs), k, f, next_k
    if nfields.shape[0] != n:
        raise ValueError("nfields must have one entry per line")
    cdef LineSpec* sp = <LineSpec*>calloc(nspec if nspec else 1, sizeof(LineSpec))
    if sp == NULL:
        raise MemoryError()
    keep = []
    cdef int32_t[:, ::1] mat
    cdef int64_t[:, ::1] spanmat
    cdef const int32_t[::1] k2i
    cdef const uint64_t[::1] kv
    cdef const unsigned char* base = <const unsigned char*>&buf[0] if buf.shape[0] else NULL
    order = sorted(range(nspec), key=lambda j: specs[j][0])
    try:
        for k, j in enumerate(order):
            field, kind, target, col, key_to_id, keys, extract = specs[j]
            sp[k].field = field
            sp[k].kind = kind
            sp[k].col = col
            if kind == KIND_KEY:
                spanmat = target
                if spanmat.shape[0] != n:
                    raise ValueError("span target must have one row per line")
                sp[k].spans = &spanmat[0, 0] if n else NULL
            else:
                mat = target
                if mat.shape[0] != n or not 0 <= col < mat.shape[1]:
                    raise ValueError("target matrix does not fit")
                sp[k].out = &mat[0, 0] if n else NULL
                sp[k].stride = mat.shape[1]
            if key_to_id is not None:
                k2i = key_to_id
                sp[k].key_to_id = &k2i[0]
            if keys is not None and len(keys):
                kv = keys
                sp[k].keys = &kv[0]
                sp[k].nkeys = kv.shape[0]
            if extract:
                drop = bytes(1 if c in extract.encode("latin-1") else 0 for c in range(256))
                keep.append(drop)
                sp[k].extract = <const unsigned char*>PyBytes_AS_STRING(drop)
            keep.append(specs[j])
        if n == 0:
            return
        for i in prange(n, nogil=True, num_threads=num_threads if num_threads > 0 else 1,
                        schedule="static"):
            p = line_start[i]
            e = line_end[i]
            f = 0
            next_k = 0
            fstart = p
            while True:
                if p == e or base[p] == delim:
                    while next_k < nspec and sp[next_k].field == f:
                        _encode_spec(&sp[next_k], i, base + fstart, p - fstart, fstart)
                        next_k = next_k + 1
                    f = f + 1
                    if p == e or next_k == nspec:
                        break
                    fstart = p + 1
                p = p + 1
            # count the remaining fields cheaply (for padding echoed short lines)
            while p < e:
                if base[p] == delim:
                    f = f + 1
                p = p + 1
            nfields[i] = f
            while next_k < nspec:
                _blank_spec(&sp[next_k], i)
                next_k = next_k + 1
    finally:
        free(sp)
