"""The APC kernel alone, on pre-encoded integer columns, at 1 and 2 threads."""

from __future__ import annotations

import pytest
from conftest import N, check_raw, run

from hrgfast.apc import grouper


@pytest.mark.parametrize("threads", [1, 2])
def test_kernel(benchmark, grouped, design, threads):
    enc, order, spell_start, _ = grouped
    raw = run(benchmark, grouper.run_kernel, enc, design, order, spell_start, threads)
    check_raw(raw, N, len(spell_start) - 1, design)
