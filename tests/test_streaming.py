"""Streaming: block sizes, spells across block boundaries, unsorted input and thread
counts must not change a single output byte."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import MINI

import hrgfast
from hrgfast import synth
from hrgfast.apc.stream import TextGrouper
from hrgfast.apc.textout import SUFFIXES, ApcTextWriter

N = 3000


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "in.csv"
    synth.write_csv(path, N, seed=5, design=MINI, invalid_rate=0.05)
    return path


MODES: list[str] = []


def run(path: Path, out: Path, block: int = 1 << 26, threads: int = 1,
        header: bool = True) -> dict[str, bytes]:
    design = hrgfast.load_design(MINI)
    tg = TextGrouper(path, design, None, header, threads, block_bytes=block)
    writer = ApcTextWriter(out, tg.layout.header, design, True, num_threads=threads)
    tg.run(writer)
    writer.close({})
    MODES.append(tg.mode)
    return {s: Path(f"{out}{s}.csv").read_bytes() for s in SUFFIXES if s != "_summary"}


@pytest.fixture(scope="module")
def whole(data, tmp_path_factory):
    return run(data, tmp_path_factory.mktemp("whole") / "o")


def test_every_row_once(whole, data):
    lines = data.read_bytes().splitlines()[1:]
    fce = whole["_FCE"].splitlines()[1:]
    assert len(fce) == len(lines) == N
    ncol = len(lines[0].split(b","))
    assert sorted(r.split(b",")[:ncol] for r in fce) == sorted(r.split(b",") for r in lines)


@pytest.mark.parametrize("block", [100, 777, 4096, 65536])
def test_block_sizes_give_identical_outputs(whole, data, tmp_path, block):
    # 100 bytes is shorter than one line: blocks grow until they hold a whole spell
    assert run(data, tmp_path / "o", block=block) == whole


def test_two_threads_identical(whole, data, tmp_path):
    assert run(data, tmp_path / "o", block=4096, threads=2) == whole


def test_shuffled_input_is_sorted_back(whole, data, tmp_path):
    lines = data.read_bytes().splitlines(keepends=True)
    body = lines[1:]
    random.Random(11).shuffle(body)
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_bytes(lines[0] + b"".join(body))
    out = run(shuffled, tmp_path / "o", block=16384)
    assert MODES[-1] == "partitioned"
    assert out == whole


def test_grouped_but_episodes_reversed(whole, data, tmp_path):
    """Spells contiguous and in key order, episodes inside a spell in reverse order."""
    lines = data.read_bytes().splitlines(keepends=True)
    spells: dict[bytes, list[bytes]] = {}
    for ln in lines[1:]:
        key = b",".join(ln.split(b",")[:2])
        spells.setdefault(key, []).append(ln)
    reordered = tmp_path / "grouped.csv"
    reordered.write_bytes(lines[0] + b"".join(ln for v in spells.values() for ln in v[::-1]))
    assert run(reordered, tmp_path / "o", block=2048) == whole
    assert MODES[-1] == "sorted"


def test_spell_split_across_blocks_equals_whole_spell(tmp_path):
    """A long spell forced across several blocks groups exactly as in one block."""
    from conftest import episode
    recs = [episode(["J22X", "E119"], ["U051"] if n % 3 else [], PROVSPNO="S1", EPIORDER=n,
                    DISDEST=98, DISMETH=8) for n in range(1, 40)]
    recs.append(episode(["I210"], PROVSPNO="S2"))
    fields = list(recs[0])
    path = tmp_path / "long.csv"
    path.write_text(",".join(fields) + "\n"
                    + "".join(",".join(r[f] for f in fields) + "\n" for r in recs))
    assert run(path, tmp_path / "a", block=200) == run(path, tmp_path / "b")
