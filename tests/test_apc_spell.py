"""Spells: sorting, RowNo, spell derivation, consistency checks and the UZ01Z cascade."""

from __future__ import annotations

import random

import pytest
from conftest import episode


def ep(n, diags, oper=(), spell="S1", **kw):
    return episode(diags, oper, PROVSPNO=spell, EPIORDER=n,
                   DISDEST=kw.pop("DISDEST", 98), DISMETH=kw.pop("DISMETH", 8), **kw)


def spell(result, i=0):
    return {k: v[i] for k, v in result.spells.to_pydict().items()}


def test_rowno_follows_sort_not_input_order(group):
    r = group(ep(2, ["J22X"], spell="10"), ep(1, ["J22X"], spell="9"), ep(1, ["J22X"], spell="10"))
    e = r.episodes.to_pydict()
    # PROVSPNO sorts as text ("10" < "9"), EPIORDER as a number
    assert list(zip(e["PROVSPNO"], e["EPIORDER"], strict=True)) == [("10", "1"), ("10", "2"),
                                                                    ("9", "1")]
    assert e["RowNo"] == [1, 2, 3]
    assert e["InputRow"] == [2, 0, 1]
    assert r.spells.column("RowNo").to_pylist() == [1, 3]


def test_epiorder_sorts_numerically(group):
    r = group(*[ep(n, ["J22X"]) for n in (10, 2, 1)])
    assert r.episodes.column("EPIORDER").to_pylist() == ["1", "2", "10"]


def test_spell_without_procedures_uses_first_informative_primary(group):
    # episode 1: J22X (DZ22), episode 2: I210 (EB10); spell primary J22X, and every other
    # diagnosis of the spell is a secondary: on DZ, E119 3 + N185 (default) 3 + I10X 1 = 7
    r = group(ep(1, ["J22X", "E119"], EPIDUR=2), ep(2, ["I210", "N185", "I10X"], EPIDUR=3))
    s = spell(r)
    assert (s["SpellHRG"], s["SpellGroupingMethodFlag"], s["SpellPDiag"], s["SpellSDiag"]) == \
        ("DZ22N", "D", "J22X", "E119")
    assert (s["SpellCCScore"], s["SpellEpisodeCount"], s["SpellLOS"]) == (7, 2, 5)
    assert r.episodes.column("SpellReportFlag").to_pylist() == [1, 0]
    # episodes keep their own HRGs
    assert r.episodes.column("FCE_HRG").to_pylist() == ["DZ22P", "EB10D"]
    assert r.episodes.column("SpellHRG").to_pylist() == ["DZ22N", "DZ22N"]


def test_spell_skips_uninformative_primary(group):
    r = group(ep(1, ["R69X6"]), ep(2, ["J22X"]))
    s = spell(r)
    assert (s["SpellPDiag"], s["SpellHRG"], s["ReportRowNo"]) == ("J22X", "DZ22Q", 2)
    assert r.episodes.column("SpellReportFlag").to_pylist() == [0, 1]


def test_spell_all_uninformative_takes_first(group):
    s = spell(group(ep(1, ["R104"]), ep(2, ["R69X6"])))
    assert (s["SpellPDiag"], s["SpellHRG"], s["ReportRowNo"]) == ("R104", "FD05B", 1)


def test_spell_procedure_in_later_episode_drives_spell(group):
    r = group(ep(1, ["J22X"]), ep(2, ["K297", "E119"], ["W371"], EPIDUR=5),
              ep(3, ["I210"], ["W401"]))
    s = spell(r)
    # W371 (hierarchy 5) beats W401 (4); episode 2's primary K297 is the spell primary;
    # spell CC on HN: E119 weighs 2 -> HN12A
    assert (s["SpellHRG"], s["SpellGroupingMethodFlag"], s["SpellDominantProcedure"],
            s["SpellPDiag"], s["SpellSDiag"]) == ("HN12A", "P", "W371", "K297", "E119")
    assert r.episodes.column("SpellReportFlag").to_pylist() == [0, 1, 0]


