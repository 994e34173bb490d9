# make run  : Odoo 18 on http://localhost:8069 with this addon and demo data
#             (PORT=8091 another port; WORKERS=2 the prefork server, 2 HTTP workers + 1 cron worker)
# make test : the whole test suite (pytest-odoo against a real PostgreSQL database)
# make test-odoo : the TransactionCase and HttpCase tests under Odoo's own runner (--test-enable)
# make lint : ruff and pylint-odoo
# make replica-check : the read-only methods run on a local streaming standby (scripts/replica_check.sh)
# ODOO_SRC  : an Odoo 18.0 source tree (default /opt/odoo-18.0)
SHELL := /bin/bash
export ODOO_SRC ?= /opt/odoo-18.0
PORT ?= 8069
export WORKERS ?= 0

.PHONY: setup run test test-odoo lint bench bench-decompose bench-xlsx docs-xlsx i18n replica-check readme-images \
	readme-screens

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh $(PORT)

test: setup
	@bash scripts/test.sh $(ARGS)

test-odoo: setup
	@bash scripts/test_odoo.sh

lint: setup
	@bash scripts/lint.sh

bench: setup
	@source scripts/env.sh && "$$PY" bench/bench_refresh.py $(ARGS)

i18n:
	@bash scripts/i18n.sh

bench-decompose: setup
	@source scripts/env.sh && "$$PY" bench/bench_decompose.py $(ARGS)

replica-check: setup
	@bash scripts/replica_check.sh

# make readme-images : screenshots of the evaluation pack (static/description/evaluation_pack_*.png)
#                      from a fresh demo database (README_DB, default cst_readme)
readme-images: setup
	@source scripts/env.sh && db="$${README_DB:-cst_readme}" && bash scripts/db.sh "$$db" \
	  && "$$PY" scripts/readme_images.py -c "$$ODOO_CONF" -d "$$db"
bench-xlsx: setup
	@source scripts/env.sh && "$$PY" bench/bench_xlsx.py $(ARGS)

docs-xlsx: setup
	@source scripts/env.sh && "$$PY" scripts/xlsx_readme_image.py

# make readme-screens : screenshots of the web client (static/description/dashboard.png, pipeline.png,
#                       plan_by_team.png, decompose_grid.png, dashboard_zh_CN.png) from a fresh demo
#                       database (README_DB, default cst_readme)
readme-screens: setup
	@source scripts/env.sh && db="$${README_DB:-cst_readme}" && bash scripts/db.sh "$$db" \
	  && "$$PY" scripts/readme_screens.py -c "$$ODOO_CONF" -d "$$db"
