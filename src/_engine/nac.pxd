# cython: language_level=3
"""Outpatient (NAC) logic. Diagnoses are ignored (official). A significant procedure
(hierarchy at least ``[nac] min_hierarchy``, and a root with an HRG the design marks
for NAC) drives a procedure HRG exactly as in APC
(flag P), procedure-triggered global exceptions first (flag G); otherwise the HRG comes
from the NAC decision list over FIRSTATT (WF01/WF02, flag O). Procedures with an
unbundled root add unbundled HRGs; a poorly coded unbundled procedure cascades UZ01Z
to the attendance. AttendanceHRG is the decision-list HRG of a procedure-driven
attendance (the attendance as if it had no procedures). A procedure-driven HRG that the
design does not mark for NAC (``hrgs.csv`` datasets) is not used: the attendance then
takes the decision-list HRG.
"""

from libc.stdint cimport int32_t, int64_t, uint8_t
from tables cimport (Design, N_VARS, V_AGE, V_SEX, V_DAYCASE, V_ELECTIVE, PX_SIGNIFICANT, PX_GX,
                     PX_INTERVENTION)
from codes cimport CODE_BLANK
from buffers cimport EventBuf, buf_push
from messages cimport M_UZ05, M_UZ06, M_NO_SPLIT
from grouping cimport Record, Grouped, group_record, GS_OK, GS_NO_ROOT, GS_POOR_DOMINANT
from unbundling cimport unbundle_record
from records cimport Ctx, Out, Slot, value_class, decide
from record_fields cimport (N_STARTAGE, N_SEX, N_TRETSPEF, N_FIRSTATT, N_MULTIPROF, VN_AGE,
                            VN_FIRSTATT, VN_MULTIPROF, N_LOGIC_VARS, DS_BIT_NAC)

cdef enum:
    MAX_OPER = 128


cdef inline void nac_record(const Ctx* c, const int32_t* f, int32_t fatal, Out* o, int64_t i,
                            EventBuf* errs, EventBuf* ubs) noexcept nogil:
    cdef const Design* d = c.d
    cdef const int32_t* px = f + c.rep_start[0]
    cdef int32_t npx = c.rep_count[0] if c.rep_count[0] <= MAX_OPER else MAX_OPER
    cdef int32_t sig[MAX_OPER]
    cdef int32_t lvars[N_LOGIC_VARS]
    cdef int32_t avars[N_VARS]
    cdef int32_t k, code, rule, wf, age, trig = -1, trig_field = 0
    cdef uint8_t por = 0, sig_or = 0
    cdef Record rec
    cdef Grouped g
    cdef const Slot* s

    age = f[N_STARTAGE] if f[N_STARTAGE] >= 0 else -1
    while npx > 0 and px[npx - 1] == CODE_BLANK:
        npx -= 1
    for k in range(npx):
        code = px[k]
        sig[k] = -1
        if code < 0:
            continue
        por |= d.px[code].flags
        if d.px[code].hierarchy <= 0 or (d.px[code].hierarchy >= c.nac_min_hierarchy
                                         and c.nac_px[code]):
            sig[k] = code
            sig_or |= d.px[code].flags
    if npx > 0 and px[0] >= 0 and d.px[px[0]].error == 5:
        buf_push(errs, i, c.slots[c.rep_start[0]].code, M_UZ05, True)
        fatal += 1

    for k in range(N_LOGIC_VARS):
        lvars[k] = 0
    lvars[VN_AGE] = age
    lvars[VN_FIRSTATT] = value_class(&c.slots[N_FIRSTATT], f[N_FIRSTATT], 0)
    lvars[VN_MULTIPROF] = value_class(&c.slots[N_MULTIPROF], f[N_MULTIPROF], 0)
    wf = decide(c, lvars, age, &rule)

    rec.dx = NULL
    rec.ndx = 0
    rec.px = sig
    rec.npx = npx
    rec.dx_or = 0
    rec.px_or = sig_or
    rec.age = age if age >= 0 else 999
    rec.los = 0
    rec.daycase = 1
    rec.elective = 1
    s = &c.slots[N_SEX]
    rec.sex = s.num[f[N_SEX]] if s.num != NULL and 0 <= f[N_SEX] < s.nvalues else 0
    if sig_or & (PX_SIGNIFICANT | PX_INTERVENTION | PX_GX):
        group_record(d, &rec, &g)
    else:
        g.status = GS_NO_ROOT
        g.dominant = -1
    if g.status == GS_OK and not (d.hrg[g.hrg].datasets & DS_BIT_NAC):
        # an HRG the design does not offer to outpatients (e.g. an admitted-care same-day
        # global exception): the attendance is not procedure-driven
        g.status = GS_NO_ROOT
        g.dominant = -1
    o.att_hrg[i] = -1
    o.dom[i] = -1
    if g.status == GS_NO_ROOT and g.dominant < 0:
        o.rule[i] = rule
        o.hrg[i] = wf
        o.method[i] = 79    # O
        if wf < 0 and fatal == 0:
            buf_push(errs, i, c.fail_field, c.fail_msg, True)
            fatal += 1
    else:
        o.rule[i] = g.rule
        o.hrg[i] = g.hrg
        o.method[i] = g.method
        o.dom[i] = g.dominant
        o.att_hrg[i] = wf
        if g.status == GS_POOR_DOMINANT:
            buf_push(errs, i, c.slots[c.rep_start[0] + g.dom_index].code, M_UZ06, True)
            fatal += 1
        elif g.status != GS_OK:
            buf_push(errs, i, c.slots[c.rep_start[0] + (g.dom_index if g.dom_index >= 0 else 0)].code,
                     M_NO_SPLIT, True)
            fatal += 1

    for k in range(N_VARS):
        avars[k] = 0
    avars[V_AGE] = rec.age
    avars[V_SEX] = rec.sex
    avars[V_DAYCASE] = 1
    avars[V_ELECTIVE] = 1
    s = &c.slots[N_TRETSPEF]
    if s.ub_root != NULL and 0 <= f[N_TRETSPEF] < s.nvalues:
        trig = s.ub_root[f[N_TRETSPEF]]
        trig_field = s.code
    fatal += unbundle_record(d, px, npx, por, trig, trig_field, avars, 0, 0, ubs, errs, i)
    o.fatal[i] = fatal
    if fatal:
        o.hrg[i] = d.uz01z
        o.method[i] = 85    # U
        o.dom[i] = -1
        o.att_hrg[i] = -1
        o.rule[i] = -1
