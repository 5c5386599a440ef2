"""A big end-to-end run: synthesise N episodes to a temporary directory (streamed by
``hrgfast synth``), group them with ``hrgfast group``, report wall time and peak RSS of
each step, check the episode count in the summary, and clean up.

    python bench/run_big.py                          # 100M episodes, CSV in, official CSV out
    python bench/run_big.py -n 10000000              # the 10M validation run
    python bench/run_big.py -n 10000000 --input parquet --format parquet

Space: about 105 bytes an episode for the CSV input (100M: ~10.5 GB) and about 4.2 times
the input for the official CSV outputs (~44 GB); Parquet input and outputs take about a
fifth of that. ``--dir`` (default ``$HRGFAST_TMPDIR`` or the system temp directory) says
where. Peak RSS comes from ``wait4`` on each child process.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# measured sizes a synthetic episode (2M episodes): input, and all outputs together
IN_BYTES = {"csv": 105, "parquet": 24}
OUT_BYTES = {"csv": 440, "parquet": 70, "arrow": 330}


def measure(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; return (wall seconds, peak RSS bytes of that process)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"run_big: {' '.join(cmd)} exited {proc.returncode}")
    return wall, usage.ru_maxrss * 1024          # ru_maxrss is in KiB on Linux


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fce_count(out: Path, fmt: str) -> int:
    if fmt == "csv":
        with open(f"{out}_summary.csv", newline="") as fh:
            return int(next(csv.DictReader(fh))["FCE Count"])
    import pyarrow as pa
    import pyarrow.parquet as pq
    t = pq.read_table(f"{out}_summary.parquet") if fmt == "parquet" else \
        pa.ipc.open_file(f"{out}_summary.arrow").read_all()
    return int(t.column("FCE Count")[0].as_py())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--episodes", type=int, default=100_000_000)
    ap.add_argument("--input", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--format", choices=["csv", "parquet", "arrow"], default="csv",
                    help="output format of hrgfast group")
    ap.add_argument("--threads", type=int, help="hrgfast group --threads")
    ap.add_argument("--dir", default=os.environ.get("HRGFAST_TMPDIR") or None,
                    help="parent of the temporary directory")
    ap.add_argument("--keep", action="store_true", help="keep the files")
    a = ap.parse_args()

    parent = Path(a.dir or tempfile.gettempdir())
    need = a.episodes * (IN_BYTES[a.input] + OUT_BYTES[a.format])
    free = shutil.disk_usage(parent).free
    if need > free:
        print(f"run_big: warning: needs about {need / 1e9:.0f} GB, {parent} has "
              f"{free / 1e9:.0f} GB free", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="hrgfast-big-", dir=parent))
    hrg = [sys.executable, "-m", "hrgfast"]
    try:
        inp = tmp / f"in.{a.input}"
        load0 = os.getloadavg()
        synth_s, synth_rss = measure(hrg + ["synth", "-n", str(a.episodes), "-o", str(inp)])
        (tmp / "out").mkdir()
        out = tmp / "out" / "apc"
        cmd = hrg + ["group", "-i", str(inp), "-o", str(out), "--format", a.format, "--quiet"]
        cmd += ["-h"] if a.input == "csv" else []
        cmd += ["--threads", str(a.threads)] if a.threads else []
        load1 = os.getloadavg()
        group_s, group_rss = measure(cmd)
        load2 = os.getloadavg()
        got = fce_count(out, a.format)
        if got != a.episodes:
            raise SystemExit(f"run_big: summary says {got:,} episodes, not {a.episodes:,}")
        in_bytes, out_bytes = inp.stat().st_size, tree_bytes(tmp / "out")
        print(f"run_big: {a.episodes:,} episodes, {a.input} {in_bytes / 1e9:.2f} GB -> "
              f"{a.format} {out_bytes / 1e9:.2f} GB | group {group_s:.1f} s, "
              f"{a.episodes / group_s / 1e6:.2f}M episodes/s, peak RSS "
              f"{group_rss / 2**30:.2f} GiB | synth {synth_s:.1f} s, peak RSS "
              f"{synth_rss / 2**30:.2f} GiB | load {load0[0]:.2f} / {load1[0]:.2f} / "
              f"{load2[0]:.2f} (start / group start / group end)", flush=True)
        if a.keep:
            print(f"run_big: files kept in {tmp}")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
