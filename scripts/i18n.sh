#!/usr/bin/env bash
# i18n.sh: refreshes the addon's translation files.
#  1. builds a database with the addon installed (scripts/db.sh) and exports the addon's terms
#     to i18n/crm_sales_target.pot with odoo-bin --i18n-export;
#  2. merges that template into i18n/zh_CN.po and i18n/zh_TW.po with msgmerge: existing
#     translations are kept, new terms come in untranslated (no fuzzy guesses), and terms
#     gone from the code are dropped.
# It uses its own work folder and database (CST_WORK, I18N_DB) so that it can run next to
# `make test` or `make run`. Needs gettext (msgmerge, msgattrib, msgfmt).
set -euo pipefail
export CST_WORK="${CST_WORK:-${TMPDIR:-/tmp}/cst_work_i18n}"
I18N_DB="${I18N_DB:-cst_i18n}"
LANGS="${I18N_LANGS:-zh_CN zh_TW}"
source "$(dirname "$0")/env.sh"

for tool in msgmerge msgattrib msgfmt; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install gettext)" >&2; exit 2; }
done

bash "$HERE/scripts/setup.sh"
TEST_DB="$I18N_DB" bash "$HERE/scripts/db.sh" "$I18N_DB"

i18n="$HERE/i18n"
pot="$i18n/crm_sales_target.pot"
mkdir -p "$i18n"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$I18N_DB" --log-level=warn \
  --i18n-export="$tmp/crm_sales_target.pot" --modules=crm_sales_target --stop-after-init
[ -s "$tmp/crm_sales_target.pot" ] || { echo "the export produced no template" >&2; exit 1; }

# Replace a file only when more than its timestamps changed, so that a run with nothing new
# leaves the tree (and the template databases keyed on it) untouched.
same_but_dates() {
  [ -f "$2" ] && cmp -s <(grep -v -E '^"(POT-Creation-Date|PO-Revision-Date): ' "$1") \
                        <(grep -v -E '^"(POT-Creation-Date|PO-Revision-Date): ' "$2")
}
same_but_dates "$tmp/crm_sales_target.pot" "$pot" || cp "$tmp/crm_sales_target.pot" "$pot"

for lang in $LANGS; do
  po="$i18n/$lang.po"
  if [ ! -f "$po" ]; then
    # a new language: the template with the language's headers
    sed -e "s/^\"Language-Team: \\\\n\"$/\"Language-Team: \\\\n\"\n\"Language: $lang\\\\n\"/" \
        -e 's/^"Plural-Forms: \\n"$/"Plural-Forms: nplurals=1; plural=0;\\n"/' \
        -e 's/^"Content-Transfer-Encoding: \\n"$/"Content-Transfer-Encoding: 8bit\\n"/' \
        "$pot" > "$po"
    echo "created $po (check its Plural-Forms header if $lang is not Chinese)"
  fi
  # references (#: model:..., code:...) come from the template as they are: Odoo reads them
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.merged" "$po" "$pot"
  msgattrib --no-obsolete -o "$tmp/$lang.po" "$tmp/$lang.merged"
  same_but_dates "$tmp/$lang.po" "$po" || cp "$tmp/$lang.po" "$po"
  msgfmt -c -o /dev/null "$po"
  printf '%s: ' "$lang"; msgfmt --statistics -o /dev/null "$po"
done
