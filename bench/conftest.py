"""Shared data for the benchmarks: synthetic HES-like APC episodes, made once a session.

Sizes come from ``HRGFAST_BENCH_N`` (episodes, default 200,000: each benchmark then takes
a few seconds). Every benchmark records episodes/s in its ``extra_info``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hrgfast
from hrgfast import synth
from hrgfast.apc import fields as F
from hrgfast.apc import grouper

N = int(os.environ.get("HRGFAST_BENCH_N", "200000"))
ROUNDS = int(os.environ.get("HRGFAST_BENCH_ROUNDS", "3"))
SEED = 1


def run(benchmark, fn, *args, rounds: int = ROUNDS, n: int = N, **kwargs):
    """Time ``fn`` (one call a round) and record the episode rate of the median round."""
    result = benchmark.pedantic(fn, args=args, kwargs=kwargs, rounds=rounds, iterations=1,
                                warmup_rounds=0)
    median = benchmark.stats.stats.median
    benchmark.extra_info["episodes"] = n
    benchmark.extra_info["episodes_per_s"] = round(n / median) if median > 0 else None
    benchmark.extra_info["load"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return result


@pytest.fixture(scope="session")
def design() -> hrgfast.Design:
    return hrgfast.load_design()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bench-data")


@pytest.fixture(scope="session")
def csv_path(data_dir, design) -> Path:
    path = data_dir / "apc.csv"
    assert synth.write_csv(path, N, SEED, design) == N
    return path


@pytest.fixture(scope="session")
def parquet_path(data_dir, design) -> Path:
    path = data_dir / "apc.parquet"
    assert synth.write_parquet(path, N, SEED, design) == N
    return path


@pytest.fixture(scope="session")
def table(parquet_path) -> pa.Table:
    """The episodes as Arrow strings (what a CSV reader or pandas would give)."""
    return pq.read_table(parquet_path)


@pytest.fixture(scope="session")
def dict_table(parquet_path) -> pa.Table:
    """The same with the APC code fields dictionary-encoded (as the Parquet stream reads)."""
    from hrgfast.apc.arrowstream import ArrowInput
    return pa.Table.from_batches(list(ArrowInput(parquet_path).batches()))


@pytest.fixture(scope="session")
def grouped(table, design):
    """(encoded, order, spell_start, raw) for the whole table."""
    return grouper.group_table(table, design, 2)


def check_raw(raw: dict[str, np.ndarray], n: int, n_spells: int, design) -> None:
    """Real results: every episode and spell got an HRG, and only the synthetic data's
    invalid records (~2%, a few more through their spells) went to UZ01Z."""
    assert len(raw["fce_hrg"]) == n and len(raw["sp_hrg"]) == n_spells
    assert (raw["fce_hrg"] >= 0).all() and (raw["sp_hrg"] >= 0).all()
    uz = np.count_nonzero(raw["fce_hrg"] == design.uz01z) / n
    assert 0.005 < uz < 0.1, uz
    assert (raw["calc_epidur"][raw["fce_hrg"] != design.uz01z] >= 0).all()


__all__ = ["N", "run", "check_raw", "F"]
