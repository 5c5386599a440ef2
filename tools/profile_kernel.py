"""Measure the APC grouping kernel alone (``run_kernel`` on pre-encoded columns).

The input is read and encoded once (cached as .npy files in $TMPDIR/hrgfast-kernel-cache,
keyed by the CSV's name, size and mtime), so each run times only
``hrgfast.apc.grouper.run_kernel``.

    python tools/profile_kernel.py                  # time 1 and 2 threads, median of 7
    python tools/profile_kernel.py --callgrind      # instructions/episode (valgrind)
    python tools/profile_kernel.py --callgrind --cache-sim   # + branches, mispredicts, D1
    python tools/profile_kernel.py --save-golden G  # keep every output array in G.npz
    python tools/profile_kernel.py --check G        # compare all output arrays with G.npz
    python tools/profile_kernel.py --module B.so    # time (or profile) another build

The input is made with ``hrgfast synth`` if missing (2M episodes by default). Timings
print wall time and CPU time per run (all threads): on a shared machine the CPU time is
the steadier number, and A/B comparisons should alternate runs of the two builds
(``--module``, e.g. ``--line-build`` outputs of two source trees). The callgrind mode
re-runs this script under ``valgrind --tool=callgrind`` on the first ``--cg-episodes``
episodes (whole spells), collecting only inside the kernel's ``_run_block`` (the
per-spell work: scan, validation, grouping, unbundling, spells), and divides the
instruction count by the number of episodes. The kernel is bound by mispredicted
branches as much as by instructions, so ``--cache-sim`` (simulated mispredicts: a rough
guide, the real predictor is better) matters as much as the instruction count. Add
``--annotate`` to print ``callgrind_annotate`` output (build with
``CFLAGS_EXTRA=-g tools/dev-install.sh`` for C-line detail, or pass ``--line-build DIR``
for .pyx/.pxd-line detail).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from hrgfast.apc import grouper
from hrgfast.design.loader import load_design

BLOCK_SYMBOL = "*_apc__run_block*"


def _cache_paths(csv: Path) -> dict[str, Path]:
    st = csv.stat()
    tag = f"{csv.stem}-{st.st_size}-{int(st.st_mtime)}"
    base = Path(os.environ.get("TMPDIR", "/tmp")) / "hrgfast-kernel-cache"
    return {k: base / f"{tag}.{k}.npy" for k in ("fields", "diag", "proc", "order", "spells")}


def load_encoded(csv: Path, design, episodes: int) -> tuple[grouper.Encoded, np.ndarray,
                                                               np.ndarray]:
    """Encoded columns, sort order and spell starts of ``csv`` (made if missing)."""
    if not csv.exists():
        from hrgfast.synth import write_csv
        print(f"writing {episodes:,} synthetic episodes to {csv}", file=sys.stderr)
        write_csv(csv, episodes)
    paths = _cache_paths(csv)
    if all(p.exists() for p in paths.values()):
        a = {k: np.load(p) for k, p in paths.items()}
    else:
        from hrgfast.textfile import read_text
        table = read_text(csv, None, True).table
        enc = grouper.encode(table, design, num_threads=2)
        order, spells = grouper.spell_order(table, enc.fields[:, 2])
        a = {"fields": enc.fields, "diag": enc.diag, "proc": enc.proc, "order": order,
             "spells": spells}
        paths["fields"].parent.mkdir(parents=True, exist_ok=True)
        for k, p in paths.items():
            np.save(p, a[k])
    enc = grouper.Encoded(a["fields"], a["diag"], a["proc"], [], [])
    return enc, a["order"], a["spells"]


def head(enc: grouper.Encoded, order: np.ndarray, spells: np.ndarray, episodes: int):
    """The first whole spells holding at most ``episodes`` episodes (in sorted order)."""
    k = int(np.searchsorted(spells, episodes, side="right")) - 1
    n = int(spells[k])
    rows = order[:n]
    sub = grouper.Encoded(np.ascontiguousarray(enc.fields[rows]),
                          np.ascontiguousarray(enc.diag[rows]),
                          np.ascontiguousarray(enc.proc[rows]), [], [])
    return sub, np.arange(n, dtype=np.int64), np.ascontiguousarray(spells[:k + 1])


def time_kernel(enc, design, order, spells, threads: int,
                repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system, all threads) seconds of each run. On a shared machine
    the CPU time per run is the steadier number: if it does not grow with the thread
    count, the threads do not slow each other down (the wall time then scales as far as
    free cores allow)."""
    grouper.run_kernel(enc, design, order, spells, threads)   # warm up
    wall, cpu = [], []
    for _ in range(repeats):
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        grouper.run_kernel(enc, design, order, spells, threads)
        wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall, cpu


