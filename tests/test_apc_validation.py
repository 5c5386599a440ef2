"""Validation: every APC field's rules, the UZ categories, and that all errors are listed."""

from __future__ import annotations

import pytest
from conftest import episode


def messages(result):
    q = result.quality.to_pydict()
    return [f"{t}|{c}|{m}" for t, c, m in zip(q["Code Type"], q["Code"], q["Error Message"],
                                              strict=True)]


def check(group, rec, expected: str, fatal: bool = True):
    r = group(rec)
    assert expected in messages(r), messages(r)
    hrg = r.episodes.column("FCE_HRG")[0].as_py()
    assert (hrg == "UZ01Z") is fatal
    if fatal:
        assert r.episodes.column("GroupingMethodFlag")[0].as_py() == "U"


@pytest.mark.parametrize("field, label", [
    ("SEX", "Sex"), ("CLASSPAT", "Patient Classification"), ("ADMISORC", "Admission Source"),
    ("ADMIMETH", "Admission Method"), ("DISDEST", "Discharge Destination"),
    ("DISMETH", "Discharge Method"), ("MAINSPEF", "Main Specialty"),
    ("TRETSPEF", "Treatment Function"), ("EPIDUR", "Episode Duration"),
    ("STARTAGE", "Start Age"), ("EPIORDER", "Episode Order"),
    ("PROCODET", "Provider Code"), ("PROVSPNO", "Provider Spell Number"),
])
def test_required_field_blank(group, field, label):
    check(group, episode(["J22X"], **{field: ""}), f"{field}||{label} is blank")


@pytest.mark.parametrize("field, value, label", [
    ("SEX", "7", "Sex"), ("CLASSPAT", "10", "Patient Classification"),
    ("ADMISORC", "26", "Admission Source"), ("ADMIMETH", "77", "Admission Method"),
    ("DISDEST", "54", "Discharge Destination"), ("DISMETH", "6", "Discharge Method"),
    ("MAINSPEF", "666", "Main Specialty"), ("TRETSPEF", "666", "Treatment Function"),
    ("NEOCARE", "7", "Neonatal Level of Care"),
    ("EPIDUR", "-1", "Episode Duration"), ("EPIDUR", "3.5", "Episode Duration"),
    ("STARTAGE", "131", "Start Age"), ("STARTAGE", "-1", "Start Age"),
    ("EPIORDER", "98", "Episode Order"), ("EPIORDER", "99", "Episode Order"),
    ("EPIORDER", "0", "Episode Order"), ("EPIORDER", "x", "Episode Order"),
    ("CRITICALCAREDAYS", "x", "Critical Care Days"),
    ("REHABILITATIONDAYS", "100000", "Rehabilitation Days"),
    ("SPCDAYS", "-2", "Specialist Palliative Care Days"),
])
def test_field_invalid(group, field, value, label):
    check(group, episode(["J22X"], **{field: value}), f"{field}|{value}|{label} is invalid")


@pytest.mark.parametrize("field", ["NEOCARE", "CRITICALCAREDAYS", "REHABILITATIONDAYS", "SPCDAYS"])
def test_optional_fields_may_be_blank(group, field):
    r = group(episode(["J22X"], **{field: ""}))
    assert r.quality.num_rows == 0
    assert r.episodes.column("FCE_HRG")[0].as_py() == "DZ22Q"


@pytest.mark.parametrize("fields", [{"STARTAGE": 999}, {"STARTAGE": 0}, {"STARTAGE": 130},
                                    {"CLASSPAT": "01"}, {"SEX": "01"}, {"EPIORDER": "97"},
                                    {"ADMIMETH": "2A"}, {"EPIDUR": " 4 "}])
def test_valid_edge_values(group, fields):
    r = group(episode(["J22X"], **fields))
    assert r.quality.num_rows == 0, messages(r)


def test_primary_diagnosis_blank_and_invalid(group):
    check(group, episode([]), "DIAG_01||Primary Diagnosis is blank")
    check(group, episode(["Q999"]), "DIAG_01|Q999|Diagnosis is invalid")
    check(group, episode(["I2"]), "DIAG_01|I2|Diagnosis is invalid")


def test_invalid_secondary_diagnosis_is_an_error(group):
    # any code not in the design, in any position, makes the episode UZ01Z
    r = group(episode(["J22X", "Q999", "E119"]))
    assert messages(r) == ["DIAG_02|Q999|Diagnosis is invalid"]
    assert r.quality.column("Fatal")[0].as_py() is True
    assert r.episodes.column("FCE_HRG")[0].as_py() == "UZ01Z"


