"""Type stub for the compiled APC kernel (src/_engine/_apc.pyx)."""

import numpy as np

SORTED: int
GROUPED: int
UNSORTED: int

def group_apc(arrays: dict[str, np.ndarray], uz01z: int, paediatric_max_age: int,
              cc_exclude_same_category: bool, fields: np.ndarray, diag: np.ndarray,
              proc: np.ndarray, order: np.ndarray, spell_start: np.ndarray,
              classpat_flags: np.ndarray, admimeth_flags: np.ndarray, sex_num: np.ndarray,
              tretspef_ub: np.ndarray, num_threads: int = ...) -> dict[str, np.ndarray]: ...
def openmp_threads(n: int) -> int: ...
def find_spells(buf_p: np.ndarray, procodet: np.ndarray, buf_s: np.ndarray,
                provspno: np.ndarray, epiorder: np.ndarray) -> tuple[int, np.ndarray]: ...
def pack_keys(buf: np.ndarray, spans: np.ndarray, words: int) -> np.ndarray: ...
def key_partitions(buf: np.ndarray, procodet: np.ndarray, provspno: np.ndarray,
                   bounds: np.ndarray, bound_p: np.ndarray, bound_s: np.ndarray) -> np.ndarray: ...
