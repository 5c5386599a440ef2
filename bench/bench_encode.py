"""Encoding: CSV text -> int columns (fused parse + encode, as the text stream does), and
Arrow -> int columns (string columns, and dictionary-encoded ones as read from Parquet).
All three must give the same integers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import N, run

from hrgfast import _csvio
from hrgfast.apc import fields as F
from hrgfast.apc import grouper
from hrgfast.apc.stream import TextGrouper


@pytest.fixture(scope="module")
def reference(table, design):
    return grouper.encode(table, design, 1)


def test_encode_csv_text(benchmark, csv_path, design, reference):
    tg = TextGrouper(csv_path, design, None, True, 2)
    body = np.frombuffer(csv_path.read_bytes()[tg.header_bytes:], np.uint8)

    def encode():
        ls, le = _csvio.index_lines(body)
        return tg.pipeline.encode(body, ls, le)

    n = run(benchmark, encode)
    b = tg.pipeline.encoder.bufs
    assert n == N
    assert np.array_equal(b.fields[:n], reference.fields)
    assert np.array_equal(b.diag[:n], reference.diag)
    assert np.array_equal(b.proc[:n], reference.proc)


@pytest.mark.parametrize("kind", ["strings", "dictionary"])
def test_encode_arrow(benchmark, table, dict_table, design, reference, kind):
    t = table if kind == "strings" else dict_table
    enc = run(benchmark, grouper.encode, t, design, 2)
    assert enc.n == N and enc.fields.shape[1] == F.NF
    assert np.array_equal(enc.fields, reference.fields)
    assert np.array_equal(enc.diag, reference.diag)
    assert np.array_equal(enc.proc, reference.proc)