def unstripped_module() -> str | None:
    """Path of an ``_apc`` extension with symbols: the installed one is stripped, so the
    build tree's copy (same code when it is newer) is used when it has them."""
    import hrgfast._apc as mod
    cands = [Path(mod.__file__)]
    root = Path(__file__).resolve().parent.parent
    cands += sorted(root.glob("build/*/_apc*.so"), key=lambda p: -p.stat().st_mtime)
    for c in cands:
        syms = subprocess.run(["nm", str(c)], capture_output=True, text=True).stdout
        if "_run_block" in syms:
            if c.stat().st_mtime + 300 < Path(mod.__file__).stat().st_mtime:
                print(f"warning: {c} is older than the installed module", file=sys.stderr)
            return str(c)
    return None


def line_build(out_dir: Path) -> str:
    """Build ``_apc`` with Cython line directives and -g into ``out_dir`` (profiling only:
    callgrind then attributes instructions to .pyx/.pxd lines). Returns the module path."""
    import sysconfig
    root = Path(__file__).resolve().parent.parent
    eng = root / "src" / "_engine"
    out_dir.mkdir(parents=True, exist_ok=True)
    c = out_dir / "_apc.c"
    subprocess.run([sys.executable, "-m", "cython", "-3", "--line-directives", "--module-name",
                    "hrgfast._apc", "-I", str(eng), str(eng / "_apc.pyx"), "-o", str(c)],
                   check=True)
    so = out_dir / ("_apc" + sysconfig.get_config_var("EXT_SUFFIX"))
    cflags = os.environ.get("CFLAGS_EXTRA", "").split()
    subprocess.run(["gcc", "-shared", "-fPIC", "-O3", "-DNDEBUG", "-g", "-fopenmp", *cflags,
                    "-DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION",
                    "-isystem", sysconfig.get_paths()["include"], "-isystem", np.get_include(),
                    str(c), "-o", str(so)], check=True)
    return str(so)


