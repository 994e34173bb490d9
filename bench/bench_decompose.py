#!/usr/bin/env python3
"""Benchmark of a large decomposition: one yearly target into months x salespeople x
product categories (12 x 200 x 50 = 120,000 sub-targets).

Run with ``make bench-decompose``. It uses the benchmark database (``--db``, ``cst_bench`` by
default, as kept by ``make bench ARGS="--keep"``), or creates it when missing (the addon's
template database, then the salespeople, categories and ``--lines`` order lines of
``bench_data.generate``; dropped at the end unless ``--keep``). It prints:

a) the computation of every sub-target in memory (the wizard's ``_compute_lines``, with the
   history of each salesperson and each month read in bulk), best of three;
b) storing them the way the wizard does above its threshold: the background job storing
   ``sales.target`` records in batches (``_create_bulk``: stored figures, parent path, audit
   ledger, access rules and constraints included), in targets per second;
c) the baseline: a plain batched ORM ``create`` of the same rows, with the same column
   values, in a model that has the same columns (same types, same indexes) and no computes,
   no constraints and no parent path: a manual model (``x_cst_bench_target``) made for the
   run, as Odoo Studio makes them;
d) the floor: one ``INSERT ... SELECT FROM jsonb_populate_recordset`` per batch, straight
   into ``sales_target``.

The ratios b / c and b / d say what storing the addon's sub-targets, with their figures
and checks, costs against a plain create and against the bare INSERT. Everything it creates
is rolled back at the end (``--profile`` prints a cProfile of one batch of b).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench_refresh import best_of, odoo_conf

HERE = Path(__file__).resolve().parent.parent
GOAL_COMPUTE, GOAL_RATE = 1.0, 2000
BENCH_MODEL = "x_cst_bench_target"
#: columns every model has; the baseline model gets its own
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="cst_bench", help="the benchmark database (cst_bench)")
    parser.add_argument("--lines", type=int, default=200_000,
                        help="order lines when the database is created here (200,000)")
    parser.add_argument("--keep", action="store_true", help="keep a database created here")
    parser.add_argument("--users", type=int, default=200, help="salespeople (200)")
    parser.add_argument("--categs", type=int, default=50, help="product categories (50)")
    parser.add_argument("--batch", type=int, default=5000, help="rows per batch (5,000)")
    parser.add_argument("--runs", type=int, default=1, help="runs of b), c) and d); the best counts (1)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one batch of b)")
    return parser.parse_args()


def db_exists(db):
    out = subprocess.run(["psql", "-X", "-d", "postgres", "-Atc",
                          f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip() == "1"


def create_db(odoo, args):
    from bench_data import generate

    from odoo.tools import SQL
    print(f"Creating {args.db}: the addon's template database, then {args.lines:,} order lines", flush=True)
    subprocess.run(["bash", str(HERE / "scripts" / "db.sh"), args.db], check=True)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        generate(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args.lines, SQL)


def stored_columns(Target):
    return [name for name, field in Target._fields.items()
            if field.store and field.column_type and name not in MAGIC]


def baseline_model(env, Target, columns):
    """A manual model with the columns of ``sales.target`` (same types and indexes), no
    computes, no constraints."""
    from odoo import Command
    field_cmds = []
    for name in columns:
        field = Target._fields[name]
        vals = {"name": f"x_{name}", "field_description": field.string, "ttype": field.type,
                "index": bool(field.index)}
        if field.type == "many2one":
            # the parent stays a sales.target: the rows keep their values, ids included
            vals.update(relation=field.comodel_name, on_delete="set null")
        elif field.type == "selection":
            vals["selection_ids"] = [Command.create({"value": key, "name": label, "sequence": i})
                                     for i, (key, label) in enumerate(field._description_selection(env))]
        elif field.type == "monetary":
            vals["currency_field"] = "x_currency_id"
        field_cmds.append(vals)
    # the currency first: the monetary fields need it
    field_cmds.sort(key=lambda vals: vals["name"] != "x_currency_id")
    env["ir.model"].create({"name": "CST bench target", "model": BENCH_MODEL,
                            "field_id": [Command.create(vals) for vals in field_cmds]})
    return env[BENCH_MODEL]


def main():
    args = parse_args()
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    import odoo
    from odoo import Command
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", odoo_conf(), "-d", args.db, "--log-level=warn"])
    created_db = not db_exists(args.db)
    if created_db:
        create_db(odoo, args)
    # the rows earlier runs rolled back leave sales_target bloated, with statistics of a few
    # rows over many pages: PostgreSQL would then plan the parent path updates as scans
    subprocess.run(["psql", "-X", "-q", "-d", args.db, "-c", "VACUUM FULL ANALYZE sales_target"], check=True)
    try:
        registry = odoo.modules.registry.Registry(args.db)
        with registry.cursor() as cr:
            report(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args, Command, SQL)
            cr.rollback()
    finally:
        if created_db and not args.keep:
            odoo.sql_db.close_db(args.db)
            subprocess.run(["dropdb", "--if-exists", "--force", args.db], check=False)
            print(f"Dropped {args.db} (--keep to keep it)")


def report(env, args, Command, SQL):
    cr = env.cr
    users = env["res.users"].search([("login", "=like", "bench.rep%")], limit=args.users, order="id")
    categs = env["product.category"].search([("name", "like", "Bench %")], limit=args.categs, order="id")
    if len(users) < args.users or len(categs) < args.categs:
        sys.exit(f"{args.db} has {len(users)} salespeople and {len(categs)} categories: "
                 "drop it, or give another --db")
    # committed (and deleted at the end), so that the job runs in a transaction of its own as
    # under the cron: a job inside a savepoint of the transaction that created its parent
    # target makes PostgreSQL's foreign key locks on that row several times slower
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
    plan = env["sales.target.plan"].with_context(**quiet).create({
        "name": "Bench decomposition", "horizon": "mid",
        "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)})
    target = env["sales.target"].create({
        "plan_id": plan.id, "kpi_id": env.ref("crm_sales_target.kpi_ordered_revenue").id,
        "date_from": plan.date_from, "date_to": plan.date_to, "target_value": 120_000_000.0})
    wizard = env["sales.target.decompose"].with_context(active_model="sales.target",
                                                        active_ids=target.ids).create({
        "dimension_1": "period", "method_1": "seasonality",
        "dimension_2": "user", "method_2": "history", "user_ids": [Command.set(users.ids)],
        "dimension_3": "product_categ", "method_3": "even", "categ_ids": [Command.set(categs.ids)],
    })
    n = 12 * len(users) * len(categs)
    print(f"Decomposing one yearly target into 12 months x {len(users)} salespeople x {len(categs)} "
          f"categories = {n:,} sub-targets", flush=True)

    # a) computation in memory
    a, a_all, lines = best_of(3, wizard._compute_lines)
    total = round(sum(line["value"] for line in lines), 2)
    print(f"  a) computed in memory: {', '.join(f'{t:.2f}' for t in a_all)} s "
          f"({len(lines):,} lines, total {total:,.2f})", flush=True)
    Line = env["sales.target.decompose.line"]
    vals_list = [Line._vals_to_child(vals) for vals in lines]
    cr.commit()
    try:
        store(env, args, Command, SQL, plan, target, vals_list, a)
    finally:
        cr.rollback()
        cr.execute(SQL("DELETE FROM sales_target_plan WHERE id = %s", plan.id))  # its targets and jobs go along
        cr.commit()


def store(env, args, Command, SQL, plan, target, vals_list, a):
    cr = env.cr
    n = len(vals_list)

    # b) the background job, as the cron runs it (without its commits)
    Target = env["sales.target"]
    columns = stored_columns(Target)
    b_all, rows = [], None
    for run in range(args.runs):
        job = env["sales.target.decomposition"].create({"plan_id": plan.id,
                                                        "parent_ids": [Command.set(target.ids)]})
        job._set_payload(vals_list)
        if args.profile and run == 0:
            profiler = cProfile.Profile()
            profiler.runcall(job._run, batch_size=args.batch)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())
            cr.rollback()
            env.invalidate_all()
            continue
        start, cpu = time.perf_counter(), time.process_time()
        job._run(batch_size=args.batch)
        env.flush_all()
        b_all.append(time.perf_counter() - start)
        # Python's share; the rest is PostgreSQL (or waiting for the machine when it is busy)
        print(f"     run {run + 1}: {b_all[-1]:.1f} s, of which {time.process_time() - cpu:.1f} s in Python",
              flush=True)
        assert job.state == "done", job.error
        if rows is None:
            # the stored values, for the baseline and the floor
            cr.execute(SQL("SELECT %s FROM sales_target WHERE id = ANY(%s) ORDER BY id",
                           SQL(", ").join(SQL.identifier(c) for c in columns), job.created_ids.ids))
            rows = [dict(zip(columns, row)) for row in cr.fetchall()]
        cr.rollback()
        env.invalidate_all()
    if not b_all:  # --profile with one run
        return
    b = min(b_all)
    print(f"  b) background job, batches of {args.batch:,}: {', '.join(f'{t:.1f}' for t in b_all)} s "
          f"({n / b:,.0f} targets/s)", flush=True)

    # c) baseline: the same columns and values in a model without computes
    cr.execute(SQL("SAVEPOINT bench_baseline"))
    Bench = baseline_model(env, Target, columns)
    numeric = {col for col in columns if Target._fields[col].type in ("monetary", "float")}
    plain = [{f"x_{k}": float(v) if k in numeric and v is not None else v for k, v in row.items()}
             for row in rows]
    c_all = []
    for _run in range(args.runs):
        cr.execute(SQL("SAVEPOINT bench_baseline_run"))
        start = time.perf_counter()
        for i in range(0, len(plain), args.batch):
            Bench.create(plain[i:i + args.batch])
            env.flush_all()
        c_all.append(time.perf_counter() - start)
        cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_baseline_run"))
        env.invalidate_all()
    c = min(c_all)
    print(f"  c) plain ORM create, same columns, no computes: {', '.join(f'{t:.1f}' for t in c_all)} s "
          f"({n / c:,.0f} records/s)", flush=True)
    cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_baseline"))

    # d) floor: the same rows inserted by SQL
    payload = [{k: (v.isoformat() if isinstance(v, date) else float(v) if k in numeric and v is not None else v)
                for k, v in row.items()} for row in rows]
    cols = SQL(", ").join(SQL.identifier(col) for col in columns)
    d_all = []
    for _run in range(args.runs):
        cr.execute(SQL("SAVEPOINT bench_sql"))
        start = time.perf_counter()
        for i in range(0, len(payload), args.batch):
            cr.execute(SQL(
                "INSERT INTO sales_target (%s) SELECT %s FROM jsonb_populate_recordset(NULL::sales_target, %s)",
                cols, cols, json.dumps(payload[i:i + args.batch])))
        d_all.append(time.perf_counter() - start)
        cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_sql"))
    d = min(d_all)
    print(f"  d) SQL INSERT of the same rows: {', '.join(f'{t:.2f}' for t in d_all)} s ({n / d:,.0f} rows/s)",
          flush=True)

    print()
    print(f"{'measure':<56} {'seconds':>9} {'per second':>11}")
    print("-" * 78)
    for label, secs in (("a) computation in memory", a), ("b) background job storing them", b),
                        ("c) baseline: plain ORM create, no computes", c), ("d) floor: SQL INSERT", d)):
        print(f"{label:<56} {secs:>9.2f} {n / secs:>11,.0f}")
    print("-" * 78)
    print(f"{'b / c (job vs plain ORM create)':<56} {b / c:>9.2f}")
    print(f"{'b / d (job vs SQL INSERT)':<56} {b / d:>9.2f}")
    print(f"goals: computed in <= {GOAL_COMPUTE:.0f} s: {'met' if a <= GOAL_COMPUTE else 'NOT met'}; "
          f"stored at >= {GOAL_RATE:,} targets/s: {'met' if n / b >= GOAL_RATE else 'NOT met'}")


if __name__ == "__main__":
    main()
