"""Type stub for the compiled record-logics kernel (src/_engine/_records.pyx)."""

from typing import Any

import numpy as np

def group_records(
    logic: int,
    arrays: dict[str, np.ndarray],
    uz01z: int,
    paediatric_max_age: int,
    fields: np.ndarray,
    slots: list[tuple[Any, ...]],
    repeats: list[tuple[int, int]],
    order: np.ndarray | None = ...,
    group_start: np.ndarray | None = ...,
    fail_msg: int = ...,
    fail_field: int = ...,
    nac_min_hierarchy: int = ...,
    nac_px: np.ndarray | None = ...,
    num_threads: int = ...,
) -> dict[str, np.ndarray]: ...
