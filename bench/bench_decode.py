"""Decoding: kernel outputs -> Arrow result tables (strings, as the Python API returns
them; and dictionary-encoded code columns, as the Parquet writer gets them)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from conftest import N, run

from hrgfast.apc.result import Decoder, decode


@pytest.mark.parametrize("as_dictionary", [False, True], ids=["strings", "dictionary"])
def test_decode(benchmark, grouped, table, design, as_dictionary):
    enc, order, spell_start, raw = grouped
    dec = Decoder(design)
    res = run(benchmark, decode, dec, raw, table, order, spell_start, enc.diag_names,
              enc.proc_names, {}, as_dictionary=as_dictionary)
    assert res.episodes.num_rows == N
    assert res.spells.num_rows == len(spell_start) - 1
    assert res.run_info["FCE Count"] == N
    hrg = res.episodes.column("FCE_HRG")
    if as_dictionary:
        assert pa.types.is_dictionary(hrg.type)
        hrg = hrg.cast(pa.string())
    assert hrg.null_count == 0 and all(len(h) == 5 for h in hrg.unique().to_pylist())
