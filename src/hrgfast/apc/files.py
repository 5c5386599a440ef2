"""The APC outputs as Parquet tables: the result tables, the FCE table joined to the
input columns (the official CSV file set is written by ``apc/textout.py``)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from hrgfast.apc.result import ApcResult, is_identity
from hrgfast.exitcodes import OUTPUT, GrouperError

PARQUET_SUFFIXES = ["_FCE", "_spell", "_ub_rel", "_quality_rel", "_summary"]


def parquet_tables(result: ApcResult, inputs: pa.Table | None = None) -> dict[str, pa.Table]:
    """The Parquet output tables by suffix (summary last): the result tables, the FCE
    table joined to the input columns it does not already hold (in RowNo order)."""
    ep = result.episodes
    if inputs is not None:
        extra = [c for c in inputs.column_names if c not in ep.column_names]
        if is_identity(result.order):
            taken = inputs.select(extra)        # already in RowNo order
        else:
            taken = inputs.select(extra).take(pa.array(result.order))
        for c in extra:
            ep = ep.append_column(c, taken.column(c))
    return {"_FCE": ep, "_spell": result.spells, "_ub_rel": result.unbundled,
            "_quality_rel": result.quality, "_summary": result.summary}


def write_parquet(result: ApcResult, base: Path, inputs: pa.Table | None = None) -> list[Path]:
    """Parquet outputs: the result tables, the FCE file joined to the input columns."""
    written = []
    try:
        for suffix, t in parquet_tables(result, inputs).items():
            path = Path(f"{base}{suffix}.parquet")
            pq.write_table(t, path)
            written.append(path)
    except OSError as exc:
        raise GrouperError(OUTPUT, f"cannot write Parquet output: {exc}") from exc
    return written
