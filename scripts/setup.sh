#!/usr/bin/env bash
# Prepares what the addon needs to run and be tested: an Odoo 18.0 tree, a Python
# environment with Odoo's requirements, PostgreSQL with a role for the current user,
# and a copy of this addon in a folder named crm_sales_target.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if [ ! -f "$ODOO_SRC/odoo-bin" ] || [ ! -d "$ODOO_SRC/odoo/addons/base" ]; then
  cat >&2 <<MSG
No Odoo 18.0 tree found at ODOO_SRC=$ODOO_SRC.
Provide one (an unmodified Odoo 18.0 Community source tree holding odoo-bin), e.g.:
  git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git /opt/odoo-18.0
or point ODOO_SRC at an existing tree:  make test ODOO_SRC=/path/to/odoo
MSG
  exit 2
fi

mkdir -p "$CST_HOME"
# Python environment, rebuilt only when the requirement lists change.
stamp="$CST_HOME/.requirements.sha"
want=$(cat "$HERE/scripts/requirements-odoo.txt" "$HERE/scripts/requirements-dev.txt" | sha1sum | cut -c1-40)-$(realpath "$ODOO_SRC")
if [ ! -x "$PY" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Setting up the Python environment in $VENV ..."
  log="$CST_HOME/pip.log"
  {
    [ -x "$PY" ] || python3 -m venv "$VENV"
    "$PY" -m pip install -q -U pip wheel setuptools
    "$PY" -m pip install -q -r "$HERE/scripts/requirements-odoo.txt"
    "$PY" -m pip install -q -r "$HERE/scripts/requirements-dev.txt"
    "$PY" -m pip install -q --no-build-isolation --no-deps -e "$ODOO_SRC"
  } >"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "pip failed; see $log" >&2; exit 1; }
  echo "$want" > "$stamp"
fi

# System packages for PDF reports and browser tours (Debian).
if ! command -v wkhtmltopdf >/dev/null || ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wkhtmltopdf chromium >/dev/null
  else
    echo "warning: wkhtmltopdf and chromium are missing (PDF reports and tours need them)" >&2
  fi
fi

# PostgreSQL, started if stopped, with a superuser role for the current user.
if ! pg_isready -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    pg_ctlcluster "${ver:-15}" main start || true
    for _ in $(seq 1 20); do pg_isready -q && break; sleep 0.5; done
  fi
fi
pg_isready -q || { echo "PostgreSQL is not running and could not be started" >&2; exit 2; }
me=$(id -un)
if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    su postgres -c "psql -qc \"CREATE ROLE \\\"$me\\\" SUPERUSER LOGIN\"" >/dev/null
  else
    sudo -u postgres psql -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" >/dev/null
  fi
fi

# The addon under its technical name (pytest-odoo names addons after their real folder).
rm -rf "$ADDON_COPY" && mkdir -p "$ADDON_COPY"
(cd "$HERE" && tar --exclude .git --exclude __pycache__ --exclude .pytest_cache -cf - .) | (cd "$ADDON_COPY" && tar -xf -)

cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$(dirname "$ADDON_COPY")
data_dir = $CST_HOME/data
db_user = $me
admin_passwd = admin
without_demo = False
CONF
