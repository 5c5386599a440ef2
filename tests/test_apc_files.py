"""The official file contract: RDF, input reading, output files and columns, CLI flags and
exit codes."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import MINI, columns, episode

import hrgfast
from hrgfast import exitcodes as X
from hrgfast.apc import textout as F
from hrgfast.cli import main
from hrgfast.rdf import parse_rdf

FIELDS = list(episode(["J22X"]).keys())


def write_input(path: Path, records, header=True, extra=True, delimiter=","):
    names = FIELDS + (["MYKEY"] if extra else [])
    with open(path, "w", newline="") as fh:
        if header:
            fh.write(delimiter.join(names) + "\n")
        for i, r in enumerate(records):
            vals = [r[k] for k in FIELDS] + ([f"key{i}"] if extra else [])
            fh.write(delimiter.join(vals) + "\n")
    return path


def write_rdf(path: Path, names=FIELDS, decl="COMMA DELIMITED"):
    lines = [decl] + [f"{n},{n},{i},,,," for i, n in enumerate(names, start=1)]
    path.write_text("\n".join(lines) + "\n")
    return path


RECORDS = [
    episode(["J22X", "E119"], ["U051"], PROVSPNO="B", EPIORDER=2, DISDEST=98, DISMETH=8),
    episode(["I210", "N185"], PROVSPNO="B", EPIORDER=1, DISDEST=98, DISMETH=8),
    episode(["K297"], ["W371"], PROVSPNO="A"),
    episode(["Q999"], SEX=7, PROVSPNO="C"),
    episode(["J22X"], ["U051", "X701"], PROVSPNO="D"),
]


def run(*args):
    return main(["group", *map(str, args), "--design", str(MINI), "--quiet"])


def read(path: Path, header=True):
    """Rows of an output file (the csv module is fine: outputs here hold no quotes)."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return (rows[0], rows[1:]) if header else (None, rows)


@pytest.fixture()
def outputs(tmp_path):
    inp = write_input(tmp_path / "in.csv", RECORDS)
    rdf = write_rdf(tmp_path / "apc.rdf")
    assert run("-i", inp, "-o", tmp_path / "out.csv", "-d", rdf, "-h", "-l", "APC") == 0
    return tmp_path


def test_file_set_and_names(outputs):
    names = sorted(p.name for p in outputs.glob("out*"))
    assert names == sorted(["out.csv"] + [f"out{s}.csv" for s in F.SUFFIXES])
    index = (outputs / "out.csv").read_text().split()
    assert index[0] == "Output" or index[0] == "Output File" or "out_FCE.csv" in index


def test_fce_columns_and_rows(outputs):
    header, rows = read(outputs / "out_FCE.csv")
    assert header == FIELDS + ["MYKEY"] + F.FCE
    assert F.FCE[:3] == ["RowNo", "FCE_HRG", "GroupingMethodFlag"]
    assert len(rows) == len(RECORDS)
    rec = [dict(zip(header, r[:len(header)], strict=True)) for r in rows]
    assert [r["RowNo"] for r in rec] == ["1", "2", "3", "4", "5"]
    # sorted by PROCODET, PROVSPNO, EPIORDER; input columns echoed byte for byte
    assert [(r["PROVSPNO"], r["EPIORDER"], r["MYKEY"]) for r in rec] == \
        [("A", "1", "key2"), ("B", "1", "key1"), ("B", "2", "key0"), ("C", "1", "key3"),
         ("D", "1", "key4")]
    assert [r["FCE_HRG"] for r in rec] == ["HN12B", "EB10D", "DZ22P", "UZ01Z", "DZ22Q"]
    assert rec[0]["DominantProcedure"] == "W371" and rec[0]["GroupingMethodFlag"] == "P"
    assert [r["SpellReportFlag"] for r in rec] == ["1", "1", "0", "1", "1"]
    assert rec[0]["FCESSC_Ct"] == "0" and rec[0]["FCE_PBC"] == ""
    # trailing unbundled HRGs: the first under the UnbundledHRGs header, the rest header-less
    assert rows[4][len(header) - 1:] == ["RD20A", "SB01Z"]
    assert rows[0][len(header) - 1:] == [""]


def test_spell_and_rel_files(outputs):
    header, rows = read(outputs / "out_spell.csv")
    assert header == F.SPELL
    assert [r[:4] for r in rows] == [["1", "RX1", "A", "HN12B"], ["2", "RX1", "B", "EB10C"],
                                     ["4", "RX1", "C", "UZ01Z"], ["5", "RX1", "D", "DZ22Q"]]
    assert read(outputs / "out_spell_rel.csv")[0] == F.SPELL_REL
    header, rows = read(outputs / "out_FCE_rel.csv")
    assert header == F.FCE_REL and len(rows) == 5
    header, rows = read(outputs / "out_ub_rel.csv")
    assert header == F.UB_REL
    assert rows == [["3", "1", "RD20A"], ["5", "1", "RD20A"], ["5", "2", "SB01Z"]]


