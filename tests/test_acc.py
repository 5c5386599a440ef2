"""Adult critical care (ACC): organ counts -> XC HRGs, Calc_CC_Days and CC_Warning_Flag
exactly as published (dossier §2.5), against the mini design."""

import pytest
from conftest import hrgs, messages


def period(**kw):
    base = {"CCUF": "01", "BCSD": "", "ACSD": "", "BRSD": "", "ARSD": "", "RSD": "", "NSD": "",
            "DSD": "", "LSD": "", "CCL2D": "", "CCL3D": "", "CC_START_DATE": "20240401",
            "CC_DISCHARGE_DATE": "20240405"}
    return {**base, **kw}


def col(r, name):
    return r.records.column(name).to_pylist()


def test_organ_count_selects_xc(group_ds):
    r = group_ds("ACC", [
        period(),                                                   # 0 organs
        period(ACSD="2"),                                           # cardiovascular
        period(ACSD="2", BCSD="1"),                                 # still one system
        period(ARSD="3", BRSD="1", RSD="2"),                        # respiratory + renal
        period(BCSD="1", ARSD="1", RSD="1", NSD="1", DSD="1", LSD="1"),   # 6 systems
        period(BCSD="1", ACSD="1", BRSD="1", ARSD="1", RSD="1", NSD="1", DSD="1", LSD="1"),
    ])
    assert hrgs(r) == ["XC07Z", "XC06Z", "XC06Z", "XC05Z", "XC01Z", "XC01Z"]
    assert r.quality.num_rows == 0


def test_no_rule_is_uz13_and_non_adult_unit(group_ds):
    r = group_ds("ACC", [period(ACSD="1", ARSD="1", RSD="1"),      # 3 organs: mini has no rule
                         period(CCUF="04", ACSD="1")])              # a paediatric unit
    assert hrgs(r) == ["UZ01Z", "UZ01Z"]
    assert messages(r) == [(1, "CCUF", "01", "UZ13 - ACC Grouping Error"),
                           (2, "CCUF", "04", "UZ13 - ACC Grouping Error")]


@pytest.mark.parametrize("start,end,days", [
    ("20240401", "20240405", 5), ("20240401", "20240401", 1), ("20240228", "20240301", 3),
    ("20231231", "20240101", 2), ("", "20240405", -1), ("20240401", "", -1),
    ("20240405", "20240401", -1), ("20240230", "20240301", -1), ("2024041", "20240405", -1),
    ("01/04/2024", "20240405", -1)])
def test_calc_cc_days(group_ds, start, end, days):
    r = group_ds("ACC", [period(CC_START_DATE=start, CC_DISCHARGE_DATE=end)])
    assert col(r, "Calc_CC_Days") == [days]
    assert col(r, "CC_Warning_Flag") == (["F"] if days == -1 else [None])
    assert hrgs(r) == ["XC07Z"]          # the dates never block the HRG


def test_warning_conditions(group_ds):
    # a 5-day period
    r = group_ds("ACC", [
        period(CCL2D="3", CCL3D="2", ARSD="2", BRSD="3"),   # all sums = 5: no warning
        period(CCL2D="4", CCL3D="2", ARSD="1"),             # levels 6 > 5 days
        period(CCL2D="6", ARSD="3", BRSD="3"),              # respiratory 6 > 5 days
        period(CCL2D="1", CCL3D="1", ARSD="2", BRSD="1"),   # respiratory 3 > levels 2
        period(CC_START_DATE=""),                           # days -1
    ])
    assert col(r, "CC_Warning_Flag") == [None, "F", "F", "F", "F"]
    assert col(r, "Calc_CC_Days") == [5, 5, 5, 5, -1]


def test_invalid_fields_listed(group_ds):
    r = group_ds("ACC", [period(CCUF="", ACSD="x", CC_START_DATE="20241301"),
                         period(CCUF="77", RSD="-1")])
    assert hrgs(r) == ["UZ01Z", "UZ01Z"]
    assert messages(r) == [
        (1, "CCUF", "", "Critical Care Unit Function is blank"),
        (1, "ACSD", "x", "Advanced Cardiovascular Support Days is invalid"),
        (1, "CC_START_DATE", "20241301", "Critical Care Start Date is invalid"),
        (2, "CCUF", "77", "Critical Care Unit Function is invalid"),
        (2, "RSD", "-1", "Renal Support Days is invalid")]
    # a bad optional date alone is reported but does not block the HRG
    r = group_ds("ACC", [period(CC_DISCHARGE_DATE="2024-04-05")])
    assert hrgs(r) == ["XC07Z"] and len(messages(r)) == 1


def test_out_of_range_dates_give_minus_one(group_ds):
    r = group_ds("ACC", [period(CC_START_DATE="29991231", CC_DISCHARGE_DATE="30000102"),
                         period(CC_START_DATE="17991231", CC_DISCHARGE_DATE="18000102")])
    assert col(r, "Calc_CC_Days") == [-1, -1] and col(r, "CC_Warning_Flag") == ["F", "F"]
    assert [m[1] for m in messages(r)] == ["CC_DISCHARGE_DATE", "CC_START_DATE"]


def test_dictionary_encoded_blank_dates(mini):
    import pandas as pd

    import hrgfast
    df = pd.DataFrame([period(CC_START_DATE=None), period()]).astype("category")
    r = hrgfast.group_acc(df, mini)
    assert col(r, "Calc_CC_Days") == [-1, 5]
