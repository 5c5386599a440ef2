"""The README's two commands are what CI runs."""

from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_commands():
    readme = ROOT.joinpath("README.md").read_text()
    ci = [ln for ln in ROOT.joinpath(".ci", "run").read_text().splitlines()
          if ln and not ln.startswith(("#", "set ", "cd "))]
    assert len(ci) == 2
    for line in ci:
        assert f"```bash\n{line}\n```" in readme, line