def test_quality_files(outputs):
    header, rows = read(outputs / "out_quality_rel.csv")
    assert header == F.QUALITY_REL
    assert rows == [["4", "1", "SEX", "7", "Sex is invalid"],
                    ["4", "2", "DIAG_01", "Q999", "Diagnosis is invalid"]]
    header, rows = read(outputs / "out_quality.csv")
    assert header == FIELDS + ["MYKEY", "RowNo", "Error Message"]
    assert len(rows) == 1
    assert rows[0][len(FIELDS) + 1:] == ["4", "SEX|7|Sex is invalid",
                                         "DIAG_01|Q999|Diagnosis is invalid"]


def test_summary_file(outputs):
    header, rows = read(outputs / "out_summary.csv")
    assert header == F.SUMMARY
    s = dict(zip(header, rows[0], strict=True))
    assert (s["FCE Count"], s["Spell Count"], s["FCE Error Count"], s["Spell Error Count"]) == \
        ("5", "4", "1", "1")
    assert s["Database Version"] == "mini-test 1"
    assert s["Grouper Version"] == f"hrgfast {hrgfast.__version__}"


def test_no_headers_flag(tmp_path):
    inp = write_input(tmp_path / "in.csv", RECORDS, header=False, extra=False)
    rdf = write_rdf(tmp_path / "apc.rdf")
    assert run("-i", inp, "-o", tmp_path / "o", "-d", rdf, "-t") == 0
    _, rows = read(tmp_path / "o_FCE.csv", header=False)
    assert len(rows) == 5 and rows[0][len(FIELDS)] == "1"
    _, rows = read(tmp_path / "o_summary.csv", header=False)
    assert len(rows) == 1


def test_header_names_without_rdf(tmp_path):
    inp = write_input(tmp_path / "in.csv", RECORDS)
    assert run("-i", inp, "-o", tmp_path / "o", "-h") == 0
    header, rows = read(tmp_path / "o_FCE.csv")
    assert [r[header.index("FCE_HRG")] for r in rows] == ["HN12B", "EB10D", "DZ22P", "UZ01Z",
                                                          "DZ22Q"]


def test_rdf_positions_and_extract(tmp_path):
    # fields in a different order than the default, dots extracted from codes by the RDF
    order = FIELDS[::-1]
    with open(tmp_path / "in.csv", "w") as fh:
        for r in RECORDS:
            fh.write(",".join(r[k].replace("J22X", "J22.X") for k in order) + "\n")
    lines = ["COMMA DELIMITED"] + [f"{n},{n},{i},,,,{'.' if n.startswith('DIAG') else ''}"
                                   for i, n in enumerate(order, start=1)]
    (tmp_path / "r.rdf").write_text("\r\n".join(lines))
    assert run("-i", tmp_path / "in.csv", "-o", tmp_path / "o", "-d", tmp_path / "r.rdf") == 0
    _, rows = read(tmp_path / "o_FCE_rel.csv")
    assert [r[1] for r in rows] == ["HN12B", "EB10D", "DZ22P", "UZ01Z", "DZ22Q"]


def test_short_rows_and_quotes_are_kept(tmp_path):
    recs = [episode(["J22X"], PROVSPNO=str(i)) for i in range(3)]
    recs[1]["SPCDAYS"] = ""      # Excel drops trailing empty fields: the line is short
    recs[2]["PROVSPNO"] = '"2"'  # quotes are data, as in the official grouper
    path = tmp_path / "in.csv"
    with open(path, "w") as fh:
        for r in recs:
            line = ",".join(r[k] for k in FIELDS)
            fh.write(line.rstrip(",") + "\n")
    assert run("-i", path, "-o", tmp_path / "o", "-d", write_rdf(tmp_path / "r.rdf")) == 0
    lines = (tmp_path / "o_FCE.csv").read_text().splitlines()
    header, rows = lines[0].split(","), [ln.split(",") for ln in lines[1:]]
    assert len(rows) == 3
    assert all(len(r) >= len(header) for r in rows)
    assert [r[1] for r in rows] == ['"2"', "0", "1"]


