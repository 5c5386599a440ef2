"""Episode grouping against answers worked out by hand from tests/designs/mini.

Each test states the arithmetic: which root the rules give, the CC score from the
subchapter's weights, and which split rule that selects.
"""

from __future__ import annotations

import pytest
from conftest import episode


def one(result, col):
    return result.episodes.column(col)[0].as_py()


def row(result, i=0):
    return {k: v[i] for k, v in result.episodes.to_pydict().items()}


# --- diagnosis-driven grouping and the CC score ------------------------------------

def test_diagnosis_driven_cc_band(group):
    # I210 -> EB10; CC on EB: N185 5 + I10X 1 + E119 2 = 8 -> EB10C (7-9)
    r = row(group(episode(["I210", "N185", "I10X", "E119"])))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"], r["HRGRoot"], r["CCScore"]) == \
        ("EB10C", "D", "EB10", 8)
    assert r["DominantProcedure"] is None
    assert r["SplitRule"].startswith("splits.csv:")


@pytest.mark.parametrize("diags, cc, hrg", [
    (["I251", "N185"], 5, "EB10D"),          # old MI as primary: N185 counts 5
    (["I210", "I251"], 0, "EB10E"),          # I21 primary excludes I25 secondaries
    (["I219", "I210"], 0, "EB10E"),          # same 3-character category never counts
    (["I210", "N185", "N185"], 5, "EB10D"),  # a repeated code counts once
])
def test_cc_exclusions_and_repeats(group, diags, cc, hrg):
    r = row(group(episode(diags)))
    assert (r["CCScore"], r["FCE_HRG"]) == (cc, hrg)


def test_cc_default_weight_and_subchapter_override(group):
    # N185 has a default weight 3 (*) and 5 in EB: on a DZ root it adds 3
    assert one(group(episode(["J22X", "N185"])), "CCScore") == 3
    assert one(group(episode(["I210", "N185"])), "CCScore") == 5


def test_repeated_secondary_counted_once(group):
    # E119 weighs 3 on DZ: twice is still 3 -> DZ22P (2-4), not 6 -> DZ22N
    r = row(group(episode(["J22X", "E119", "E119"])))
    assert (r["CCScore"], r["FCE_HRG"]) == (3, "DZ22P")


def test_interventions_split(group):
    # G451 is an intervention (hierarchy 0, so still diagnosis-driven)
    r = row(group(episode(["J22X", "J441", "I10X"], ["G451"])))   # cc 4 + 1 = 5
    assert (r["FCE_HRG"], r["GroupingMethodFlag"], r["CCScore"]) == ("DZ22K", "D", 5)
    assert one(group(episode(["J22X"], ["G451"])), "FCE_HRG") == "DZ22L"
    assert one(group(episode(["J22X"])), "FCE_HRG") == "DZ22Q"


@pytest.mark.parametrize("age, hrg", [(5, "PD14B"), (18, "PD14B"), (19, "DZ22Q"),
                                      (999, "DZ22Q")])
def test_paediatric_root_by_age(group, age, hrg):
    assert one(group(episode(["J22X"], STARTAGE=age)), "FCE_HRG") == hrg


def test_paediatric_split_uses_paediatric_cc(group):
    # on PD (no PD weights in the mini design) J441 adds nothing -> PD14B
    assert one(group(episode(["J22X", "J441"], STARTAGE=4)), "FCE_HRG") == "PD14B"


def test_sex_split(group):
    assert one(group(episode(["Z380"], SEX=2)), "FCE_HRG") == "WH03A"
    assert one(group(episode(["Z380"], SEX=1)), "FCE_HRG") == "WH03B"


# --- procedure-driven grouping ------------------------------------------------------

@pytest.mark.parametrize("diags, epidur, hrg", [
    (["K297", "E119"], 3, "HN12A"),   # E119 weighs 2 on HN -> cc 2+
    (["K297"], 5, "HN12B"),           # cc 0, length of stay 2+
    (["K297"], 1, "HN12C"),           # cc 0, stay 0-1 days
])
def test_procedure_driven_splits(group, diags, epidur, hrg):
    r = row(group(episode(diags, ["W371"], EPIDUR=epidur)))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"], r["DominantProcedure"], r["HRGRoot"]) == \
        (hrg, "P", "W371", "HN12")


def test_dominant_procedure_by_hierarchy_then_position(group):
    # W401 (hierarchy 4) loses to W372 (5) even from a later position
    assert one(group(episode(["K297"], ["W401", "W372"])), "DominantProcedure") == "W372"
    # equal hierarchy: the earlier position wins
    assert one(group(episode(["K297"], ["W373", "W371"])), "DominantProcedure") == "W373"
    # Y/Z and unbundled-only codes never dominate
    r = row(group(episode(["J22X"], ["U051", "Z942"])))
    assert (r["GroupingMethodFlag"], r["DominantProcedure"]) == ("D", None)


@pytest.mark.parametrize("age, hrg", [(19, "HT12A"), (18, "HT12B")])
def test_age_split(group, age, hrg):
    assert one(group(episode(["K297"], ["W401"], STARTAGE=age)), "FCE_HRG") == hrg


# --- global exceptions, burns, multiple trauma ----------------------------------------

