"""hrgfast: a fast, open casemix grouper for NHS Healthcare Resource Groups.

Public names are imported lazily so that the design compiler (run by CMake before
the extension modules exist) can import this package.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "group_apc": "hrgfast.apc.api",
    "ApcResult": "hrgfast.apc.api",
    "group_records": "hrgfast.datasets.api",
    "group_nac": "hrgfast.datasets.api",
    "group_em": "hrgfast.datasets.api",
    "group_acc": "hrgfast.datasets.api",
    "group_pcc": "hrgfast.datasets.api",
    "group_ncc": "hrgfast.datasets.api",
    "group_nrd": "hrgfast.datasets.api",
    "DatasetResult": "hrgfast.datasets.result",
    "load_design": "hrgfast.design.loader",
    "list_designs": "hrgfast.design.loader",
    "Design": "hrgfast.design.loader",
    "compile_design": "hrgfast.design.loader",
    "DesignError": "hrgfast.design.compiler",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hrgfast' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
