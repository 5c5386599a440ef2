# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Encode string columns (Arrow utf8 buffers) into the engine's integer columns.

One nogil pass per column writes straight into a column of a preallocated row-major
int32 matrix, so building the engine input costs one read of the text and one write
of four bytes per cell.
"""

from cython.parallel cimport prange
from libc.stdint cimport uint8_t, int32_t, int64_t, uint64_t

from codes cimport (icd10_key, opcs4_key, code_id, pack_value, value_id, parse_int,
                    CODE_BLANK, CODE_INVALID, INT_BLANK, INT_BAD)

cpdef enum Kind:
    ICD10 = 1
    OPCS4 = 2
    VALUE = 3            # enumerated: index into the design's sorted value list
    VALUE_ZEROS = 4      # enumerated, leading zeros not significant
    INTEGER = 5
    PRESENCE = 6         # 0 if non-blank, CODE_BLANK if blank


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
            out[i, col] = INT_BLANK if kind == INTEGER else CODE_BLANK
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
