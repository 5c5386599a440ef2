#!/usr/bin/env bash
# Compile a scratch design made of the bundled design's base tables plus the given parts,
# so one part can be checked while other parts are still being written.
# usage: tools/check_design_part.sh SCRATCH_DIR PART [PART...]
#   PART is a path under data/open-2024-25 (e.g. hrgs/A.csv splits/A.csv diagnoses/I.csv)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=$here/data/open-2024-25
scratch=$1; shift
rm -rf "$scratch"; mkdir -p "$scratch/design"
cp "$src"/{design.toml,chapters.csv,subchapters.csv,icd10_codes.csv} "$scratch/design/"
# field values: one file or a folder of parts (field_values/APC.csv, NAC.csv, ...)
if [ -d "$src/field_values" ]; then cp -r "$src/field_values" "$scratch/design/"; else cp "$src/field_values.csv" "$scratch/design/"; fi
if [ -f "$src/opcs4_codes.csv" ]; then cp "$src/opcs4_codes.csv" "$scratch/design/"; else printf 'code\nA01\n' > "$scratch/design/opcs4_codes.csv"; fi
# the HRG lists and split rules are shared by every part: always include them
mkdir -p "$scratch/design/hrgs" "$scratch/design/splits"
cp "$src"/hrgs/*.csv "$scratch/design/hrgs/"
cp "$src"/splits/*.csv "$scratch/design/splits/" 2>/dev/null || true
for part in "$@"; do mkdir -p "$scratch/design/$(dirname "$part")"; cp "$src/$part" "$scratch/design/$part"; done
[ -e "$scratch/design/diagnoses.csv" ] || [ -d "$scratch/design/diagnoses" ] || printf 'code,root\n' > "$scratch/design/diagnoses.csv"
[ -e "$scratch/design/procedures.csv" ] || [ -d "$scratch/design/procedures" ] || printf 'code,hierarchy\n' > "$scratch/design/procedures.csv"
[ -e "$scratch/design/splits.csv" ] || [ -d "$scratch/design/splits" ] || printf 'hrg,when\n' > "$scratch/design/splits.csv"
"$here/.venv/bin/python" "$here/src/hrgfast/design/compiler.py" "$scratch/design" -o "$scratch/out"
echo "compiled: $(ls "$scratch/out")"
