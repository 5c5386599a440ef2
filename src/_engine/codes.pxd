# cython: language_level=3
"""Code encoding: one raw cell (bytes) -> one small integer, without Python objects.

ICD-10 and OPCS-4 codes map to dense keys (see ``hrgfast.design.compiler.icd10_key``,
``opcs4_key``: the two must agree) and then through the design's key->id table.
Enumerated fields pack into a uint64 and are found by binary search in the design's
sorted value list. Integers parse with two sentinels so validation can tell a blank
from garbage.
"""

from libc.stdint cimport int32_t, int64_t, uint64_t

cdef enum:
    CODE_BLANK = -1
    CODE_INVALID = -2
    INT_BLANK = -2147483647 - 1
    INT_BAD = -2147483647


cdef inline bint _skip(unsigned char ch) noexcept nogil:
    return ch == 32 or ch == 46 or ch == 9 or ch == 13   # space . tab CR


cdef inline int32_t icd10_key(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """Dense ICD-10 key, CODE_BLANK for an empty cell, CODE_INVALID if malformed."""
    cdef unsigned char c[5]
    cdef int m = 0
    cdef Py_ssize_t i
    cdef unsigned char ch
    cdef int32_t v3, v4 = 0
    for i in range(n):
        ch = p[i]
        if _skip(ch):
            continue
        if m == 5:
            return CODE_INVALID
        if 97 <= ch <= 122:
            ch -= 32
        c[m] = ch
        m += 1
    if m == 0:
        return CODE_BLANK
    if m == 3:
        c[3] = 88   # 'X': three-character categories are padded with X
        m = 4
    if m < 4 or c[0] < 65 or c[0] > 90 or c[1] < 48 or c[1] > 57 or c[2] < 48 or c[2] > 57:
        return CODE_INVALID
    if c[3] == 88 or c[3] == 45:        # X or -
        v3 = 1
    elif 48 <= c[3] <= 57:
        v3 = 2 + (c[3] - 48)
    else:
        return CODE_INVALID
    if m == 5:
        if 48 <= c[4] <= 57:
            v4 = 1 + (c[4] - 48)
        elif c[4] == 88:
            v4 = 11
        else:
            return CODE_INVALID
    return ((((c[0] - 65) * 100 + (c[1] - 48) * 10 + (c[2] - 48)) * 12 + v3) * 12) + v4


cdef inline int32_t opcs4_key(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """Dense OPCS-4 key, CODE_BLANK for an empty cell, CODE_INVALID if malformed."""
    cdef unsigned char c[4]
    cdef int m = 0
    cdef Py_ssize_t i
    cdef unsigned char ch
    for i in range(n):
        ch = p[i]
        if _skip(ch):
            continue
        if m == 4:
            return CODE_INVALID
        if 97 <= ch <= 122:
            ch -= 32
        c[m] = ch
        m += 1
    if m == 0:
        return CODE_BLANK
    if m != 4 or c[0] < 65 or c[0] > 90:
        return CODE_INVALID
    for i in range(1, 4):
        if c[i] < 48 or c[i] > 57:
            return CODE_INVALID
    return (c[0] - 65) * 1000 + (c[1] - 48) * 100 + (c[2] - 48) * 10 + (c[3] - 48)


cdef inline int32_t code_id(int32_t key, const int32_t* key_to_id) noexcept nogil:
    if key < 0:
        return key
    cdef int32_t i = key_to_id[key]
    return i if i >= 0 else CODE_INVALID


cdef inline uint64_t pack_value(const unsigned char* p, Py_ssize_t n, bint strip_zeros) noexcept nogil:
    """Pack a trimmed cell of up to 8 bytes big-endian; 0 if blank, 1 if too long.

    With ``strip_zeros`` leading zeros are not significant ("01" == "1", "00" == "0").
    """
    cdef Py_ssize_t a = 0, b = n
    while a < b and (p[a] == 32 or p[a] == 9):
        a += 1
    while b > a and (p[b - 1] == 32 or p[b - 1] == 9 or p[b - 1] == 13):
        b -= 1
    if a == b:
        return 0
    if strip_zeros:
        while b - a > 1 and p[a] == 48:
            a += 1
    if b - a > 8:
        return 1
    cdef uint64_t v = 0
    cdef int k
    for k in range(8):
        v <<= 8
        if a + k < b:
            v |= p[a + k]
    return v


cdef inline int32_t value_id(uint64_t packed, const uint64_t* keys, int32_t n) noexcept nogil:
    """Index of ``packed`` in the sorted ``keys``; CODE_BLANK or CODE_INVALID."""
    if packed == 0:
        return CODE_BLANK
    cdef int32_t lo = 0, hi = n, mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if keys[mid] < packed:
            lo = mid + 1
        else:
            hi = mid
    if lo < n and keys[lo] == packed:
        return lo
    return CODE_INVALID


cdef inline int32_t parse_int(const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """Parse a decimal integer cell; INT_BLANK if empty, INT_BAD if not an integer."""
    cdef Py_ssize_t a = 0, b = n
    cdef int64_t v = 0
    cdef bint neg = False
    while a < b and (p[a] == 32 or p[a] == 9):
        a += 1
    while b > a and (p[b - 1] == 32 or p[b - 1] == 9 or p[b - 1] == 13):
        b -= 1
    if a == b:
        return INT_BLANK
    if p[a] == 45 or p[a] == 43:
        neg = p[a] == 45
        a += 1
    if a == b or b - a > 9:
        return INT_BAD
    while a < b:
        if p[a] < 48 or p[a] > 57:
            return INT_BAD
        v = v * 10 + (p[a] - 48)
        a += 1
    return <int32_t>(-v if neg else v)
