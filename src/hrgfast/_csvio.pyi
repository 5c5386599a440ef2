"""Type stub for the compiled delimited-text reader and row renderer (src/_engine/_csvio.pyx)."""

import enum
from typing import Any

import numpy as np

class Col(enum.IntEnum):
    ECHO = 1
    INT = 2
    CODE = 3
    CHAR = 4
    CONST = 5
    ROWNO = 6
    SPAN = 7
    UTF8 = 8
    TRAIL_HRG = 9
    TRAIL_MSG = 10

class Rendered:
    def __len__(self) -> int: ...
    def __buffer__(self, flags: int) -> memoryview: ...

def index_lines(buf: np.ndarray, start: int = ..., end: int = ...
                ) -> tuple[np.ndarray, np.ndarray]: ...
def split_fields(buf: np.ndarray, line_start: np.ndarray, line_end: np.ndarray, delim: int,
                 specs: list[tuple[Any, ...]]) -> tuple[list[tuple[np.ndarray, np.ndarray]],
                                                        np.ndarray]: ...
def merge_constants(columns: list[tuple[Any, ...]], delim: int = ...) -> list[tuple[Any, ...]]: ...
def format_rows(n: int, columns: list[tuple[Any, ...]], delim: int = ..., newline: bytes = ...,
                num_threads: int = ..., spans: bool = ..., pieces_out: bool = ...) -> Any: ...
def field_spans(buf: np.ndarray, line_start: np.ndarray, line_end: np.ndarray, rows: np.ndarray,
                fields: np.ndarray, delim: int) -> np.ndarray: ...
def gather_lines(buf: np.ndarray, line_start: np.ndarray, line_end: np.ndarray,
                 rows: np.ndarray) -> bytes: ...