def _load_module(path: str) -> None:
    import importlib.util
    spec = importlib.util.spec_from_file_location("hrgfast._apc", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.modules["hrgfast._apc"] = mod
    grouper._apc = mod


def run_callgrind(args) -> int:
    """Re-run this script under callgrind on a head of the input; report Ir/episode."""
    out = Path(args.cg_out)
    so = (args.module or (line_build(Path(args.line_build)) if args.line_build
                          else unstripped_module()))
    if so is None:
        print("no _apc module with symbols found (build tree missing?)", file=sys.stderr)
        return 2
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
           f"--toggle-collect={BLOCK_SYMBOL}", "--dump-instr=yes",
           sys.executable, __file__, "--input", str(args.input), "--cg-child",
           "--cg-episodes", str(args.cg_episodes), "--cg-module", so]
    if args.cache_sim:
        cmd[2:2] = ["--cache-sim=yes", "--branch-sim=yes"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode:
        sys.stderr.write(res.stderr)
        return res.returncode
    n = int(re.search(r"episodes=(\d+)", res.stdout).group(1))
    ann = subprocess.run(["callgrind_annotate", str(out)], capture_output=True, text=True).stdout
    m = re.search(r"^\s*([\d,]+).*PROGRAM TOTALS", ann, re.M)
    total = int(m.group(1).replace(",", ""))
    print(f"callgrind: {n:,} episodes, {total:,} instructions in _run_block, "
          f"{total / n:,.0f} instructions/episode  ({out})")
    if args.cache_sim:   # simulated: a rough guide to where the stalls are
        names = re.search(r"^Events shown:\s*(.*)$", ann, re.M).group(1).split()
        line = next(x for x in ann.splitlines() if x.rstrip().endswith("PROGRAM TOTALS"))
        vals = [int(v.replace(",", "")) for v in re.findall(r"([\d,]+) \(", line)]
        ev = dict(zip(names, vals, strict=False))
        print("per episode: " + ", ".join(f"{k} {ev[k] / n:.1f}" for k in
                                          ("Bc", "Bcm", "Dr", "D1mr", "DLmr") if k in ev)
              + "  (Bcm: mispredicted conditional branches)")
    if args.annotate:
        inc = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=yes",
                              "--show-percs=yes",
                              f"--include={Path(__file__).resolve().parent.parent / 'src/_engine'}",
                              str(out)], capture_output=True, text=True)
        print(inc.stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, default=Path("/tmp/k.csv"))
    ap.add_argument("--episodes", type=int, default=2_000_000, help="size if synthesised")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--cache-sim", action="store_true", help="callgrind cache/branch sim")
    ap.add_argument("--annotate", action="store_true")
    ap.add_argument("--cg-episodes", type=int, default=200_000)
    ap.add_argument("--line-build", metavar="DIR",
                    help="profile a -g build with Cython line directives made in DIR")
    ap.add_argument("--cg-out", default="/tmp/callgrind.kernel.out")
    ap.add_argument("--cg-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cg-module", help=argparse.SUPPRESS)
    ap.add_argument("--module", help="time this _apc extension file instead of the installed "
                                     "one (e.g. a --line-build output, for A/B comparisons)")
    ap.add_argument("--save-golden", type=Path)
    ap.add_argument("--check", type=Path)
    args = ap.parse_args(argv)

    if args.callgrind:
        return run_callgrind(args)
    if args.module:
        _load_module(args.module)
    design = load_design()
    enc, order, spells = load_encoded(args.input, design, args.episodes)
    if args.cg_child:
        if args.cg_module:
            _load_module(args.cg_module)
        sub, o, s = head(enc, order, spells, args.cg_episodes)
        grouper.run_kernel(sub, design, o, s, 1)
        print(f"episodes={sub.n}")
        return 0
    n = enc.n
    if args.save_golden or args.check:
        outs = {t: grouper.run_kernel(enc, design, order, spells, t) for t in (1, 2)}
        for k in outs[1]:
            if not np.array_equal(outs[1][k], outs[2][k]):
                print(f"MISMATCH between 1 and 2 threads in {k}")
                return 1
        if args.save_golden:
            np.savez(args.save_golden, **outs[1])
            print(f"saved {len(outs[1])} arrays to {args.save_golden}")
            return 0
        gold = np.load(args.check)
        bad = [k for k in gold.files if k not in outs[1]
               or outs[1][k].dtype != gold[k].dtype or not np.array_equal(outs[1][k], gold[k])]
        bad += [k for k in outs[1] if k not in gold.files]
        print("identical" if not bad else f"MISMATCH in {bad}")
        return 1 if bad else 0
    print(f"{n:,} episodes, {len(spells) - 1:,} spells; load {os.getloadavg()[0]:.2f}")
    for t in (int(x) for x in args.threads.split(",")):
        ts, cpu = time_kernel(enc, design, order, spells, t, args.repeats)
        med = statistics.median(ts)
        print(f"threads={t}: median {med * 1e3:7.1f} ms  min {min(ts) * 1e3:7.1f} ms  "
              f"{n / med / 1e6:6.2f}M episodes/s (best {n / min(ts) / 1e6:6.2f}M)  "
              f"cpu {statistics.median(cpu) * 1e3:7.1f} ms/run")
    print(f"load after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
