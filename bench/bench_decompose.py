#!/usr/bin/env python3
"""Benchmark of a large decomposition: one yearly target into months x salespeople x
product categories (12 x 200 x 50 = 120,000 sub-targets).

Run with ``make bench-decompose`` after ``make bench ARGS="--keep"`` (it reuses the
benchmark database, ``cst_bench`` by default, with its 200 salespeople, 50 product
categories and three years of orders). It prints:

a) the computation of every sub-target in memory (the wizard's ``_compute_lines``, with the
   history of each salesperson and each month read in bulk);
b) storing them the way the wizard does above its threshold: a background job creating them
   in batches;
c) a plain batched ORM ``create`` of the same rows, for comparison.

Everything it creates is rolled back at the end.
"""

import argparse
import os
import sys
import time
from datetime import date

from bench_refresh import best_of, odoo_conf


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="cst_bench", help="the benchmark database (cst_bench)")
    parser.add_argument("--users", type=int, default=200, help="salespeople (200)")
    parser.add_argument("--categs", type=int, default=50, help="product categories (50)")
    parser.add_argument("--batch", type=int, default=5000, help="rows per batch (5,000)")
    return parser.parse_args()


def main():
    args = parse_args()
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    import odoo

    odoo.tools.config.parse_config(["-c", odoo_conf(), "-d", args.db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        users = env["res.users"].search([("login", "=like", "bench.rep%")], limit=args.users, order="id")
        categs = env["product.category"].search([("name", "like", "Bench %")], limit=args.categs, order="id")
        if len(users) < args.users or len(categs) < args.categs:
            sys.exit(f"{args.db} has {len(users)} salespeople and {len(categs)} categories: "
                     "run `make bench ARGS=\"--keep\"` first")
        plan = env["sales.target.plan"].create({
            "name": "Bench decomposition", "horizon": "mid",
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
        target = env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": env.ref("crm_sales_target.kpi_ordered_revenue").id,
            "date_from": plan.date_from, "date_to": plan.date_to, "target_value": 120_000_000.0})
        wizard = env["sales.target.decompose"].with_context(active_model="sales.target",
                                                            active_ids=target.ids).create({
            "dimension_1": "period", "method_1": "seasonality",
            "dimension_2": "user", "method_2": "history", "user_ids": [odoo.Command.set(users.ids)],
            "dimension_3": "product_categ", "method_3": "even", "categ_ids": [odoo.Command.set(categs.ids)],
        })
        n = 12 * len(users) * len(categs)
        print(f"Decomposing one yearly target into 12 months x {len(users)} salespeople x {len(categs)} "
              f"categories = {n:,} sub-targets", flush=True)

        a, a_all, lines = best_of(3, wizard._compute_lines)
        total = round(sum(line["value"] for line in lines), 2)
        print(f"  a) computed in memory: {', '.join(f'{t:.2f}' for t in a_all)} s "
              f"({len(lines):,} lines, total {total:,.2f})", flush=True)
        Line = env["sales.target.decompose.line"]
        vals_list = [Line._vals_to_child(vals) for vals in lines]

        cr.execute("SAVEPOINT bench_job")
        job = env["sales.target.decomposition"].create({"plan_id": plan.id,
                                                        "parent_ids": [odoo.Command.set(target.ids)]})
        start = time.perf_counter()
        job._set_payload(vals_list)
        job._run(batch_size=args.batch)
        b = time.perf_counter() - start
        assert job.state == "done", job.error
        print(f"  b) background job, batches of {args.batch:,}: {b:.1f} s ({n / b:,.0f} records/s)", flush=True)
        cr.execute("ROLLBACK TO SAVEPOINT bench_job")
        env.invalidate_all()

        start = time.perf_counter()
        for i in range(0, len(vals_list), args.batch):
            env["sales.target"].create(vals_list[i:i + args.batch])
            env.flush_all()
        c = time.perf_counter() - start
        print(f"  c) plain ORM create, batches of {args.batch:,}: {c:.1f} s ({n / c:,.0f} records/s)", flush=True)
        print()
        print(f"{'measure':<52} {'seconds':>9}")
        print("-" * 64)
        for label, secs in (("a) computation in memory", a), ("b) background job storing them", b),
                            ("c) plain batched ORM create", c)):
            print(f"{label:<52} {secs:>9.2f}")
        print("-" * 64)
        print(f"{'b / c (job vs plain create)':<52} {b / c:>9.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
