#!/usr/bin/env bash
# replica_check.sh: shows that the addon's read-only methods (@api.readonly) run on a PostgreSQL
# streaming replica when Odoo is given one (--db_replica_host / --db_replica_port).
#
#  1. makes a demo database (scripts/db.sh) on the primary cluster;
#  2. makes a streaming standby of the whole cluster with `pg_basebackup -R` in a temporary
#     folder and starts it on another port (REPLICA_PORT, default 5439), its socket in that
#     folder, run as the cluster's OS user (postgres) when this script runs as root;
#  3. starts Odoo on the primary with the standby as its replica (HTTP on ODOO_PORT, default
#     8095, no cron thread);
#  4. logs in as the demo salesperson east.rep1 over JSON-RPC and calls
#     sales.target.get_pipeline_panel (the panel above the CRM pipeline);
#  5. prints the scans of the sales_target table on the standby and on the primary before and
#     after the call: the standby's grow, the primary's do not. Exits 1 if the standby's did not.
# Everything it started is stopped on exit (Odoo, the standby, its folder, the database unless
# KEEP_DB=1). Needs PostgreSQL's server binaries (pg_basebackup, pg_ctl) of the primary's version.
set -euo pipefail
source "$(dirname "$0")/env.sh"
REPLICA_PORT="${REPLICA_PORT:-5439}"
ODOO_PORT="${ODOO_PORT:-8095}"
DB="${REPLICA_DB:-cst_replica_check}"
PRIMARY_PORT="$(psql -d postgres -Atc 'SHOW port')"
PRIMARY_SOCKET="$(psql -d postgres -Atc 'SHOW unix_socket_directories' | cut -d, -f1)"
PG_VERSION="$(psql -d postgres -Atc 'SHOW server_version_num' | cut -c1-2)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/$PG_VERSION/bin}"
[ -x "$PG_BIN/pg_ctl" ] || { echo "pg_ctl not found in $PG_BIN (set PG_BIN)" >&2; exit 2; }
# the cluster's files belong to its OS user: the standby runs as that user
PG_OS_USER="$(stat -c %U "$(psql -d postgres -Atc 'SHOW data_directory')" 2>/dev/null || echo postgres)"
as_pg() { if [ "$(id -un)" = "$PG_OS_USER" ]; then "$@"; else runuser -u "$PG_OS_USER" -- "$@"; fi; }

work="$(mktemp -d "${TMPDIR:-/tmp}/cst_replica.XXXXXX")"
chmod 755 "$work"
chown "$PG_OS_USER" "$work" 2>/dev/null || true
standby="$work/data"
odoo_pid=""
cleanup() {
  set +e
  [ -n "$odoo_pid" ] && kill "$odoo_pid" 2>/dev/null && wait "$odoo_pid" 2>/dev/null
  [ -f "$standby/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$standby" -m fast -w stop >/dev/null
  rm -rf "$work"
  [ "${KEEP_DB:-0}" = 1 ] || dropdb --if-exists --force "$DB" 2>/dev/null
}
trap cleanup EXIT

echo "== 1. demo database $DB"
bash "$HERE/scripts/setup.sh" >/dev/null
bash "$HERE/scripts/db.sh" "$DB"

echo "== 2. streaming standby of the cluster (port $PRIMARY_PORT) on port $REPLICA_PORT in $work"
as_pg "$PG_BIN/pg_basebackup" -h "$PRIMARY_SOCKET" -p "$PRIMARY_PORT" -D "$standby" -R -X stream -c fast
# a hot standby needs at least the primary's limits; its own socket, no TCP
{
  for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
                 max_locks_per_transaction; do
    echo "$setting = $(psql -d postgres -Atc "SHOW $setting")"
  done
  echo "port = $REPLICA_PORT"
  echo "listen_addresses = ''"
  echo "unix_socket_directories = '$work'"
  echo "hot_standby = on"
  echo "shared_buffers = 128MB"
  echo "logging_collector = off"
} | as_pg tee "$standby/postgresql.conf" >/dev/null
echo "local all all peer" | as_pg tee "$standby/pg_hba.conf" >/dev/null
as_pg touch "$standby/pg_ident.conf"
as_pg "$PG_BIN/pg_ctl" -D "$standby" -l "$work/standby.log" -w -t 120 start >/dev/null
rpsql() { psql -h "$work" -p "$REPLICA_PORT" "$@"; }
echo "   in recovery (a standby): $(rpsql -d postgres -Atc 'SELECT pg_is_in_recovery()')"
echo "   streaming from the primary: $(psql -d postgres -Atc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") sender(s)"

echo "== 3. Odoo on the primary, the standby as its replica (http://127.0.0.1:$ODOO_PORT)"
"$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --http-interface=127.0.0.1 \
  --http-port="$ODOO_PORT" --max-cron-threads=0 --db_replica_host="$work" --db_replica_port="$REPLICA_PORT" \
  --log-level=warn >"$work/odoo.log" 2>&1 &
odoo_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$ODOO_PORT/web/health" >/dev/null 2>&1 && break
  kill -0 "$odoo_pid" 2>/dev/null || { cat "$work/odoo.log" >&2; exit 1; }
  sleep 1
done

scans() {  # seq + idx scans of sales_target, and read-only transactions, in $DB on a server
  "$@" -d "$DB" -Atc "SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables
                      WHERE relname = 'sales_target'"
}
# stats of the backends are flushed when they go idle (within about 10 s)
settle() { sleep 11; }
settle
before_replica=$(scans rpsql); before_primary=$(scans psql)

echo "== 4. east.rep1 opens the pipeline panel over JSON-RPC"
"$PY" - "$ODOO_PORT" "$DB" <<'PY'
import json, sys, urllib.request, http.cookiejar
port, db = sys.argv[1:3]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
def rpc(path, params):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(
        {"jsonrpc": "2.0", "method": "call", "params": params}).encode(), {"Content-Type": "application/json"})
    answer = json.load(opener.open(req))
    if answer.get("error"):
        sys.exit(f"{path}: {answer['error']['data']['message']}")
    return answer["result"]
user = rpc("/web/session/authenticate", {"db": db, "login": "east.rep1", "password": "demo"})
print(f"   logged in as {user['name']} (uid {user['uid']})")
for _ in range(3):
    panel = rpc("/web/dataset/call_kw/sales.target/get_pipeline_panel",
                {"model": "sales.target", "method": "get_pipeline_panel", "args": [], "kwargs": {}})
for row in panel["targets"]:
    print(f"   {row['scope']:4} {row['name']}: {row['actual_value']:,.0f} of {row['target_value']:,.0f} "
          f"({row['attainment']:.0f} %), gap {row['gap_value']:,.0f}, {row['status_label']}")
print(f"   {len(panel['targets'])} target(s)")
PY
settle
after_replica=$(scans rpsql); after_primary=$(scans psql)

echo "== 5. scans of sales_target in $DB (pg_stat_user_tables, seq + idx)"
printf "   %-8s %8s %8s %8s\n" server before after delta
printf "   %-8s %8s %8s %8s\n" standby "$before_replica" "$after_replica" "$((after_replica - before_replica))"
printf "   %-8s %8s %8s %8s\n" primary "$before_primary" "$after_primary" "$((after_primary - before_primary))"
if [ "$((after_replica - before_replica))" -gt 0 ]; then
  echo "OK: the panel's reads went to the standby."
else
  echo "FAILED: the standby saw no read of sales_target; Odoo's log: $work/odoo.log" >&2
  tail -20 "$work/odoo.log" >&2
  exit 1
fi
