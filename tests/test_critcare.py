"""Paediatric and neonatal critical care days (PCC, NCC): date ordering per PROCODET +
CCLocalID, the transfer-day rule, duplicated days, levels -> XB/XA HRGs, UZ11 and UZ21
(mini design)."""

from conftest import hrgs, messages


def day(date, local="A1", ccuf="04", codes=(), **kw):
    rec = {"PROCODET": "RXX", "CCLOCALID": local, "CCDATE": date, "DISDATE": "20240430",
           "DISMETH": "1", "CCUF": ccuf}
    for i in range(3):
        rec[f"CCAC_{i + 1:02d}"] = codes[i] if i < len(codes) else ""
    return {**rec, **kw}


def col(r, name):
    return r.records.column(name).to_pylist()


def test_days_sorted_by_key_and_date(group_ds):
    rows = [day("20240403", "B1", codes=["56"]), day("20240402", "A1", codes=["51"]),
            day("20240401", "A1", codes=["60", "51"]), day("20240401", "B1", codes=["51"])]
    r = group_ds("PCC", rows)
    assert col(r, "InputRow") == [2, 1, 3, 0]
    assert col(r, "CCLOCALID") == ["A1", "A1", "B1", "B1"]
    assert hrgs(r) == ["XB01Z", "XB09Z", "XB09Z", "XB05Z"]


def test_transfer_day_keeps_both_records_and_duplicate_day_is_an_error(group_ds):
    rows = [day("20240401", codes=["56"]), day("20240402", codes=["56"]),
            day("20240402", ccuf="16", codes=["51"]),      # transfer: a new unit, same date
            day("20240403", ccuf="16", codes=["51"]),
            day("20240403", ccuf="16", codes=["51"])]      # the same day twice in one unit
    r = group_ds("PCC", rows)
    assert hrgs(r) == ["XB05Z", "XB05Z", "XB09Z", "XB09Z", "UZ01Z"]
    assert col(r, "Period") == [1, 1, 2, 2, 2]
    assert messages(r) == [(5, "CCDATE", "20240403",
                            "Critical care day is duplicated in the period")]


def test_pcc_validation(group_ds):
    rows = [day("20240501", codes=["56"]),                  # after the discharge date
            day("20240402", codes=[]),                      # no activity: no rule holds
            day("2024040", codes=["56"]), day("20240404", codes=["99"], DISMETH="")]
    r = group_ds("PCC", rows)
    assert hrgs(r) == ["UZ01Z"] * 4
    assert sorted(messages(r)) == sorted([
        (1, "CCDATE", "2024040", "Critical Care Date is invalid"),
        (2, "CCAC_01", "", "No grouping rule of the design applies"),
        (3, "DISMETH", "", "Discharge Method is blank"),
        (3, "CCAC_01", "99", "Critical Care Activity Code is invalid"),
        (4, "CCDATE", "20240501", "Critical Care Date is after the Discharge Date")])


def baby(date, codes=(), gest="36", weight="2.500", age="", **kw):
    return day(date, ccuf="05", codes=codes, GESTLEN=gest, PERWT=weight, AGE_DAYS=age, **kw)


def test_ncc_levels_and_criteria(group_ds):
    rows = [baby("20240401", ["1", "09"]),                  # zeros optional: 1 = 01 -> XA01Z
            baby("20240402", ["02"]), baby("20240403", ["09"]), baby("20240404", ["21", "24"]),
            baby("20240405", ["24"]),
            baby("20240406", ["24"], gest="27", age="1"),  # < 29 weeks on day 1: intensive
            baby("20240407", ["24"], gest="27", age="2")]
    r = group_ds("NCC", rows)
    assert hrgs(r) == ["XA01Z", "XA02Z", "XA03Z", "XA04Z", "XA05Z", "XA01Z", "XA05Z"]
    assert r.quality.num_rows == 0


def test_ncc_errors(group_ds):
    rows = [baby("20240401", []),                           # no criterion: UZ11
            baby("20240402", ["09", "56"]),                 # inappropriate code: UZ21
            baby("20240403", ["09"], weight="10.000"),      # 0 < weight < 10 kg
            baby("20240404", ["09"], weight="1.2345"),      # more than 3 decimals
            baby("20240405", ["09"], gest="50"),
            baby("20240406", ["09"], weight="0.950")]       # valid: 950 g
    r = group_ds("NCC", rows)
    assert hrgs(r) == ["UZ01Z"] * 5 + ["XA03Z"]
    assert messages(r) == [
        (1, "CCAC_01", "", "UZ11 - Neonatal Critical Care Error"),
        (2, "CCAC_02", "56", "UZ21 - CCAC Inappropriate in NCC"),
        (3, "PERWT", "10.000", "Person Weight is invalid"),
        (4, "PERWT", "1.2345", "Person Weight is invalid"),
        (5, "GESTLEN", "50", "Gestation Length is invalid")]


def test_transfer_day_periods_do_not_depend_on_input_order(group_ds):
    """The record in the previous day's unit continues the period, whatever the input
    order of the transfer day; the same unit twice on one date is always a duplicate."""
    rows = [day("20240402", ccuf="16", codes=["51"]), day("20240401", codes=["56"]),
            day("20240402", codes=["56"]), day("20240403", ccuf="16", codes=["51"])]
    r = group_ds("PCC", rows)
    assert col(r, "Period") == [1, 2, 1, 2]       # RowNo order keeps input order on ties
    assert r.quality.num_rows == 0
    r = group_ds("PCC", [day("20240401", codes=["56"]), day("20240401", ccuf="16",
                                                            codes=["51"]),
                         day("20240401", codes=["56"])])
    assert hrgs(r) == ["XB05Z", "XB09Z", "UZ01Z"]
    assert col(r, "Period") == [1, 2, 1]
    assert messages(r) == [(3, "CCDATE", "20240401",
                            "Critical care day is duplicated in the period")]


def test_missing_or_null_key_reads_as_blank(group_ds):
    rows = [day("20240401", codes=["56"]), day("20240401", codes=["56"])]
    for r in rows:
        del r["PROCODET"]
    r = group_ds("PCC", rows)
    assert hrgs(r) == ["XB05Z", "UZ01Z"]          # one stay: the second day is a duplicate
    rows[1]["CCLOCALID"] = None
    rows[0]["CCLOCALID"] = None
    assert hrgs(group_ds("PCC", rows)) == ["XB05Z", "UZ01Z"]


def test_weight_decimals(group_ds):
    rows = [baby("20240401", ["09"], weight="00000000001.5"), baby("20240402", ["09"],
                                                                    weight="."),
            baby("20240403", ["09"], weight="0.000"), baby("20240404", ["09"], weight="3")]
    r = group_ds("NCC", rows)
    assert hrgs(r) == ["XA03Z", "UZ01Z", "UZ01Z", "XA03Z"]      # 1.5 kg; '.'; 0 g; 3 kg
    assert [m[1:3] for m in messages(r)] == [("PERWT", "."), ("PERWT", "0.000")]