def test_cli_and_api_agree(outputs):
    api = hrgfast.group_apc(columns(RECORDS), design=hrgfast.load_design(MINI))
    _, rows = read(outputs / "out_FCE_rel.csv")
    assert [r[1] for r in rows] == api.episodes.column("FCE_HRG").to_pylist()
    _, rows = read(outputs / "out_spell_rel.csv")
    assert [r[3] for r in rows] == api.spells.column("SpellHRG").to_pylist()


def test_two_runs_are_byte_identical(tmp_path):
    inp = write_input(tmp_path / "in.csv", RECORDS * 50)
    rdf = write_rdf(tmp_path / "apc.rdf")
    for out in ("a", "b"):
        assert run("-i", inp, "-o", tmp_path / out, "-d", rdf, "-h", "--threads", "2") == 0
    for suffix in F.SUFFIXES:
        if suffix == "_summary":
            continue
        a = (tmp_path / f"a{suffix}.csv").read_bytes()
        assert a == (tmp_path / f"b{suffix}.csv").read_bytes(), suffix


def test_parquet_output(tmp_path):
    inp = write_input(tmp_path / "in.csv", RECORDS)
    assert run("-i", inp, "-o", tmp_path / "p", "-h", "--format", "parquet") == 0
    t = pq.read_table(tmp_path / "p_FCE.parquet")
    assert t.column("FCE_HRG").to_pylist() == ["HN12B", "EB10D", "DZ22P", "UZ01Z", "DZ22Q"]
    assert "MYKEY" in t.column_names
    assert pq.read_table(tmp_path / "p_spell.parquet").num_rows == 4


def test_parquet_input(tmp_path):
    import pyarrow as pa
    pq.write_table(pa.table(columns(RECORDS)), tmp_path / "in.parquet")
    assert run("-i", tmp_path / "in.parquet", "-o", tmp_path / "o") == 0
    header, rows = read(tmp_path / "o_FCE.csv")
    assert header[:len(FIELDS)] == FIELDS
    assert [r[header.index("FCE_HRG")] for r in rows] == ["HN12B", "EB10D", "DZ22P", "UZ01Z",
                                                          "DZ22Q"]


def test_rdf_parser():
    r = parse_rdf("COMMA DELIMITED\nA,A,2,,,,\nB,B,1,,,,.\n")
    assert r.delimiter == "," and r.names == ["B", "A"]
    assert r.field("B").extract == "."
    assert parse_rdf("PIPE DELIMITED\nX,X,1,,,,").delimiter == "|"


@pytest.mark.parametrize("args, code", [
    ([], X.INPUT_BLANK),
    (["-i", "in.csv"], X.OUTPUT_BLANK),
    (["-i", "in.csv", "-o", "out", "-d"], X.RDF_BLANK),
    (["-i", "in.csv", "-o", "out", "-l", "XYZ"], X.UNKNOWN_LOGIC),
    (["-i", "in.csv", "-o", "out", "-x"], X.UNKNOWN_SWITCH),
    (["-i", "in.csv", "-o", "out", "stray"], X.UNKNOWN_PARAMETER),
    (["-i", "missing.csv", "-o", "out", "-h"], X.INPUT),
    (["-i", "in.csv", "-o", "out", "-d", "missing.rdf"], X.RDF),
    (["-i", "in.csv", "-o", "out", "-d", "bad.rdf"], X.RDF),
    (["-i", "in.csv", "-o", "nodir/out", "-h"], X.OUTPUT),
    (["-i", "empty.csv", "-o", "out", "-h"], X.PROCESSING),
    (["-i", "in.csv", "-o", "out"], X.RDF_BLANK),
    (["-i", "in.csv", "-o", "out", "-d", "short.rdf", "-l", "APC"], X.SET_LOGIC),
    (["-i", "in.csv", "-o", "out", "-d", "short.rdf"], X.PROCESSING),
    (["-?"], X.OK),
])
def test_exit_codes(tmp_path, monkeypatch, args, code):
    monkeypatch.chdir(tmp_path)
    write_input(tmp_path / "in.csv", RECORDS)
    (tmp_path / "empty.csv").write_text(",".join(FIELDS) + "\n")
    (tmp_path / "bad.rdf").write_text("NOT AN RDF\n")
    write_rdf(tmp_path / "short.rdf", FIELDS[:5])
    assert main(["group", *args, "--design", str(MINI), "--quiet"]) == code


def test_console_script_exit_code(tmp_path):
    exe = Path(sys.executable).with_name("hrgfast")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "hrgfast"]
    p = subprocess.run(cmd + ["group", "-i", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o"),
                              "-h"], capture_output=True, text=True)
    assert p.returncode == X.INPUT
    assert "error 11" in p.stderr and "nope.csv" in p.stderr
