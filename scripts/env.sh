# Shared settings for the scripts; sourced, not run.
# Everything that is not this addon lives outside the clone, so that a fresh clone on the
# same machine reuses the Python environment and the template databases.
ODOO_SRC="${ODOO_SRC:-/opt/odoo-18.0}"
CST_HOME="${CST_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/crm_sales_target}"
VENV="$CST_HOME/venv"
PY="$VENV/bin/python"
# CST_WORK holds the copy of the addon and the Odoo configuration; give each concurrent
# run its own (with its own TEST_DB) to test two trees side by side.
CST_WORK="${CST_WORK:-$CST_HOME/work}"
ADDON_COPY="$CST_WORK/addons/crm_sales_target"
ODOO_CONF="$CST_WORK/odoo.conf"
RUN_DB="${RUN_DB:-crm_sales_target_demo}"
TEST_DB="${TEST_DB:-crm_sales_target_test}"
BASE_MODULES="crm,sale_management,sale_margin"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CST_WORK ODOO_SRC CST_HOME VENV PY ADDON_COPY ODOO_CONF RUN_DB TEST_DB BASE_MODULES HERE
