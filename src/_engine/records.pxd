# cython: language_level=3
"""What the six record logics (NAC, EM, ACC, PCC, NCC, NRD) share: the per-slot field
description, table-driven validation of every slot, value classes and flags, and the
dataset's decision list (``logic_rules.csv``).

A record is one row of a row-major int32 matrix: the dataset's scalar fields, then its
repeated fields (OPER_nn, INV_nn, ...), each slot encoded as in codes.pxd. Validation
needs no per-dataset code: each slot says how it is encoded, whether it is mandatory,
its valid range and whether a bad value makes the record UZ01Z.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t
from tables cimport Design, N_VARS, V_AGE
from codes cimport CODE_BLANK, CODE_INVALID, INT_BLANK, INT_BAD
from buffers cimport EventBuf, buf_push
from rules cimport rule_holds, choose_split
from messages cimport M_BLANK, M_INVALID, M_DIAG_INVALID, M_PROC_INVALID

# slot encodings (hrgfast._encode.Kind)
cdef enum:
    K_ICD10 = 1
    K_OPCS4 = 2
    K_VALUE = 3
    K_VALUE_ZEROS = 4
    K_INTEGER = 5
    K_PRESENCE = 6
    K_DATE = 8
    K_DECIMAL3 = 9

# value flags (schema.FIELD_FLAGS)
cdef enum:
    VF_DENTAL = 4
    VF_DEAD = 8
    VF_POSITIVE = 16
    VF_INAPPROPRIATE = 32

ctypedef struct Slot:
    int32_t kind
    int32_t required         # blank is an error
    int32_t fatal            # an error here makes the record UZ01Z
    int32_t lo               # valid range of numeric slots
    int32_t hi
    int32_t code             # field code in messages (messages.pxd)
    const int32_t* cls       # enumerated slots: class of each value id, or NULL
    const uint8_t* flags     # enumerated slots: flags of each value id, or NULL
    const int32_t* num       # enumerated slots: numeric value of each value id, or NULL
    const int32_t* ub_root   # enumerated slots: unbundled root a value triggers (-1), or NULL
    int32_t nvalues

ctypedef struct Ctx:
    const Design* d
    int32_t logic
    const int32_t* fields    # (n, nslots) in input-row order
    int32_t nslots
    const Slot* slots
    int32_t rep_start[3]     # repeated groups: first slot and slot count
    int32_t rep_count[3]
    int32_t rule_start       # the logic's decision list in the rule pool
    int32_t rule_stop
    int32_t fail_msg         # message when no rule holds
    int32_t fail_field       # and the field code it names
    const int32_t* acc_organ # ACC: organ system of each support-day field, -1 none
    int32_t nac_min_hierarchy
    const uint8_t* nac_px    # NAC: 1 if a procedure's root offers an HRG to outpatients

ctypedef struct Out:
    int32_t* hrg
    uint8_t* method
    int32_t* dom
    int32_t* att_hrg
    int32_t* calc_days
    uint8_t* warn
    int32_t* rule
    int32_t* period
    int32_t* fatal


cdef inline int32_t value_class(const Slot* s, int32_t v, int32_t dflt) noexcept nogil:
    return s.cls[v] if s.cls != NULL and 0 <= v < s.nvalues else dflt


cdef inline bint value_flag(const Slot* s, int32_t v, uint8_t bit) noexcept nogil:
    return s.flags != NULL and 0 <= v < s.nvalues and (s.flags[v] & bit) != 0


cdef inline int32_t numeric(int32_t v) noexcept nogil:
    """A numeric slot's value, 0 when blank or bad (validation reports those)."""
    return v if v != INT_BLANK and v != INT_BAD and v > 0 else 0


cdef inline int32_t _err(EventBuf* errs, int64_t row, const Slot* s, int32_t msg) noexcept nogil:
    buf_push(errs, row, s.code, msg, s.fatal)
    return 1 if s.fatal else 0


cdef inline int32_t validate_slots(const Ctx* c, const int32_t* f, EventBuf* errs,
                                   int64_t row) noexcept nogil:
    """Append a message for every blank mandatory or invalid slot; return the number of
    fatal ones."""
    cdef int32_t k, v, fatal = 0, kind
    cdef const Slot* s
    for k in range(c.nslots):
        s = &c.slots[k]
        v = f[k]
        kind = s.kind
        if kind == K_INTEGER or kind == K_DATE or kind == K_DECIMAL3:
            if v == INT_BLANK:
                if s.required:
                    fatal += _err(errs, row, s, M_BLANK)
            elif v == INT_BAD or v < s.lo or v > s.hi:
                fatal += _err(errs, row, s, M_INVALID)
        elif v == CODE_BLANK:
            if s.required:
                fatal += _err(errs, row, s, M_BLANK)
        elif v == CODE_INVALID:
            if kind == K_ICD10:
                fatal += _err(errs, row, s, M_DIAG_INVALID)
            elif kind == K_OPCS4:
                fatal += _err(errs, row, s, M_PROC_INVALID)
            else:
                fatal += _err(errs, row, s, M_INVALID)
    return fatal


cdef inline int32_t decide(const Ctx* c, const int32_t* vars, int32_t age,
                           int32_t* rule_out) noexcept nogil:
    """The HRG the logic's decision list gives, or -1 when no rule holds. A rule whose
    target is a root is split by the root's rules with ``age``."""
    cdef const Design* d = c.d
    cdef int32_t r, t, k, split_rule
    cdef int32_t apc_vars[N_VARS]
    for r in range(c.rule_start, c.rule_stop):
        if not rule_holds(d, r, vars):
            continue
        rule_out[0] = r
        t = d.rule_target[r]
        if t < d.n_hrg:
            return t
        for k in range(N_VARS):
            apc_vars[k] = 0
        apc_vars[V_AGE] = age
        return choose_split(d, t - d.n_hrg, apc_vars, &split_rule)
    rule_out[0] = -1
    return -1


cdef inline void assign(const Ctx* c, const int32_t* vars, int32_t age, int32_t fatal,
                        Out* o, int64_t i, EventBuf* errs) noexcept nogil:
    """Record i's HRG from the decision list, or UZ01Z (with the dataset's error when no
    rule holds and the record was otherwise valid)."""
    cdef int32_t rule, hrg = decide(c, vars, age, &rule)
    o.rule[i] = rule
    if hrg < 0 and fatal == 0:
        buf_push(errs, i, c.fail_field, c.fail_msg, True)
        fatal = 1
    o.fatal[i] = fatal
    o.hrg[i] = c.d.uz01z if fatal else hrg
    if fatal:
        o.rule[i] = -1
