#!/usr/bin/env bash
# db.sh NAME: (re)creates database NAME with crm, sale_management and this addon installed
# with demo data. Two template databases keep this fast: one with Odoo's modules (made once
# per Odoo tree), one with this addon on top (made again only when the addon's files change).
set -euo pipefail
source "$(dirname "$0")/env.sh"
target="$1"
odoo() { "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" --log-level=warn --stop-after-init "$@"; }
exists() { [ "$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

# one template builder at a time
exec 9>"$CST_HOME/.templates.lock"
flock 9
base="cst_base_$(echo "$(realpath "$ODOO_SRC")|$BASE_MODULES|v1" | sha1sum | cut -c1-10)"
if ! exists "$base"; then
  echo "Creating $base (Odoo modules with demo data, about two minutes) ..."
  odoo -d "${base}_tmp" -i "$BASE_MODULES" --without-demo= || { dropdb --if-exists "${base}_tmp"; exit 1; }
  psql -d postgres -qc "ALTER DATABASE \"${base}_tmp\" RENAME TO \"$base\""
  [ -d "$CST_HOME/data/filestore/${base}_tmp" ] && mv "$CST_HOME/data/filestore/${base}_tmp" "$CST_HOME/data/filestore/$base"
fi

# The addon's files that shape the database (not its tests, benchmark or docs).
addon_hash=$(cd "$ADDON_COPY" && find . -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.po' -o -name '*.pot' -o -name '*.js' -o -name '*.scss' \) \
  -not -path './tests/*' -not -path './bench/*' -not -path './scripts/*' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-10)
# the demo data is dated relative to today: a template from another day is stale
mod="cst_mod_${addon_hash}_$(echo "$base" | cut -c10-)_$(date +%Y%m%d)"
if ! exists "$mod"; then
  echo "Installing crm_sales_target in a template database ($mod) ..."
  dropdb --if-exists "${mod}_tmp"
  createdb -T "$base" "${mod}_tmp"
  rm -rf "$CST_HOME/data/filestore/${mod}_tmp"
  [ -d "$CST_HOME/data/filestore/$base" ] && cp -r "$CST_HOME/data/filestore/$base" "$CST_HOME/data/filestore/${mod}_tmp"
  odoo -d "${mod}_tmp" -i crm_sales_target || { dropdb --if-exists "${mod}_tmp"; exit 1; }
  # Odoo installs a module whose demo data failed without it, and still exits 0
  if [ "$(psql -d "${mod}_tmp" -Atc "SELECT demo FROM ir_module_module WHERE name = 'crm_sales_target' AND state = 'installed'")" != t ]; then
    echo "crm_sales_target or its demo data did not install; see the log above" >&2
    dropdb --if-exists "${mod}_tmp"; exit 1
  fi
  psql -d postgres -qc "ALTER DATABASE \"${mod}_tmp\" RENAME TO \"$mod\""
  [ -d "$CST_HOME/data/filestore/${mod}_tmp" ] && mv "$CST_HOME/data/filestore/${mod}_tmp" "$CST_HOME/data/filestore/$mod"
  # keep the newest few templates only (several runs may be copying from recent ones)
  for old in $(psql -d postgres -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'cst_mod_%' AND datname <> '$mod' ORDER BY oid DESC OFFSET 8"); do
    dropdb --if-exists "$old" || true
  done
fi
flock -u 9
dropdb --if-exists --force "$target"
createdb -T "$mod" "$target"
# the attachments (asset bundles among them) live in the filestore, next to the database
store="$CST_HOME/data/filestore"
rm -rf "${store:?}/$target"
[ -d "$store/$mod" ] && cp -r "$store/$mod" "$store/$target"
true
