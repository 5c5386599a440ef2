"""The design compiler, the artifact format and design loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import MINI, columns, episode

import hrgfast
from hrgfast.design import artifact, compiler
from hrgfast.design.artifact import ArtifactError
from hrgfast.design.compiler import DesignError, compile_to_file, parse_condition
from hrgfast.design.loader import load_design


@pytest.fixture()
def mini_copy(tmp_path) -> Path:
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    return dst


def test_compile_is_deterministic(tmp_path):
    a = compile_to_file(MINI, tmp_path / "a.hrgd").read_bytes()
    b = compile_to_file(MINI, tmp_path / "b.hrgd").read_bytes()
    assert a == b


def test_bundled_artifacts_match_their_sources(tmp_path):
    """Recompiling each bundled design from data/ gives the shipped bytes."""
    data = Path(__file__).parent.parent / "data"
    bundled = {i.name: i.path for i in hrgfast.list_designs()}
    checked = 0
    for src in sorted(p.parent for p in data.glob("*/design.toml")):
        meta = compiler._meta(src)
        if meta["name"] not in bundled:
            continue  # a developer build may bundle other designs
        fresh = compile_to_file(src, tmp_path / f"{meta['name']}.hrgd").read_bytes()
        assert fresh == Path(bundled[meta["name"]]).read_bytes(), meta["name"]
        checked += 1
    if not checked:
        pytest.skip("no bundled design built from data/ in this installation")


def test_artifact_header_carries_metadata(tmp_path):
    path = compile_to_file(MINI, tmp_path / "m.hrgd")
    art = artifact.read_artifact(path)
    meta = art.meta
    assert meta["name"] == "mini-test" and meta["version"] == "1"
    assert meta["source_sha256"] == compiler.source_checksum(MINI)
    assert art.header["format_version"] == artifact.FORMAT_VERSION
    assert meta["valid_from"] == "2024-04-01" and meta["official"] is False


def test_source_checksum_changes_with_any_source_byte(mini_copy):
    before = compiler.source_checksum(mini_copy)
    with open(mini_copy / "splits.csv", "a") as fh:
        fh.write("# a comment\n")
    assert compiler.source_checksum(mini_copy) != before


@pytest.mark.parametrize("damage, message", [
    (lambda b: b"NOTADSGN" + b[8:], "bad magic"),
    (lambda b: b[:8] + (99).to_bytes(4, "little") + b[12:], "format version 99"),
    (lambda b: b[:-10], "truncated"),
    (lambda b: b[:-1] + bytes([b[-1] ^ 0xFF]), "checksum"),
    (lambda b: b[:4], "too short"),
])
def test_corrupt_artifacts_are_refused(tmp_path, damage, message):
    good = compile_to_file(MINI, tmp_path / "good.hrgd").read_bytes()
    bad = tmp_path / "bad.hrgd"
    bad.write_bytes(damage(good))
    with pytest.raises(ArtifactError, match=message):
        artifact.read_artifact(bad)
    with pytest.raises(ArtifactError):
        load_design(bad)


def test_struct_size_mismatch_is_refused(tmp_path):
    header, arrays = compiler.compile_design(MINI)
    arrays["dx"] = np.zeros(len(arrays["dx"]), dtype=[("root", "<i4"), ("x", "<i4")])
    path = tmp_path / "odd.hrgd"
    artifact.write_artifact(path, header, arrays)
    d = load_design(path)
    with pytest.raises(TypeError, match="item size"):
        hrgfast.group_apc(columns([episode(["J22X"])]), design=d)


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("cc>=14", [(1, 14, 2**31 - 1)]),
    ("age<=18 & cc in 5..7", [(0, -(2**31), 18), (1, 5, 7)]),
    ("cc>2 and cc<9", [(1, 3, 8)]),
    ("sex=2", [(9, 2, 2)]),
])
def test_condition_grammar(text, expected):
    assert parse_condition(text) == expected


@pytest.mark.parametrize("text", ["cc=>3", "colour>=1", "cc>=5 & cc<=2", "cc in 5", "cc>=x"])
def test_bad_conditions(text):
    with pytest.raises(DesignError):
        parse_condition(text)


@pytest.mark.parametrize("table, line, message", [
    ("splits.csv", "EB10Q,cc>=1\n", "not in hrgs.csv"),
    ("splits.csv", "HT12A,age>=5\n", "must have an empty 'when'"),
    ("diagnoses.csv", "Q99,DZ22\n", "matches no code"),
    ("diagnoses.csv", "K59,ZZ99\n", "has no HRG"),
    ("diagnoses.csv", "I21,EB10\n", "duplicate code I21"),
    ("procedures.csv", "W40,3\n", "duplicate code W40"),
    ("procedures.csv", "S3,7\n", "root is required"),
    ("procedures.csv", "E85,0,,,,EB10\n", "is not a unbundled root"),
    ("hrgs.csv", "AB12,Bad,core,APC\n", "must look like AA22C"),
    ("hrgs.csv", "DZ22Z,Mixed,core,APC\n", "mixes split Z"),
    ("cc_weights.csv", "QQ,E119,1\n", "not in subchapters.csv"),
    ("field_values.csv", "APC,SEX,TOOLONGVALUE\n", "1-8 ASCII"),
])
def test_design_errors_name_file_and_line(mini_copy, table, line, message):
    path = mini_copy / table
    text = path.read_text()
    path.write_text(text + line)
    lineno = len(text.splitlines()) + 1
    with pytest.raises(DesignError, match=message) as err:
        compiler.compile_design(mini_copy)
    assert f"{table}:{lineno}" in str(err.value)


def test_table_as_folder_of_parts(mini_copy):
    rows = (mini_copy / "diagnoses.csv").read_text().splitlines()
    header, body = rows[0], rows[1:]
    (mini_copy / "diagnoses.csv").unlink()
    (mini_copy / "diagnoses").mkdir()
    (mini_copy / "diagnoses" / "a.csv").write_text("\n".join([header] + body[:10]) + "\n")
    (mini_copy / "diagnoses" / "b.csv").write_text("\n".join([header] + body[10:]) + "\n")
    _, split_arrays = compiler.compile_design(mini_copy)
    _, whole_arrays = compiler.compile_design(MINI)
    assert np.array_equal(split_arrays["dx"], whole_arrays["dx"])
    (mini_copy / "diagnoses.csv").write_text(header + "\n")
    with pytest.raises(DesignError, match="not both"):
        compiler.compile_design(mini_copy)


def test_longest_prefix_wins(mini):
    assert mini.procedure("W371")["error"] is None
    assert mini.procedure("W379")["error"] == "UZ06"
    assert mini.procedure("W379")["mapped_by"] == "W379"
    assert mini.procedure("W375")["mapped_by"] == "W37"


def test_design_introspection(mini):
    d = mini.diagnosis("I21.0")
    assert d["valid"] and d["root"] == "EB10" and d["mapped_by"] == "I21"
    assert mini.diagnosis("P704")["age_range"] == [0, 18]
    assert mini.diagnosis("S7200")["trauma_site"] == "lower_limb"
    assert mini.diagnosis("Q999") == {"code": "Q999", "valid": False}
    assert mini.cc_weight("N185", "EB") == 5 and mini.cc_weight("N185", "DZ") == 3
    assert mini.cc_weight("J22X", "EB") == 0
    p = mini.procedure("U051")
    assert (p["unbundled_root"], p["hierarchy"]) == ("RD20", 0)
    assert mini.procedure("G451")["intervention"] is True
    hrgs = {h["hrg"]: h for h in mini.hrgs()}
    assert hrgs["EB10C"]["kind"] == "core" and hrgs["RD20A"]["kind"] == "unbundled"
    assert {h["hrg"] for h in mini.hrgs(kind="error")} == {"UZ01Z"}
    assert mini.hrg_label("UZ01Z") == "Data Invalid for Grouping"


def test_load_by_folder_file_name_year_and_date(tmp_path, mini):
    path = compile_to_file(MINI, tmp_path / "m.hrgd")
    assert load_design(path).source_sha256 == mini.source_sha256
    assert load_design(MINI).name == "mini-test"
    with pytest.raises(LookupError, match="no design named"):
        load_design("no-such-design")
    with pytest.raises(LookupError, match="covers"):
        load_design(year="1999/00")
    with pytest.raises(ValueError):
        load_design(date="yesterday")
    bundled = hrgfast.list_designs()
    if bundled:
        first = bundled[0]
        assert load_design(first.name).name == first.name
        assert load_design(date=first.valid_from).info.valid_from <= first.valid_from
        fy = int(first.valid_from[:4])
        assert load_design(year=f"{fy}/{(fy + 1) % 100:02d}").name


def test_design_load_is_memory_mapped(mini):
    arr = mini.arrays["dx"]
    assert not arr.flags.writeable
    assert arr.base is not None


def test_logic_rules_introspection(mini):
    em = mini.logic_rules("EM")
    assert em[0] == ("VB99Z", "dead=1") and em[-1] == ("VB11Z", "inv<=1 & treat<=1")
    nrd = mini.logic_rules("nrd")
    assert ("LE01", "modality=5") in nrd      # a root target, split by age
    assert len(mini.logic_rules("ACC")) == 4