def test_invalid_procedure_is_an_error(group):
    r = group(episode(["J22X"], ["W999X", "A123"]))
    assert messages(r) == ["OPER_01|W999X|Procedure is invalid",
                           "OPER_02|A123|Procedure is invalid"]
    assert r.episodes.column("FCE_HRG")[0].as_py() == "UZ01Z"


def test_code_normalisation(group):
    # dots, lower case, spaces and three-character categories all read as the code
    for code in ["I21.0", "i210", " I210 ", "I21.0 "]:
        assert group(episode([code])).episodes.column("HRGRoot")[0].as_py() == "EB10"
    assert group(episode(["J22"])).episodes.column("FCE_HRG")[0].as_py() == "DZ22Q"
    assert group(episode(["J22X"], ["w37.1"])).episodes.column("DominantProcedure")[0]\
        .as_py() == "W371"


def test_unmapped_primary(group):
    check(group, episode(["K590"]), "DIAG_01|K590|Diagnosis is not grouped by this design")


@pytest.mark.parametrize("rec, msg", [
    (episode(["Z509"]), "DIAG_01|Z509|UZ01 - Invalid Primary Diagnosis"),
    (episode(["T140"]), "DIAG_01|T140|UZ02 - Poorly Coded Primary Diagnosis"),
    (episode(["P704"], STARTAGE=30), "DIAG_01|P704|UZ03 - Diagnosis Conflicts with Age"),
    (episode(["M7217"]), "DIAG_01|M7217|UZ04 - Diagnosis Conflicts with Anatomical Site"),
    (episode(["J22X"], ["Y532"]), "OPER_01|Y532|UZ05 - Invalid procedure for Casemix grouping "
                                  "purposes"),
    (episode(["K297"], ["W379"]), "OPER_01|W379|UZ06 - Poorly coded procedure"),
    (episode(["J22X"], ["U051", "U059"]), "OPER_02|U059|UZ06 - Poorly coded procedure"),
    (episode(["T202"]), "DIAG_01|T202|UZ15 - Burns Error"),
    (episode(["T310", "T202"]), "DIAG_01|T310|UZ15 - Burns Error"),
    (episode(["T310", "T202"]), "DIAG_02|T202|UZ15 - Burns Error"),
    (episode(["T300"]), "DIAG_01|T300|UZ15 - Burns Error"),
])
def test_uz_categories(group, rec, msg):
    check(group, rec, msg)


def test_uz_not_raised_when_valid(group):
    assert group(episode(["P704"], STARTAGE=10)).quality.num_rows == 0
    assert group(episode(["Z509", "J22X"][::-1])).quality.num_rows == 0   # Z509 secondary
    assert group(episode(["J22X"], ["W371", "Y532"])).quality.num_rows == 0  # Y code not first
    assert group(episode(["K297"], ["W371", "W379"])).quality.num_rows == 0  # W371 dominates


def test_poorly_coded_unbundled_cascades_up_not_down(group):
    r = group(episode(["J22X"], ["U051", "U059"]))
    ep = r.episodes.to_pydict()
    assert ep["FCE_HRG"] == ["UZ01Z"]
    # the episode's other unbundled HRGs are kept: a UZ01Z never cascades downward
    assert ep["UnbundledHRGs"] == [["RD20A", "UZ01Z"]]
    assert r.spells.column("SpellHRG")[0].as_py() == "UZ01Z"


def test_critical_care_unbundled_never_cascades(group):
    r = group(episode(["J22X"], ["E851"]))
    ep = r.episodes.to_pydict()
    assert ep["FCE_HRG"] == ["DZ22Q"]
    assert ep["UnbundledHRGs"] == [["UZ01Z"]]
    q = r.quality.to_pydict()
    assert q["Error Message"] == ["UZ06 - Poorly coded procedure"]
    assert q["Fatal"] == [False]


def test_all_errors_listed_in_order(group):
    r = group(episode(["Q999", "Q998"], ["A1"], SEX="", CLASSPAT="10", EPIDUR=""))
    assert messages(r) == [
        "SEX||Sex is blank", "CLASSPAT|10|Patient Classification is invalid",
        "EPIDUR||Episode Duration is blank", "DIAG_01|Q999|Diagnosis is invalid",
        "DIAG_02|Q998|Diagnosis is invalid", "OPER_01|A1|Procedure is invalid"]
    assert r.quality.column("Iteration").to_pylist() == [1, 2, 3, 4, 5, 6]
    assert r.episodes.column("ErrorCount")[0].as_py() == 6
