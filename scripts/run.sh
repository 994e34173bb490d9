#!/usr/bin/env bash
# Starts Odoo with the addon and its demo data in a database of its own.
set -euo pipefail
source "$(dirname "$0")/env.sh"
port="${1:-8069}"
# WORKERS=N (N > 0) serves with Odoo's prefork server: N HTTP workers, one cron worker and the
# websocket (gevent) server on port+3, as in production; the default is the threaded server
workers="${WORKERS:-0}"
server_args=()
if [ "$workers" -gt 0 ]; then
  server_args=(--workers "$workers" --max-cron-threads 1 --gevent-port "$((port + 3))")
fi
if [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$RUN_DB'")" != 1 ] || [ "${FRESH:-0}" = 1 ]; then
  bash "$HERE/scripts/db.sh" "$RUN_DB"
else
  echo "Updating crm_sales_target in $RUN_DB (FRESH=1 to start over) ..."
  "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$RUN_DB" -u crm_sales_target --stop-after-init --log-level=warn
fi
cat <<MSG

  Odoo 18 with crm_sales_target: http://localhost:$port/odoo/crm   (database $RUN_DB)
  Server: $([ "$workers" -gt 0 ] && echo "prefork, $workers HTTP workers and 1 cron worker" || echo "threaded")
  Logins (user / password):
    admin / admin            sales manager (all targets)
    demo / demo              salesperson (own and team targets)
    east.leader / demo       team leader of East China
    east.rep1 / demo         salesperson in East China
  Stop with Ctrl+C.

MSG
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$RUN_DB" --db-filter="^$RUN_DB\$" \
  --http-interface=127.0.0.1 --http-port="$port" --log-level=info ${server_args[@]+"${server_args[@]}"}
