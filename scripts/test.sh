#!/usr/bin/env bash
# Runs the suite: doctests of tools/ and pytest-odoo on a fresh copy of the template database.
set -euo pipefail
source "$(dirname "$0")/env.sh"
bash "$HERE/scripts/db.sh" "$TEST_DB"
cd "$ADDON_COPY"
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(tools tests)
exec "$PY" -m pytest -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-http \
  --doctest-modules "${paths[@]}"