def test_spell_los_and_critical_care_days(group):
    r = group(ep(1, ["J22X"], EPIDUR=5, CRITICALCAREDAYS=2),
              ep(2, ["J22X"], EPIDUR=4, CRITICALCAREDAYS=1, REHABILITATIONDAYS=2),
              ep(3, ["J22X"], EPIDUR=1, DISDEST=19, DISMETH=1))
    s = spell(r)
    assert (s["SpellLOS"], s["SpellCCDays"], s["SpellEpisodeCount"]) == (3 + 1 + 1, 3, 3)
    assert r.episodes.column("CalcEpidur").to_pylist() == [3, 1, 1]


def test_spell_unbundled_is_all_episodes(group):
    r = group(ep(1, ["J22X"], ["U051"]), ep(2, ["J22X"], ["X701", "U052"]))
    assert spell(r)["UnbundledHRGs"] == ["RD20A", "SB01Z", "RD20A"]


def test_invalid_episode_makes_spell_uz01z_but_not_other_episodes(group):
    r = group(ep(1, ["J22X"]), ep(2, ["Q999"]))
    assert r.episodes.column("FCE_HRG").to_pylist() == ["DZ22Q", "UZ01Z"]
    s = spell(r)
    assert (s["SpellHRG"], s["SpellGroupingMethodFlag"], s["ReportRowNo"]) == ("UZ01Z", "U", 2)
    assert r.episodes.column("SpellHRG").to_pylist() == ["UZ01Z", "UZ01Z"]
    assert r.run_info["FCE Error Count"] == 1 and r.run_info["Spell Error Count"] == 1


@pytest.mark.parametrize("field, label, a, b", [
    ("SEX", "Sex", 1, 2), ("CLASSPAT", "Patient Classification", 1, 2),
    ("ADMISORC", "Admission Source", 19, 51), ("ADMIMETH", "Admission Method", 21, 11)])
def test_spell_constant_fields(group, field, label, a, b):
    r = group(ep(1, ["J22X"], **{field: a}), ep(2, ["J22X"], **{field: b}))
    q = r.quality.to_pydict()
    assert (q["RowNo"], q["Code Type"], q["Code"], q["Error Message"]) == \
        ([2], [field], [""], [f"{label} is inconsistent in spell"])
    assert r.episodes.column("FCE_HRG").to_pylist()[1] == "UZ01Z"
    assert spell(r)["SpellHRG"] == "UZ01Z"


@pytest.mark.parametrize("ages, epidur, error", [
    ((40, 41), 10, False),      # a birthday during the spell
    ((40, 42), 10, True),       # two years in ten days
    ((40, 42), 400, False),     # 400 days allow one whole year plus the birthday
    ((40, 39), 10, False),      # only rises are checked
    ((40, 999), 10, False),     # unknown age
])
def test_age_rise(group, ages, epidur, error):
    r = group(ep(1, ["J22X"], STARTAGE=ages[0], EPIDUR=epidur), ep(2, ["J22X"], STARTAGE=ages[1]))
    msgs = r.quality.column("Error Message").to_pylist()
    assert ("Age rises by more than expected in the spell" in msgs) is error


def test_duplicate_epiorder(group):
    r = group(ep(1, ["J22X"]), ep(1, ["J22X"]))
    q = r.quality.to_pydict()
    assert (q["RowNo"], q["Code Type"], q["Code"], q["Error Message"]) == \
        ([2], ["EPIORDER"], ["1"], ["Episode Order is duplicated in spell"])


def test_input_order_does_not_matter(group):
    records = [ep(n, [d], spell=s) for s, eps in (("A", ["J22X", "I210"]), ("B", ["K297"]),
                                                   ("C", ["Q999", "J22X", "E119"]))
               for n, d in enumerate(eps, start=1)]
    base = group(*records)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    again = group(*shuffled)
    drop = ["InputRow"]
    assert base.episodes.drop_columns(drop).equals(again.episodes.drop_columns(drop))
    assert base.spells.equals(again.spells)


def test_one_and_two_threads_agree(group):
    records = [ep(n, [d, "E119"], ["U051"] if n % 2 else [], spell=f"S{s}", STARTAGE=20 + s)
               for s in range(300) for n, d in enumerate(["J22X", "I210", "Q999"][: 1 + s % 3], 1)]
    one, two = group(*records, threads=1), group(*records, threads=2)
    assert one.episodes.equals(two.episodes)
    assert one.spells.equals(two.spells)
    assert one.quality.equals(two.quality)
    assert one.unbundled.equals(two.unbundled)
