"""Shared fixtures: the hand-written test design, record builders, public sample data."""

from __future__ import annotations

from pathlib import Path

import pytest

import hrgfast

HERE = Path(__file__).parent
ROOT = HERE.parent
MINI = HERE / "designs" / "mini"
SHARED = ROOT.parent / "shared" / "external_data" / "ansalls+HRG-Grouper-Analysis"
SAMPLE_CSV = SHARED / "APC_Sample_Test_Data_2425_LocalPaymentGrouper.csv"
SAMPLE_RDF = SHARED / "rdf" / "HRG4+_default_APC.rdf"
TARIFF = SHARED / "cache" / "kv_tariff_2425.json"
CC_LISTS = SHARED / "cc_lists"

BASE = dict(PROCODET="RX1", PROVSPNO="S1", EPIORDER="1", STARTAGE="50", SEX="1", CLASSPAT="1",
            ADMISORC="19", ADMIMETH="21", DISDEST="19", DISMETH="1", EPIDUR="3",
            MAINSPEF="300", NEOCARE="8", TRETSPEF="300", CRITICALCAREDAYS="0",
            REHABILITATIONDAYS="0", SPCDAYS="0")
NDIAG, NOPER = 6, 4


def episode(diag: list[str] = (), oper: list[str] = (), **fields: object) -> dict[str, str]:
    """One APC episode as strings, defaults from BASE; diag/oper fill DIAG_nn/OPER_nn."""
    rec = {k: str(v) for k, v in {**BASE, **fields}.items()}
    diag = list(diag)
    oper = list(oper)
    for i in range(NDIAG):
        rec[f"DIAG_{i + 1:02d}"] = diag[i] if i < len(diag) else ""
    for i in range(NOPER):
        rec[f"OPER_{i + 1:02d}"] = oper[i] if i < len(oper) else ""
    return rec


def columns(records: list[dict[str, str]]) -> dict[str, list[str]]:
    keys = list(records[0])
    return {k: [r[k] for r in records] for k in keys}


@pytest.fixture(scope="session")
def mini() -> hrgfast.Design:
    return hrgfast.load_design(MINI)


@pytest.fixture()
def group(mini):
    """group(*episodes) -> ApcResult with the mini design."""
    def run(*records: dict[str, str], threads: int = 1) -> hrgfast.ApcResult:
        return hrgfast.group_apc(columns(list(records)), design=mini, num_threads=threads)
    return run


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"public reference data not present: {path}")
    return path


def table_of(rows: list[dict[str, object]]) -> dict[str, list[str]]:
    """Columns of string values from dict rows (missing keys blank)."""
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    return {k: ["" if r.get(k) is None else str(r.get(k)) for r in rows] for k in keys}


@pytest.fixture()
def group_ds(mini):
    """group_ds("EM", rows) -> DatasetResult with the mini design."""
    def run(dataset: str, rows: list[dict[str, object]], threads: int = 1):
        return hrgfast.group_records(dataset, table_of(rows), design=mini, num_threads=threads)
    return run


def hrgs(result) -> list[str]:
    return result.records.column(result.hrg_column).to_pylist()


def messages(result) -> list[tuple[int, str, str, str]]:
    q = result.quality
    return list(zip(q.column("RowNo").to_pylist(), q.column("Code Type").to_pylist(),
                    q.column("Code").to_pylist(), q.column("Error Message").to_pylist(),
                    strict=True))
