"""The bundled example groups as its notes say: only the deliberately invalid spells fail."""

import csv
from pathlib import Path

from hrgfast.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_example_file(tmp_path):
    assert main(["group", "-i", str(EXAMPLES / "apc_example.csv"), "-d",
                 str(EXAMPLES / "apc_example.rdf"), "-h", "-o", str(tmp_path / "apc"),
                 "--quiet"]) == 0
    with open(tmp_path / "apc_FCE.csv", newline="") as fh:
        fce = list(csv.DictReader(fh))
    assert len(fce) == 36
    bad = {r["PROVSPNO"] for r in fce if r["SpellHRG"] == "UZ01Z"}
    assert bad == {r["PROVSPNO"] for r in fce if r["note"].startswith("invalid")}
    assert {r["FCE_HRG"][:4] for r in fce if r["note"] == "elective total hip replacement"} \
        == {"HN12"}
    assert any(r["UnbundledHRGs"] == "VC43Z*10" for r in fce)
