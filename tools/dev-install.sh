#!/usr/bin/env bash
# Developer install into .venv: editable, rebuilt on import, no build isolation.
# DESIGNS=path1;path2 bundles only those design folders (default: data/*).
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
args=(--no-build-isolation -e . -Ceditable.rebuild=false)
args+=("-Ccmake.define.HRGFAST_DESIGN_DIRS=${DESIGNS:-}")   # empty: every data/* design
args+=("-Ccmake.define.CMAKE_C_FLAGS=${CFLAGS_EXTRA:-}")    # reset any profiling flags
pip install -q "${args[@]}" 2>&1 | grep -v "WARNING: Location" || true
