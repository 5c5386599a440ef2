"""A&E (EM) logic against the mini design's hand-written decision list
(tests/designs/mini/logic_rules.csv)."""

from conftest import hrgs, messages


def att(**kw):
    return {"AGE": "30", "AEPATIENTGROUP": "", "INV_01": "", "INV_02": "", "TREAT_01": "",
            "TREAT_02": "", **kw}


def test_grid_from_highest_investigation_and_treatment(group_ds):
    r = group_ds("EM", [
        att(INV_01="02", INV_02="11", TREAT_01="01"),   # highest inv category 3 -> VB03Z
        att(INV_01="01", TREAT_01="011"),               # category 2 inv -> VB07Z
        att(INV_01="02", TREAT_01="19"),                # category 5 treatment -> VB01Z
        att(TREAT_01="12", TREAT_02="19"),              # any inv (none) with cat 5 -> VB01Z
        att(INV_01="02", TREAT_01="01"),                # inv 1, treat 1 -> VB09Z
        att(INV_01="24", TREAT_01="99"),                # none / none -> VB11Z
    ])
    assert hrgs(r) == ["VB03Z", "VB07Z", "VB01Z", "VB01Z", "VB09Z", "VB11Z"]
    assert r.quality.num_rows == 0


def test_dead_on_arrival_and_no_leak_into_next_record(group_ds):
    """Patient group 70 -> VB99Z; the next record with a blank group is grouped on its own
    merits (the 2014/15 official grouper leaked VB99Z into it)."""
    r = group_ds("EM", [att(AEPATIENTGROUP="70", INV_01="11"),
                        att(AEPATIENTGROUP="", INV_01="02", TREAT_01="01"),
                        att(AEPATIENTGROUP="10", INV_01="02", TREAT_01="01")])
    assert hrgs(r) == ["VB99Z", "VB09Z", "VB09Z"]


def test_leading_zeros_are_significant(group_ds):
    """INV/TREAT codes need their leading zero: '2' and '1' are rejected (UZ01Z with the
    field named), '02' and '011' are accepted."""
    r = group_ds("EM", [att(INV_01="2"), att(TREAT_01="1"), att(INV_01="02", TREAT_01="011")])
    assert hrgs(r) == ["UZ01Z", "UZ01Z", "VB09Z"]
    assert messages(r) == [(1, "INV_01", "2", "Investigation is invalid"),
                           (2, "TREAT_01", "1", "Treatment is invalid")]


def test_dental_and_holes(group_ds):
    r = group_ds("EM", [att(INV_01="22"),                  # dental inv: not VB09Z -> VB11Z
                        att(TREAT_01="21")])               # no inv, cat 2 treatment: a hole
    assert hrgs(r) == ["VB11Z", "UZ01Z"]
    assert messages(r) == [(2, "TREAT_01", "21", "No grouping rule of the design applies")]


def test_age_validated_every_error_listed_every_row_kept(group_ds):
    rows = [att(AGE="", INV_01="2"), att(AGE="131"), att(AGE="x", AEPATIENTGROUP="55")]
    r = group_ds("EM", rows)
    assert r.records.num_rows == 3 and hrgs(r) == ["UZ01Z"] * 3
    assert messages(r) == [(1, "AGE", "", "Age is blank"),
                           (1, "INV_01", "2", "Investigation is invalid"),
                           (2, "AGE", "131", "Age is invalid"),
                           (3, "AGE", "x", "Age is invalid"),
                           (3, "AEPATIENTGROUP", "55", "A&E Patient Group is invalid")]
    assert r.run_info["Attendance Count"] == 3 and r.run_info["Attendance Error Count"] == 3
