#!/usr/bin/env bash
# Lint, format and type checks over the whole project: ruff check, ruff format --check, mypy.
# Run from anywhere as `bash scripts/check.sh` (uses .venv/bin); exits non-zero if any check
# fails but runs all three so the full list of what is left is visible.  The test suite runs the
# same script once per tool (tests/test_code_quality.py), so README command 2 enforces it.
#
# mypy cannot follow the editable install's package-dir mapping (wufei_gis.optimization is in
# optimization/, wufei_gis.ui in ui/), so it runs over build/mypy-src/wufei_gis: a directory of
# symlinks to the real files, laid out as the installed package.  Paths in its report are
# rewritten back to the source folders.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${WUFEI_BIN:-.venv/bin}   # the virtual environment's bin folder (the tests pass theirs)
only=${WUFEI_CHECK:-all}      # all | ruff-check | ruff-format | mypy
status=0

if [ "$only" = all ] || [ "$only" = ruff-check ]; then
    echo "== ruff check"
    "$bin/ruff" check . || status=1
fi

if [ "$only" = all ] || [ "$only" = ruff-format ]; then
    echo "== ruff format --check"
    "$bin/ruff" format --check . || status=1
fi

[ "$only" = all ] || [ "$only" = mypy ] || exit $status
echo "== mypy (strict: wufei_gis, wufei_gis.optimization; non-strict: wufei_gis.ui)"
shadow=build/mypy-src
rm -rf "$shadow" && mkdir -p "$shadow/wufei_gis"
for f in wufei_gis/*; do
    ln -s "$PWD/$f" "$shadow/wufei_gis/"
done
ln -s "$PWD/optimization" "$shadow/wufei_gis/optimization"
ln -s "$PWD/ui" "$shadow/wufei_gis/ui"
MYPYPATH="$shadow" "$bin/mypy" -p wufei_gis 2>&1 \
    | sed -e "s#^$shadow/wufei_gis/optimization/#optimization/#" \
          -e "s#^$shadow/wufei_gis/ui/#ui/#" \
          -e "s#^$shadow/##"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

exit $status
