"""The six record datasets end to end: official file sets from the CLI, identical to the
API; identical outputs across thread counts, block sizes and input order; logic inference
and exit codes; the engine's slot layout agrees with the Python field specs."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import MINI, ROOT

import hrgfast
from hrgfast import cli
from hrgfast.datasets.spec import DATASETS
from hrgfast.datasets.stream import DatasetTextGrouper
from hrgfast.datasets.textout import DatasetTextWriter
from hrgfast.design import schema as S

# values drawn for random records (valid ones from the mini design, plus a few invalid)
POOL = {
    "NAC": {"STARTAGE": ["0", "12", "45", "80", "", "x"], "SEX": ["1", "2", "7"],
            "MAINSPEF": ["100", "300"], "TRETSPEF": ["100", "300", "315"],
            "FIRSTATT": ["1", "2", "3", "4", "9", ""], "MULTIPROF": ["1", "2", ""],
            "OPER_01": ["", "", "W371", "W401", "U051", "U059", "Y531", "BAD"],
            "OPER_02": ["", "", "", "W371", "X701"]},
    "EM": {"AGE": ["5", "40", "90", ""], "AEPATIENTGROUP": ["", "10", "70", "99"],
           "INV_01": ["", "01", "02", "11", "22", "2"], "INV_02": ["", "", "12", "24"],
           "TREAT_01": ["", "01", "011", "12", "19", "21", "56", "1"], "TREAT_02": ["", "99"]},
    "ACC": {"CCUF": ["01", "02", "04", ""], **{f: ["", "0", "1", "2", "5"] for f in
            ("BCSD", "ACSD", "BRSD", "ARSD", "RSD", "NSD", "DSD", "LSD", "CCL2D", "CCL3D")},
            "CC_START_DATE": ["20240401", "20240403", ""],
            "CC_DISCHARGE_DATE": ["20240402", "20240405", "x"]},
    "NRD": {"RENALMOD": ["01", "04", "09", "1"], "RENALSITE": ["01", "02"],
            "RENALACCESS": ["", "01", "03"], "HBV": ["NEG", "POS", "UNK"],
            "HCV": ["NEG", "POS"], "HIV": ["NEG", ""], "AGE": ["8", "50", "19"]},
}


def random_records(dataset: str, n: int, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    if dataset in POOL:
        pool = POOL[dataset]
        return [{"RECID": f"r{i}", **{k: rng.choice(v) for k, v in pool.items()}}
                for i in range(n)]
    rows = []
    codes = ["51", "56", "60", ""] if dataset == "PCC" else ["01", "1", "02", "09", "21", "24",
                                                              "56", ""]
    units = ["04", "16"] if dataset == "PCC" else ["05", "06"]
    i = 0
    while len(rows) < n:
        local, unit = f"L{i:04d}", rng.choice(units)
        for d in range(rng.randint(1, 6)):
            if rng.random() < 0.15:
                unit = rng.choice(units)
            rec = {"RECID": f"r{len(rows)}", "PROCODET": rng.choice(["RXA", "RXB"]),
                   "CCLOCALID": local, "CCDATE": f"202404{1 + d:02d}", "DISDATE": "20240420",
                   "DISMETH": "1", "CCUF": unit, "CCAC_01": rng.choice(codes),
                   "CCAC_02": rng.choice(codes)}
            if dataset == "NCC":
                rec.update(GESTLEN=rng.choice(["26", "34", "40"]), PERWT=rng.choice(
                    ["0.900", "2.5", "3.125"]), AGE_DAYS=str(d))
            rows.append(rec)
        i += 1
    return rows[:n]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    keys = list(rows[0])
    path.write_text("\n".join([",".join(keys)] + [",".join(r[k] for k in keys) for r in rows])
                    + "\n")
    return path


def group_file(path: Path, dataset: str, out: Path, block: int = 1 << 26,
               threads: int = 1) -> dict[str, bytes]:
    design = hrgfast.load_design(MINI)
    ds = DATASETS[dataset]
    tg = DatasetTextGrouper(path, design, ds, None, True, threads, block_bytes=block)
    w = DatasetTextWriter(out, tg.layout.header, design, ds, True, num_threads=threads)
    tg.run(w)
    paths = w.close({})
    group_file.mode = tg.mode
    return {p.name[len(out.name):]: p.read_bytes() for p in paths
            if not p.name.endswith("_summary.csv") and p.name != out.name + ".csv"}


FILES = {
    "NAC": [".csv", "_attend.csv", "_quality.csv", "_attend_rel.csv", "_quality_rel.csv",
            "_ub_rel.csv", "_summary.csv"],
    "EM": [".csv", "_attend.csv", "_quality.csv", "_quality_rel.csv", "_summary.csv"],
    "ACC": [".csv", "_acc.csv", "_quality.csv", "_quality_rel.csv", "_summary.csv"],
    "PCC": [".csv", "_sort.csv", "_pcc.csv", "_quality.csv", "_quality_rel.csv", "_summary.csv"],
    "NCC": [".csv", "_sort.csv", "_ncc.csv", "_quality.csv", "_quality_rel.csv", "_summary.csv"],
    "NRD": [".csv", "_renal.csv", "_quality.csv", "_quality_rel.csv", "_summary.csv"],
}


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_cli_file_set_every_row_and_api_agree(tmp_path, dataset):
    rows = random_records(dataset, 400)
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out"
    assert cli.main(["group", "-i", str(src), "-o", str(out), "-h", "--design", str(MINI),
                     "--quiet"]) == 0
    written = sorted(p.name for p in tmp_path.glob("out*"))
    assert written == sorted("out" + s for s in FILES[dataset])
    assert (tmp_path / "out.csv").read_text().split() == ["Output", "File"] + [
        "out" + s for s in FILES[dataset][1:]]
    ds = DATASETS[dataset]
    main = (tmp_path / f"out{ds.main}.csv").read_text().splitlines()
    header = main[0].split(",")
    assert header[:len(rows[0])] == list(rows[0]) and header[len(rows[0])] == "RowNo"
    body = [line.split(",") for line in main[1:]]
    assert len(body) == len(rows)                       # every row, exactly once
    assert sorted(r[0] for r in body) == sorted(r["RECID"] for r in rows)
    api = hrgfast.group_records(dataset, {k: [r[k] for r in rows] for k in rows[0]}, MINI)
    hrg_at = header.index(f"{dataset}_HRG")
    assert [r[hrg_at] for r in body] == [h or "" for h in
                                         api.records.column(f"{dataset}_HRG").to_pylist()]
    assert [r[0] for r in body] == [rows[i]["RECID"] for i in
                                    api.records.column("InputRow").to_pylist()]
    rel = (tmp_path / "out_quality_rel.csv").read_text().splitlines()[1:]
    assert len(rel) == api.quality.num_rows > 0
    summary = (tmp_path / "out_summary.csv").read_text().splitlines()
    values = dict(zip(summary[0].split(","), summary[1].split(","), strict=True))
    assert int(values[f"{ds.record} Count"]) == len(rows)
    assert int(values[f"{ds.record} Error Count"]) == api.run_info[f"{ds.record} Error Count"]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_threads_and_blocks_do_not_change_a_byte(tmp_path, dataset):
    src = write_csv(tmp_path / "in.csv", random_records(dataset, 3000, seed=11))
    whole = group_file(src, dataset, tmp_path / "a")
    assert group_file(src, dataset, tmp_path / "b", threads=2) == whole
    assert group_file(src, dataset, tmp_path / "c", block=700) == whole
    assert group_file(src, dataset, tmp_path / "d", block=50) == whole   # < one line


@pytest.mark.parametrize("dataset", ["PCC", "NCC"])
def test_shuffled_days_are_sorted_back(tmp_path, dataset):
    rows = random_records(dataset, 3000, seed=4)
    ordered = sorted(rows, key=lambda r: (r["PROCODET"], r["CCLOCALID"], r["CCDATE"]))
    whole = group_file(write_csv(tmp_path / "s.csv", ordered), dataset, tmp_path / "a")
    assert group_file.mode == "sorted"
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    src = write_csv(tmp_path / "u.csv", shuffled)
    got = group_file(src, dataset, tmp_path / "b", block=4096)
    assert group_file.mode == "partitioned"
    # the transfer-day records of one date keep their input order, so compare as sets
    for name in whole:
        assert sorted(got[name].splitlines()) == sorted(whole[name].splitlines()), name


def test_days_of_one_stay_split_across_blocks(tmp_path):
    rows = [{"PROCODET": "RXA", "CCLOCALID": "L1", "CCDATE": f"202404{d:02d}",
             "DISDATE": "20240430", "DISMETH": "1", "CCUF": "04" if d < 9 else "16",
             "CCAC_01": "56" if d % 3 else "51"} for d in range(1, 21)]
    src = write_csv(tmp_path / "in.csv", rows)
    whole = group_file(src, "PCC", tmp_path / "a")
    assert group_file(src, "PCC", tmp_path / "b", block=300) == whole
    api = hrgfast.group_pcc({k: [r[k] for r in rows] for k in rows[0]}, MINI)
    assert api.records.column("Period").to_pylist() == [1] * 8 + [2] * 12


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_logic_inferred_from_header_and_missing_fields(tmp_path, dataset, capsys):
    rows = random_records(dataset, 5)
    assert cli.infer_logic(list(rows[0])) == dataset
    mandatory = DATASETS[dataset].required[0]
    src = write_csv(tmp_path / "in.csv", [{k: v for k, v in r.items() if k != mandatory}
                                          for r in rows])
    args = ["group", "-i", str(src), "-o", str(tmp_path / "o"), "-h", "--design", str(MINI),
            "--quiet"]
    code = cli.main(args + ["-l", dataset])
    assert code == 8 and mandatory in capsys.readouterr().err


def test_no_header_needs_rdf_and_no_headers_flag(tmp_path):
    rows = random_records("EM", 10)
    src = tmp_path / "in.csv"
    src.write_text("\n".join(",".join(r.values()) for r in rows) + "\n")
    rdf = tmp_path / "em.rdf"
    rdf.write_text("COMMA DELIMITED\n" + "".join(f"{k},{k},{i + 1},,,,\n"
                                                 for i, k in enumerate(rows[0])))
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "o"), "-d", str(rdf), "-t",
                     "-l", "EM", "--design", str(MINI), "--quiet"]) == 0
    lines = (tmp_path / "o_attend.csv").read_text().splitlines()
    assert len(lines) == 10 and lines[0].startswith("r0,")


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_arrow_ipc_in_and_out(tmp_path, dataset):
    rows = random_records(dataset, 100)
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    src = tmp_path / "in.arrow"
    with pa.ipc.new_file(str(src), table.schema) as w:
        w.write_table(table)
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "o"), "--format", "arrow",
                     "--design", str(MINI), "--quiet"]) == 0
    ds = DATASETS[dataset]
    out = pa.ipc.open_file(str(tmp_path / f"o{ds.main}.arrow")).read_all()
    api = hrgfast.group_records(dataset, table, MINI)
    assert out.column(f"{dataset}_HRG").to_pylist() == \
        api.records.column(f"{dataset}_HRG").to_pylist()


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_parquet_in_and_out(tmp_path, dataset):
    rows = random_records(dataset, 200)
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "o"), "--format", "parquet",
                     "--design", str(MINI), "--quiet"]) == 0
    ds = DATASETS[dataset]
    out = pq.read_table(tmp_path / f"o{ds.main}.parquet")
    api = hrgfast.group_records(dataset, table, MINI)
    assert out.column(f"{dataset}_HRG").to_pylist() == \
        api.records.column(f"{dataset}_HRG").to_pylist()
    assert out.num_rows == 200 and "RECID" in out.column_names
    # CSV output from Parquet input equals CSV output from the same CSV input
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "p"), "--design", str(MINI),
                     "--quiet"]) == 0
    csv_src = write_csv(tmp_path / "in.csv", rows)
    assert cli.main(["group", "-i", str(csv_src), "-o", str(tmp_path / "q"), "-h", "--design",
                     str(MINI), "--quiet"]) == 0
    for suffix in FILES[dataset][1:-1]:
        assert (tmp_path / f"p{suffix}").read_bytes() == (tmp_path / f"q{suffix}").read_bytes()


def _pxd_enums() -> dict[str, int]:
    text = (ROOT / "src" / "_engine" / "record_fields.pxd").read_text()
    return {m[0]: int(m[1]) for m in re.findall(r"^\s+([A-Z][A-Z0-9_]*) = (\d+)", text, re.M)}


def test_engine_slots_match_the_field_specs():
    e = _pxd_enums()
    prefixes = {"NAC": "N_", "EM": "E_", "ACC": "A_", "NRD": "R_"}
    for name, ds in DATASETS.items():
        assert e["L_" + name] == S.LOGIC_DATASETS.index(name) == ds.logic
        for i, f in enumerate(ds.scalars):
            key = {"AEPATIENTGROUP": "GROUP", "RENALMOD": "MOD", "RENALSITE": "SITE",
                   "RENALACCESS": "ACCESS", "CC_START_DATE": "START",
                   "CC_DISCHARGE_DATE": "DISCH", "AGE_DAYS": "AGEDAYS"}.get(f.name, f.name)
            pre = prefixes.get(name, "C_")
            if pre + key in e:
                assert e[pre + key] == i, (name, f.name)
    assert e["A_N_SUPPORT"] == len(S.ACC_SUPPORT_FIELDS)
    acc = DATASETS["ACC"].names
    assert acc[e["A_BCSD"]:e["A_BCSD"] + e["A_N_SUPPORT"]] == list(S.ACC_SUPPORT_FIELDS)
    var_prefix = {"NAC": "VN_", "EM": "VE_", "ACC": "VA_", "PCC": "VC_", "NCC": "VC_",
                  "NRD": "VR_"}
    for name, variables in S.LOGIC_VARIABLES.items():
        for i, v in enumerate(variables):
            assert e[var_prefix[name] + v.upper()] == i, (name, v)
    assert e["N_LOGIC_VARS"] == S.N_LOGIC_VARS


@pytest.mark.parametrize("dataset", ["NAC", "EM", "PCC"])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_arrow_input_in_batches_equals_whole(tmp_path, dataset, fmt):
    """Parquet input is grouped batch by batch (PCC/NCC whole): tiny batches give the same
    output files as one batch."""
    from hrgfast.datasets.arrowstream import group_arrow
    rows = random_records(dataset, 500, seed=9)
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({k: [r[k] for r in rows] for k in rows[0]}), src)
    design = hrgfast.load_design(MINI)
    got = {}
    for batch in (7, 1 << 20):
        base = tmp_path / f"b{batch}"
        paths, n, _ = group_arrow(src, DATASETS[dataset], design, 1, base, fmt, True, {},
                                  batch_rows=batch)
        assert n == 500
        got[batch] = {p.name[len(base.name):]: (p.read_bytes() if fmt == "csv" else
                                                pq.read_table(p).drop_columns(
                                                    [c for c in ("Run Start Date/Time",
                                                                 "Run End Date/Time")
                                                     if c in pq.read_table(p).column_names]))
                      for p in paths if "summary" not in p.name and p.name != base.name + ".csv"}
    assert got[7] == got[1 << 20]


def test_outputs_never_overwrite_an_arrow_input(tmp_path):
    rows = random_records("ACC", 20)
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    src = tmp_path / "in_acc.arrow"
    with pa.ipc.new_file(str(src), table.schema) as w:
        w.write_table(table)
    before = src.read_bytes()
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "in"), "-l", "ACC",
                     "--format", "arrow", "--design", str(MINI), "--quiet"]) == 9
    assert src.read_bytes() == before


def test_empty_arrow_input_of_a_day_dataset(tmp_path, capsys):
    table = pa.table({k: pa.array([], pa.string()) for k in random_records("PCC", 1)[0]})
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    assert cli.main(["group", "-i", str(src), "-o", str(tmp_path / "o"), "--design",
                     str(MINI), "--quiet"]) == 7
    assert "holds no records" in capsys.readouterr().err
