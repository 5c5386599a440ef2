"""The bundled example file of each record dataset, grouped with the bundled design,
gives exactly the results written down in examples/README.md (HRG, flags and derived
columns, and every quality message quoted there)."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import ROOT

from hrgfast import cli
from hrgfast.datasets.spec import DATASETS

EXAMPLES = ROOT / "examples"


def expected_tables() -> dict[str, list[dict[str, str]]]:
    """dataset -> rows of its table in examples/README.md."""
    text = (EXAMPLES / "README.md").read_text()
    out: dict[str, list[dict[str, str]]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = section.split()[0]
        if name not in DATASETS:
            continue
        lines = [ln for ln in section.splitlines() if ln.startswith("|")]
        split = [[c.strip() for c in re.split(r"(?<!\\)\|", ln)[1:-1]] for ln in lines]
        head, body = split[0], split[2:]
        out[name] = [dict(zip(head, row, strict=True)) for row in body]
    return out


TABLES = expected_tables()


def test_every_dataset_has_an_example():
    assert set(TABLES) == set(DATASETS)
    for name in DATASETS:
        assert (EXAMPLES / f"{name.lower()}_example.csv").exists()


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_example_matches_readme(tmp_path, dataset):
    src = EXAMPLES / f"{dataset.lower()}_example.csv"
    out = tmp_path / "o"
    assert cli.main(["group", "-i", str(src), "-o", str(out), "-h", "-l", dataset,
                     "--quiet"]) == 0
    ds = DATASETS[dataset]
    with open(f"{out}{ds.main}.csv", newline="") as fh:
        main = list(csv.DictReader(fh))
    key = next(iter(main[0]))
    got = {r[key]: r for r in main}
    with open(src) as fh:
        assert len(main) == sum(1 for _ in fh) - 1          # every row, once
    by_rowno = {r["RowNo"]: r[key] for r in main}
    msgs: dict[str, set[str]] = {}
    with open(f"{out}_quality_rel.csv", newline="") as fh:
        for q in csv.DictReader(fh):
            msgs.setdefault(by_rowno[q["RowNo"]], set()).add(
                f"{q['Code Type']}|{q['Code']}|{q['Error Message']}")
    table = TABLES[dataset]
    assert sorted(r["row"] for r in table) == sorted(got)
    hrg_col = f"{dataset}_HRG"
    for exp in table:
        row = got[exp["row"]]
        assert row[hrg_col] == exp[hrg_col], exp
        for col in ("RowNo", "Calc_CC_Days", "CC_Warning_Flag", "DominantProcedure",
                    "AttendanceHRG"):
            if col in exp:
                assert row[col] == exp[col], (exp["row"], col)
        if "flag" in exp:
            assert row["GroupingMethodFlag"] == exp["flag"], exp["row"]
        quoted = {m.replace("\\|", "|") for m in re.findall(r"`([^`]*\\\|[^`]*)`", exp["why"])}
        assert quoted <= msgs.get(exp["row"], set()), exp["row"]
        if exp[hrg_col] == "UZ01Z":
            assert msgs.get(exp["row"]), exp["row"]
