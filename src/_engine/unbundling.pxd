# cython: language_level=3
"""Unbundled HRGs: activity costed on top of the core HRG (imaging, chemotherapy,
radiotherapy, high-cost drugs, rehabilitation, specialist palliative care...).

Each procedure occurrence whose code carries an unbundled root yields one unbundled
HRG (split like any root, by age and the other record variables); so does a field
value with an unbundled trigger (for example a treatment function). HRGs the design
marks as paid per day carry ``*N`` from REHABILITATIONDAYS / SPCDAYS. A poorly coded
(UZ06) unbundled procedure gives an unbundled UZ01Z, which cascades up to the core
HRG unless it belongs to a critical-care subchapter.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t
from tables cimport Design, SUBCH_CRITICAL_CARE, DAYS_REHAB, DAYS_SPC, PX_UNBUNDLED
from buffers cimport EventBuf, buf_push
from rules cimport choose_split
from messages cimport M_UZ06, M_NO_SPLIT, FIELD_OPER


cdef inline int32_t _days(const Design* d, int32_t hrg, int32_t rehab_days,
                          int32_t spc_days) noexcept nogil:
    cdef int32_t kind = d.hrg[hrg].days_field
    if kind == DAYS_REHAB and rehab_days > 0:
        return rehab_days
    if kind == DAYS_SPC and spc_days > 0:
        return spc_days
    return 0


cdef inline int32_t _unbundle_root(const Design* d, int32_t root, bint poorly_coded,
                                   int32_t origin, const int32_t* vars, int32_t rehab_days,
                                   int32_t spc_days, EventBuf* ubs, EventBuf* errs,
                                   int64_t row) noexcept nogil:
    """Emit one unbundled HRG from ``root``; return 1 if it is a cascading UZ01Z."""
    cdef int32_t rule, hrg = -1, msg = 0
    cdef bint cascades = not (d.subch_flags[d.root_subch[root]] & SUBCH_CRITICAL_CARE)
    if poorly_coded:
        msg = M_UZ06
    else:
        hrg = choose_split(d, root, vars, &rule)
        if hrg < 0:
            msg = M_NO_SPLIT
    if msg:
        buf_push(errs, row, origin, msg, cascades)
        buf_push(ubs, row, d.uz01z, 0, origin)
        return 1 if cascades else 0
    buf_push(ubs, row, hrg, _days(d, hrg, rehab_days, spc_days), origin)
    return 0


cdef inline int32_t unbundle_record(const Design* d, const int32_t* px, int32_t np,
                                    uint8_t px_or, int32_t trigger_root, int32_t trigger_field,
                                    const int32_t* vars, int32_t rehab_days, int32_t spc_days,
                                    EventBuf* ubs, EventBuf* errs, int64_t row) noexcept nogil:
    """Emit the record's unbundled HRGs; return how many cascade UZ01Z to the core HRG."""
    cdef int32_t j, c, cascade = 0
    for j in range(np if px_or & PX_UNBUNDLED else 0):
        c = px[j]
        if c < 0 or d.px[c].unbundled < 0:
            continue
        cascade += _unbundle_root(d, d.px[c].unbundled, d.px[c].error == 6, FIELD_OPER + 1 + j,
                                  vars, rehab_days, spc_days, ubs, errs, row)
    if trigger_root >= 0:
        cascade += _unbundle_root(d, trigger_root, False, trigger_field, vars, rehab_days,
                                  spc_days, ubs, errs, row)
    return cascade
