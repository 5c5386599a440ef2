"""Loading the bundled design: from its file (map, verify the checksum, build the Design)
and from the in-process cache."""

from __future__ import annotations

from conftest import run

import hrgfast
from hrgfast.design import loader


def load_cold() -> hrgfast.Design:
    loader._load_path.cache_clear()
    return hrgfast.load_design()


def test_design_load_file(benchmark):
    d = run(benchmark, load_cold, rounds=10, n=1)
    assert d.name == loader.DEFAULT_DESIGN and d.arrays["hrg_code"][d.uz01z] == b"UZ01Z"
    assert len(d.arrays["dx_code"]) > 10_000


def test_design_load_cached(benchmark):
    hrgfast.load_design()
    d = run(benchmark, hrgfast.load_design, rounds=100, n=1)
    assert d.name == loader.DEFAULT_DESIGN
