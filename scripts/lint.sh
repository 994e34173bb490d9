#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$HERE"
"$VENV/bin/ruff" check .
# pylint-odoo on a copy one folder down, named after the addon
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$ADDON_COPY" "$tmp/crm_sales_target"
cd "$tmp"
git init -q . && "$VENV/bin/pylint" --rcfile="$HERE/.pylintrc" --disable=all --enable=odoolint --disable=manifest-required-author,missing-readme crm_sales_target
