"""Type stub for the compiled encoder (src/_engine/_encode.pyx)."""

import enum
from typing import Any

import numpy as np

class Kind(enum.IntEnum):
    ICD10 = 1
    OPCS4 = 2
    VALUE = 3
    VALUE_ZEROS = 4
    INTEGER = 5
    PRESENCE = 6
    DATE = 8
    DECIMAL3 = 9

def encode_utf8(kind: int, offsets: np.ndarray, data: np.ndarray, validity: np.ndarray | None,
                bit_offset: int, out: np.ndarray, col: int, key_to_id: np.ndarray | None = ...,
                keys: np.ndarray | None = ..., num_threads: int = ...) -> None: ...
def encode_int_values(values: np.ndarray, validity: np.ndarray | None, bit_offset: int,
                      out: np.ndarray, col: int) -> None: ...
def encode_dict_indices(indices: np.ndarray, validity: np.ndarray | None, bit_offset: int,
                        dict_ids: np.ndarray, null_id: int, out: np.ndarray, col: int,
                        num_threads: int = ...) -> None: ...
def encode_lines(buf: np.ndarray, line_start: np.ndarray, line_end: np.ndarray, delim: int,
                 specs: list[tuple[Any, ...]], nfields: np.ndarray,
                 num_threads: int = ...) -> None: ...
