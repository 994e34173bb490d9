#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERE"
"$VENV/bin/ruff" check .
# pylint-odoo on a copy one folder down, named after the addon; less the OCA-only
# conventions (author, README.rst) and the advice to merge inherits of one model, since
# each model family keeps one concern per file here (actuals, history, decomposition)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/crm_sales_target" && (cd "$HERE" && tar --exclude .git -cf - .) | (cd "$tmp/crm_sales_target" && tar -xf -)
cd "$tmp"
git init -q . && "$VENV/bin/pylint" --rcfile="$HERE/.pylintrc" --disable=all --enable=odoolint --disable=manifest-required-author,missing-readme,consider-merging-classes-inherited crm_sales_target