def test_global_exception_same_day_chemotherapy(group):
    r = row(group(episode(["J22X"], ["X701"], EPIDUR=0)))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == ("SB97Z", "G")
    assert r["UnbundledHRGs"] == ["SB01Z"]
    # not same day: normal grouping, still unbundled
    r = row(group(episode(["J22X"], ["X701"], EPIDUR=2)))
    assert (r["FCE_HRG"], r["UnbundledHRGs"]) == ("DZ22Q", ["SB01Z"])
    # a dominant procedure blocks the exception (condition dominant=0)
    assert one(group(episode(["K297"], ["X701", "W371"], EPIDUR=0)), "FCE_HRG") == "HN12C"


def test_global_exception_primary_diagnosis_only(group):
    assert one(group(episode(["Z511"], EPIDUR=0)), "FCE_HRG") == "SB97Z"
    assert one(group(episode(["J22X", "Z511"], EPIDUR=0)), "FCE_HRG") == "DZ22Q"


@pytest.mark.parametrize("diags, hrg", [
    (["T202", "T312"], "JC40Z"),            # deep burn, TBSA band 2 -> JC40
    (["T202", "T310"], "JC41Z"),            # TBSA band 0 -> JC41
    (["J22X", "T202", "T312"], "JC40Z"),    # a deep burn in any position
])
def test_burns_logic(group, diags, hrg):
    r = row(group(episode(diags)))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == (hrg, "B")


def test_superficial_burn_is_not_burns_logic(group):
    r = row(group(episode(["T211", "T310"])))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == ("WH03B", "D")


@pytest.mark.parametrize("diags, oper, hrg", [
    (["S7200", "S3250"], [], "VA11B"),              # two sites, no procedure
    (["S7200", "S3250", "S062"], [], "VA11A"),      # three sites
    (["S7200", "S3250"], ["W401"], "VA10A"),        # a procedure; S3250 weighs 2 on VA
    (["S7200", "S220"], ["W401"], "VA10B"),         # a procedure, cc 0
])
def test_multiple_trauma(group, diags, oper, hrg):
    r = row(group(episode(diags, oper)))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == (hrg, "M")


def test_two_injuries_of_one_site_are_not_multiple_trauma(group):
    r = row(group(episode(["S7200", "S7201"])))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == ("WH03B", "D")


def test_burns_take_precedence_over_multiple_trauma(group):
    r = row(group(episode(["S7200", "S3250", "T202", "T312"])))
    assert r["GroupingMethodFlag"] == "B"


# --- unbundled HRGs --------------------------------------------------------------------

@pytest.mark.parametrize("age, hrg", [(50, "RD20A"), (10, "RD20B"), (3, "RD20C")])
def test_unbundled_imaging_split_by_age(group, age, hrg):
    assert one(group(episode(["J22X"], ["U051"], STARTAGE=age)), "UnbundledHRGs") == [hrg]


def test_each_unbundled_occurrence_and_iteration(group):
    r = group(episode(["J22X"], ["U051", "X701", "U052"]))
    ub = r.unbundled.to_pydict()
    assert ub["UnbundledHRGs"] == ["RD20A", "SB01Z", "RD20A"]
    assert ub["Iteration"] == [1, 2, 3]
    assert ub["SourceField"] == ["OPER_01", "OPER_02", "OPER_03"]


def test_days_suffix_only_on_eligible_hrgs(group):
    r = row(group(episode(["J22X"], ["U501", "U051"], REHABILITATIONDAYS=7)))
    assert r["UnbundledHRGs"] == ["VC40Z*7", "RD20A"]
    r = row(group(episode(["J22X"], ["U501"])))
    assert r["UnbundledHRGs"] == ["VC40Z"]


def test_unbundled_from_treatment_function(group):
    r = row(group(episode(["J22X"], TRETSPEF=315, SPCDAYS=4, EPIDUR=6)))
    assert r["UnbundledHRGs"] == ["SD01A*4"]
    assert r["CalcEpidur"] == 2


@pytest.mark.parametrize("epidur, cc, rehab, spc, calc", [
    (10, 2, 3, 1, 4), (2, 5, 0, 0, 0), (0, 0, 0, 0, 0)])
def test_calc_epidur(group, epidur, cc, rehab, spc, calc):
    r = row(group(episode(["J22X"], EPIDUR=epidur, CRITICALCAREDAYS=cc,
                          REHABILITATIONDAYS=rehab, SPCDAYS=spc)))
    assert r["CalcEpidur"] == calc


def test_global_exception_needing_a_second_code(group):
    # W37 with the bilateral laterality code Z941 -> HN14Z; without it the usual HN12
    r = row(group(episode(["K297"], ["W371", "Z941"])))
    assert (r["FCE_HRG"], r["GroupingMethodFlag"]) == ("HN14Z", "G")
    assert one(group(episode(["K297"], ["W371", "Z942"])), "FCE_HRG") == "HN12B"
    # a procedure exception that needs a diagnosis anywhere in the record
    assert one(group(episode(["J22X", "K297"], ["G451"])), "FCE_HRG") == "FE20Z"
    assert one(group(episode(["J22X"], ["G451"])), "FCE_HRG") == "DZ22L"
