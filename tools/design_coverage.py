"""Coverage report for a compiled design: unmapped ICD-10 codes and OPCS-4 categories,
and which HRG roots the design can reach.

usage: python tools/design_coverage.py DESIGN.hrgd [--icd10 A00-B99] [--opcs A01-F99]
       [--roots] [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402

from hrgfast.design import schema as S  # noqa: E402
from hrgfast.design.artifact import read_artifact  # noqa: E402

TARIFF = (Path(__file__).resolve().parents[2] / "shared" / "external_data"
          / "ansalls+HRG-Grouper-Analysis" / "cache" / "kv_tariff_2425.json")


def in_range(code: str, rng: str | None) -> bool:
    if not rng:
        return True
    lo, _, hi = rng.upper().partition("-")
    hi = hi or lo
    return lo <= code[:len(lo)] and code[:len(hi)] <= hi


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("artifact")
    ap.add_argument("--icd10", help="code range, e.g. A00-B99")
    ap.add_argument("--opcs", help="category range, e.g. A01-F99")
    ap.add_argument("--roots", action="store_true", help="report reachable roots vs 2024/25 list")
    ap.add_argument("--list", action="store_true", help="list the unmapped codes")
    a = ap.parse_args()
    art = read_artifact(a.artifact)
    arr = art.arrays
    dx_codes = [c.decode() for c in arr["dx_code"].tolist()]
    px_codes = [c.decode() for c in arr["px_code"].tolist()]
    roots = [c.decode() for c in arr["root_code"].tolist()]
    dx, px = arr["dx"], arr["px"]
    if a.icd10 or not a.opcs:
        sel = [i for i, c in enumerate(dx_codes) if in_range(c, a.icd10)]
        unmapped = [dx_codes[i] for i in sel if not dx[i]["flags"] & S.DX_MAPPED]
        print(f"ICD-10 {a.icd10 or 'all'}: {len(sel)} codes, {len(unmapped)} unmapped")
        if a.list and unmapped:
            print("  " + " ".join(unmapped))
    if a.opcs or not a.icd10:
        cats = sorted({c[:3] for c in px_codes if in_range(c[:3], a.opcs)})
        mapped = {px_codes[i][:3] for i in range(len(px_codes)) if px[i]["flags"] & S.PX_MAPPED}
        unmapped = [c for c in cats if c not in mapped]
        print(f"OPCS-4 {a.opcs or 'all'}: {len(cats)} categories, {len(unmapped)} unmapped")
        if a.list and unmapped:
            print("  " + " ".join(unmapped))
    if a.roots:
        reach = set()
        for tab, cols in ((dx, ("root", "paed_root")), (px, ("root", "paed_root"))):
            for c in cols:
                reach.update(int(v) for v in np.unique(tab[c]) if v >= 0)
        target = arr["rule_target"]
        starts = arr["core_rule_start"]
        for start, stop in zip(starts[:-1], starts[1:], strict=True):
            reach.update(int(t) for t in target[start:stop])
        reach.update(int(target[g["rule"]]) for g in arr["gx"])
        reach.add(int(arr["hrg"]["root"][np.searchsorted(arr["hrg_code"], b"UZ01Z")]))
        reached = {roots[i] for i in reach}
        print(f"roots reachable: {len(reached)} of {len(roots)} in the design")
        if TARIFF.exists():
            official = {k.split("-")[2][:4] for k in json.loads(TARIFF.read_text())}
            missing = sorted(official - reached)
            print(f"2024/25 APC roots reachable: {len(official) - len(missing)} of {len(official)}")
            if a.list and missing:
                print("  not reached: " + " ".join(missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
