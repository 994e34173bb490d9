#!/usr/bin/env bash
# Runs the TransactionCase and HttpCase tests the way Odoo's and OCA's runners do: the addon
# installed with --test-enable on a fresh copy of the database of Odoo's modules (the
# pure-Python tests and doctests run under `make test` only).
set -euo pipefail
source "$(dirname "$0")/env.sh"
db="${TEST_DB}_odoo"
port="${TEST_PORT:-8179}"
base_db() { psql -d postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'cst_base_%' ORDER BY oid DESC LIMIT 1"; }
# db.sh makes the database of Odoo's modules (cst_base_*) when there is none yet
[ -n "$(base_db)" ] || bash "$HERE/scripts/db.sh" "$db"
base=$(base_db)
dropdb --if-exists --force "$db"
createdb -T "$base" "$db"
store="$CST_HOME/data/filestore"
rm -rf "${store:?}/$db"
[ -d "$store/$base" ] && cp -r "$store/$base" "$store/$db"
log="$CST_WORK/test_odoo.log"
"$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$db" -i crm_sales_target --test-enable --stop-after-init \
  --http-interface=127.0.0.1 --http-port="$port" --log-level=test 2>&1 | tee "$log" | grep -E "(ERROR|FAIL|tests.result)" || true
grep -q "odoo.tests.result: 0 failed, 0 error(s)" "$log" || { echo "failures: see $log" >&2; exit 1; }
