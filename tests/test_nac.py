"""Outpatients (NAC) against the mini design: WF splits from FIRSTATT (flag O),
procedure-driven HRGs (flag P) above [nac] min_hierarchy = 5, unbundled HRGs with the
APC cascade, diagnoses ignored."""

from conftest import hrgs, messages


def attend(**kw):
    return {"STARTAGE": "45", "SEX": "1", "MAINSPEF": "300", "TRETSPEF": "300", "FIRSTATT": "1",
            "OPER_01": "", "OPER_02": "", **kw}


def col(r, name):
    return r.records.column(name).to_pylist()


def test_first_and_follow_up_face_to_face_or_not(group_ds):
    r = group_ds("NAC", [attend(FIRSTATT="1"), attend(FIRSTATT="2"), attend(FIRSTATT="3"),
                         attend(FIRSTATT="4"), attend(FIRSTATT="01"),
                         attend(FIRSTATT="1", MULTIPROF="2"), attend(FIRSTATT="2", MULTIPROF="2"),
                         attend(FIRSTATT="2", MULTIPROF="1")])
    assert hrgs(r) == ["WF01B", "WF01A", "WF01D", "WF01C", "WF01B", "WF02B", "WF02A", "WF01A"]
    assert col(r, "GroupingMethodFlag") == ["O"] * 8
    assert col(r, "AttendanceHRG") == [None] * 8


def test_procedure_driven_and_threshold(group_ds):
    r = group_ds("NAC", [attend(OPER_01="W37.1"),        # hierarchy 5: drives HN12 -> HN12C
                         attend(OPER_01="W401"),         # hierarchy 4 < 5: outpatient default
                         attend(OPER_01="W401", OPER_02="W371", FIRSTATT="2")])
    assert hrgs(r) == ["HN12C", "WF01B", "HN12C"]
    assert col(r, "GroupingMethodFlag") == ["P", "O", "P"]
    assert col(r, "DominantProcedure") == ["W371", None, "W371"]
    assert col(r, "AttendanceHRG") == ["WF01B", None, "WF01A"]


def test_unbundled_and_cascade(group_ds):
    r = group_ds("NAC", [attend(OPER_01="U051", STARTAGE="30"),     # CT -> RD20A (19+)
                         attend(OPER_01="U051", STARTAGE="10"),     # RD20B (6-18)
                         attend(TRETSPEF="315"),                    # palliative -> SD01A
                         attend(OPER_01="U059")])                   # poorly coded imaging
    assert hrgs(r) == ["WF01B", "WF01B", "WF01B", "UZ01Z"]
    assert col(r, "UnbundledHRGs") == [["RD20A"], ["RD20B"], ["SD01A"], ["UZ01Z"]]
    assert messages(r) == [(4, "OPER_01", "U059", "UZ06 - Poorly coded procedure")]
    ub = r.unbundled
    assert ub.column("RowNo").to_pylist() == [1, 2, 3, 4]


def test_validation_and_diagnoses_ignored(group_ds):
    r = group_ds("NAC", [attend(FIRSTATT="7"), attend(FIRSTATT="", SEX="5"),
                         attend(OPER_01="ZZZZ"), attend(OPER_01="Y531"),
                         attend(STARTAGE="200"), attend(DIAG_01="NOT A CODE")])
    assert hrgs(r) == ["UZ01Z"] * 5 + ["WF01B"]
    assert messages(r) == [
        (1, "FIRSTATT", "7", "First Attendance is invalid"),
        (2, "SEX", "5", "Sex is invalid"),
        (2, "FIRSTATT", "", "First Attendance is blank"),
        (3, "OPER_01", "ZZZZ", "Procedure is invalid"),
        (4, "OPER_01", "Y531", "UZ05 - Invalid procedure for Casemix grouping purposes"),
        (5, "STARTAGE", "200", "Start Age is invalid")]
    assert col(r, "GroupingMethodFlag")[:5] == ["U"] * 5


def test_procedure_hrg_not_offered_to_outpatients_falls_back(group_ds):
    """S35 drives JC40Z in APC, but the design marks JC40Z for APC only: an outpatient
    attendance with it takes the outpatient HRG instead (flag O)."""
    r = group_ds("NAC", [attend(OPER_01="S351"), attend(OPER_01="S351", OPER_02="W371")])
    assert hrgs(r) == ["WF01B", "HN12C"]
    assert col(r, "GroupingMethodFlag") == ["O", "P"]


def test_explain(group_ds):
    r = group_ds("NAC", [attend(OPER_01="W371", OPER_02="U051"), attend(FIRSTATT="9")])
    text = r.explain(1)
    assert "HN12C" in text and "dominant procedure W371" in text and "WF01B" in text
    assert "unbundled RD20A" in text and "splits.csv" in text
    assert "error: FIRSTATT|9|First Attendance is invalid" in r.explain(2)
