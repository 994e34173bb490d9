#!/usr/bin/env python3
"""Benchmark of the bulk refresh of sales targets' actuals, and of the target lists.

Run with ``make bench`` (``make bench ARGS="--lines 100000 --keep"``). It creates its own
database as a copy of the addon's template database (``scripts/db.sh``), fills it directly
in PostgreSQL with salespeople, teams, product categories, products, customers and
``--lines`` confirmed sale order lines over 2023-2025, creates ``--targets`` ordered revenue
targets through the ORM (salesperson, team and category by month, salesperson by quarter; one
published plan per year), then measures, best of ``--runs`` each:

a) the addon's refresh, ``sales.target._refresh_actuals()``, of every target and of the
   salesperson x month targets alone; each twice: once with every figure changed (reset
   before the run) and once again with nothing changed (the hourly case), counting the rows
   the latter UPDATEs (``pg_stat_xact_user_tables``);
b) the floors: the raw SQL ``GROUP BY`` month and salesperson, month and team, month and
   product category (line-level join to products) that a hand-written report would run for
   each shape of target; every target's actual is checked against them;
d) the cron, ``_cron_refresh_actuals()`` on 15 June 2025, with the three yearly plans open,
   then with the plans of 2023 and 2024 closed;
e) the lists: one salesperson's *My Targets* (80 rows) and their team leader's *Sales
   Targets*, opened as those users (``get_views`` and ``web_search_read`` as the web client
   calls them), in queries and milliseconds, cold then warm;
c) the per-goal pattern of Odoo's gamification: one ORM ``_read_group`` per target, timed on
   a sample and extrapolated to every target.

The database is dropped at the end unless ``--keep`` is given.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench_data import KIND_SHAPE, PLAN_NAME, YEARS, Timer, create_targets, generate, target_kind
from bench_measures import SHAPES, Probe, check_against_floors, floor_query, frozen_today, measure_lists, \
    orm_domain, timed_updates

HERE = Path(__file__).resolve().parent.parent
#: the "today" of the cron and list measures: the last benchmark year is the running one
BENCH_TODAY = date(YEARS[-1], 6, 15)
CLOSED_YEARS = YEARS[:2]
GOAL_RATIO, GOAL_QUERIES, GOAL_MS = 2.0, 20, 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="confirmed sale order lines (1,000,000)")
    parser.add_argument("--targets", type=int, default=10_000, help="sales targets (10,000)")
    parser.add_argument("--db", default="cst_bench", help="database to create (cst_bench)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse a database kept by --keep instead of creating one")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure; the best counts (3)")
    parser.add_argument("--sample", type=int, default=50, help="targets timed one by one for c) (50)")
    parser.add_argument("--tz", default="UTC",
                        help="the company's time zone of targets (UTC); the floors group by month in it too")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one refresh")
    return parser.parse_args()


def odoo_conf():
    conf = os.environ.get("ODOO_CONF")
    if conf:
        return conf
    out = subprocess.run(["bash", "-c", f'source "{HERE}/scripts/env.sh" && echo "$ODOO_CONF"'],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def psql(db, command):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", command], check=True)


def best_of(runs, func, before=None):
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def fmt_runs(times):
    return ", ".join(f"{t:.3f}" for t in times)


# ---------------------------------------------------------------------------------- main
def main():
    args = parse_args()
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    import odoo
    from odoo.tools import SQL

    db = args.db
    conf = odoo_conf()
    print(f"Benchmark of crm_sales_target's refresh, database {db}: " + (
        "reused" if args.reuse else f"{args.lines:,} sale order lines, {args.targets:,} targets"), flush=True)
    total_start = time.perf_counter()
    if not args.reuse:
        with Timer("database from the addon's template (scripts/db.sh)"):
            subprocess.run(["bash", str(HERE / "scripts" / "db.sh"), db], check=True)
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = None
    try:
        registry = odoo.modules.registry.Registry(db)
        create_time = None
        if not args.reuse:
            gen_start = time.perf_counter()
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                master = generate(env, args.lines, SQL)
            with Timer("VACUUM ANALYZE"):
                psql(db, "VACUUM ANALYZE res_partner, res_users, crm_team, product_category, product_template,"
                         " product_product, sale_order, sale_order_line")
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                targets, create_time = create_targets(env, master, args.targets)
                print(f"  {len(targets):,} targets created by ORM in batches of 1,000: {create_time:.2f} s "
                      f"({len(targets) / create_time:,.0f} records/s)", flush=True)
            psql(db, "ANALYZE sales_target")
            print(f"  data generation in all: {time.perf_counter() - gen_start:.1f} s", flush=True)

        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            if "sales_target_tz" in company._fields:
                company.sales_target_tz = args.tz
            elif args.tz != "UTC":
                sys.exit("--tz: this version of the addon has no time zone of targets")
            cr.commit()
            report(env, args, SQL, create_time)
            cr.commit()
    finally:
        if registry is not None:
            odoo.sql_db.close_db(db)
            odoo.modules.registry.Registry.delete(db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
            print(f"Dropped {db} (--keep to keep it)")
        print(f"Total: {time.perf_counter() - total_start:.1f} s")


def report(env, args, SQL, create_time):
    from odoo.addons.crm_sales_target.tools import cube

    cr = env.cr
    plans = env["sales.target.plan"].search([("name", "in", [PLAN_NAME % year for year in YEARS])])
    if len(plans) != len(YEARS):
        sys.exit(f"{args.db} has no plan per year (made by an older benchmark): create it again without --reuse")
    plans.filtered(lambda p: p.state != "published").write({"state": "published"})
    targets = env["sales.target"].search([("plan_id", "in", plans.ids)], order="id")
    cr.execute(SQL("""SELECT COUNT(*) FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                       WHERE so.state = 'sale'"""))
    (n_lines,) = cr.fetchone()
    n = len(targets)
    print(f"\nMeasuring ({args.runs} runs each, best counts): {n:,} targets, {n_lines:,} confirmed lines, "
          f"time zone {args.tz}", flush=True)

    def reset():
        env.flush_all()
        env.invalidate_all()

    def changed(records):
        def run():
            # every figure differs from what the refresh will find; committed, as each refresh
            # runs in a transaction of its own in production (the cron's, a button's): the row
            # versions this leaves behind can then be pruned, as they are there
            cr.execute(SQL("UPDATE sales_target SET actual_value = -1 WHERE id IN %s", tuple(records.ids)))
            reset()
            cr.commit()
        return run

    # a) the refresh, every figure changed then nothing changed, SQL and cube.match() accounted
    probe = Probe(cube)
    breakdowns = []

    def refresh():
        probe.clear()
        with probe:
            targets._refresh_actuals()
        breakdowns.append(probe.snapshot())
    a_chg, a_chg_all, a_chg_upd = timed_updates(env, SQL, args.runs, refresh, before=changed(targets))
    best_chg = breakdowns[a_chg_all.index(a_chg)]
    print(f"  a) refresh of all, every figure changed: {fmt_runs(a_chg_all)} s", flush=True)
    breakdowns.clear()
    a, a_all, a_upd = timed_updates(env, SQL, args.runs, refresh, before=reset)
    best = breakdowns[a_all.index(a)]
    print(f"  a) refresh of all, nothing changed: {fmt_runs(a_all)} s; rows updated {[u for u, _h in a_upd]}",
          flush=True)

    same_grain = targets.filtered(lambda t: target_kind(t) == "user-month")
    a2_chg, a2_chg_all, _ = best_of(args.runs, same_grain._refresh_actuals, before=changed(same_grain))
    a2, a2_all, _ = best_of(args.runs, same_grain._refresh_actuals, before=reset)
    print(f"  a2) refresh of the {len(same_grain):,} salesperson x month targets: changed {fmt_runs(a2_chg_all)} s,"
          f" unchanged {fmt_runs(a2_all)} s", flush=True)

    # b) the floors of the shapes the targets use
    shapes_used = sorted({KIND_SHAPE[target_kind(t)] for t in targets}, key=list(SHAPES).index)
    floors, floor_rows = {}, {}
    for shape in SHAPES:
        def run_floor(shape=shape):
            cr.execute(floor_query(SQL, shape, args.tz))
            return cr.fetchall()
        floors[shape], times, floor_rows[shape] = best_of(args.runs, run_floor)
        print(f"  b) floor GROUP BY {SHAPES[shape][0]}: {fmt_runs(times)} s", flush=True)
    floor_sum = sum(floors[s] for s in shapes_used)
    reset()
    equal, checked, max_diff = check_against_floors(env, SQL, targets, floor_rows)

    # d) the cron on BENCH_TODAY, all years open then 2 of 3 closed
    def cron():
        env["sales.target"]._cron_refresh_actuals()
    closed = plans.filtered(lambda p: p.date_from.year in CLOSED_YEARS)
    with frozen_today(env, BENCH_TODAY):
        d_open, d_open_all, d_open_upd = timed_updates(env, SQL, args.runs, cron, before=reset)
        print(f"  d) cron, all years open: {fmt_runs(d_open_all)} s; rows updated {[u for u, _h in d_open_upd]}",
              flush=True)
        try:
            # straight to closed: the workflow allows no way back, which the benchmark needs
            closed.write({"state": "closed"})
            d_closed, d_closed_all, d_closed_upd = timed_updates(env, SQL, args.runs, cron, before=reset)
        finally:
            closed.write({"state": "published"})
            env.flush_all()
    print(f"  d) cron, {', '.join(map(str, CLOSED_YEARS))} closed: {fmt_runs(d_closed_all)} s; rows updated "
          f"{[u for u, _h in d_closed_upd]}", flush=True)

    # e) the lists, on targets created for them and rolled back
    rep, leader, my_list, team_list = measure_lists(env, SQL, args.runs, BENCH_TODAY)
    print(f"  e) lists: My Targets {my_list['read'][0]:.0f} ms, team leader {team_list['read'][0]:.0f} ms", flush=True)

    # c) one ORM _read_group per target, on a sample
    step = max(1, n // args.sample)
    sample = targets[::step][:args.sample]
    Line = env["sale.order.line"]

    def run_orm():
        values = {}
        for target in sample:
            [[total]] = Line._read_group(orm_domain(target, args.tz), [], ["price_subtotal:sum"])
            values[target.id] = total or 0.0
        return values
    reset()
    sample.fetch(["date_from", "date_to", "user_id", "team_id", "product_categ_id", "company_id", "actual_value"])
    c_sample, c_all, orm_values = best_of(args.runs, run_orm, before=Line.invalidate_model)
    c = c_sample / len(sample) * n
    print(f"  c) ORM per target ({len(sample)} targets): {fmt_runs(c_all)} s", flush=True)
    reset()
    mismatches = [t for t in sample if abs(t.actual_value - orm_values[t.id]) > 0.01]

    # the table
    def ratio(value, base):
        return value / base if base else float("inf")

    def verdict(value, goal):
        return "OK" if value <= goal else "ABOVE THE GOAL"

    width = 66
    rows = []

    def section(title):
        rows.append((title, None, ""))

    def row(label, secs, note=""):
        rows.append((label, secs, note))

    def breakdown(snap):
        row("    of which SQL (execute + fetch, all queries)", snap["sql"], f"{snap['queries']} queries")
        row("    of which cube.match() in Python", snap["match"],
            f"{snap['cube_rows']:,} cube rows: " + ", ".join(f"{cols or '-'} {r:,}" for cols, r in snap["cubes"]))

    floor_label = " + ".join(SHAPES[s][0].split(", ")[1] for s in shapes_used)
    r_a, r_a_chg = ratio(a, floor_sum), ratio(a_chg, floor_sum)
    r_a2, r_a2_chg = ratio(a2, floors["user"]), ratio(a2_chg, floors["user"])
    section(f"Refresh, _refresh_actuals() ({n:,} targets, {n_lines:,} lines)")
    row(f"a) all {n:,} targets, nothing changed (hourly case)", a,
        f"{r_a:.2f} x sum of floors (goal <= {GOAL_RATIO:g}) {verdict(r_a, GOAL_RATIO)}")
    breakdown(best)
    row(f"a) all {n:,} targets, every figure changed", a_chg,
        f"{r_a_chg:.2f} x sum of floors {verdict(r_a_chg, GOAL_RATIO)}")
    breakdown(best_chg)
    row(f"a2) the {len(same_grain):,} salesperson x month, nothing changed", a2,
        f"{r_a2:.2f} x its floor (goal <= {GOAL_RATIO:g}) {verdict(r_a2, GOAL_RATIO)}")
    row(f"a2) the {len(same_grain):,} salesperson x month, every figure changed", a2_chg,
        f"{r_a2_chg:.2f} x its floor {verdict(r_a2_chg, GOAL_RATIO)}")
    section(f"Rows UPDATEd (pg_stat_xact_user_tables, of {n:,})")
    row("a refresh with nothing changed (the most of its runs)", None,
        f"{max(u for u, _h in a_upd):,} rows ({max(h for _u, h in a_upd):,} HOT)")
    row("a refresh with every figure changed", None, f"{a_chg_upd[-1][0]:,} rows ({a_chg_upd[-1][1]:,} HOT)")
    section(f"Floors: raw SQL GROUP BY, written by hand (time zone {args.tz})")
    for shape in SHAPES:
        row(f"b) month x {SHAPES[shape][0].split(', ')[1]}", floors[shape], f"{len(floor_rows[shape]):,} rows"
            + ("" if shape in shapes_used else " (not used by the targets)"))
    row(f"b) sum of the floors used ({floor_label})", floor_sum)
    section(f"Cron, _cron_refresh_actuals() on {BENCH_TODAY} (plans of {', '.join(map(str, YEARS))})")
    row("d) all three years open", d_open, f"{ratio(d_open, floor_sum):.2f} x sum of floors; "
        f"{d_open_upd[0][0]:,} rows updated (1st run), {min(u for u, _h in d_open_upd):,} (best)")
    row(f"d) {' and '.join(map(str, CLOSED_YEARS))} closed", d_closed,
        f"{ratio(d_closed, floor_sum):.2f} x sum of floors, {ratio(d_closed, floors['user']):.2f} x the "
        f"salesperson floor; {d_closed_upd[0][0]:,} rows updated (1st run)")
    section(f"Lists opened, {BENCH_TODAY} (goal <= {GOAL_QUERIES} queries, <= {GOAL_MS} ms)")
    for label, result in ((f"My Targets of {rep.login}", my_list),
                          (f"Sales Targets of leader {leader.login}", team_list)):
        ms, queries = result["read"]
        ok = "OK" if queries <= GOAL_QUERIES and ms <= GOAL_MS else "ABOVE THE GOAL"
        row(f"e) {label}: web_search_read, warm", ms / 1000,
            f"{queries} queries, {result['rows']} of {result['length']} rows {ok}")
        row("     get_views of the action, warm", result["views"][0] / 1000, f"{result['views'][1]} queries")
        row("     both, cold (server caches cleared)", result["cold"][0] / 1000, f"{result['cold'][1]} queries")
    section("Others")
    row(f"c) ORM _read_group per target, x{n:,} (from {len(sample)})", c,
        f"{ratio(c, a):.1f} x the refresh; {c_sample / len(sample) * 1000:,.1f} ms/target")
    if create_time:
        row("ORM create of the targets (batches of 1,000)", create_time, f"{n / create_time:,.0f} records/s")

    print()
    print(f"{'measure':<{width}} {'seconds':>9}  ratio / notes")
    for label, secs, note in rows:
        if secs is None and not note:
            print("-" * 130 + f"\n{label}")
            continue
        print(f"{label:<{width}} {'' if secs is None else f'{secs:.3f}':>9}  {note}")
    print("-" * 130)
    print("slowest queries of the refresh (nothing changed):")
    for elapsed, code in best["slowest"]:
        print(f"  {elapsed:7.3f} s  {code[:200]}{' ...' if len(code) > 200 else ''}")
    print(f"check: {equal:,}/{checked:,} targets equal their floors (max difference {max_diff:.2f})")
    print(f"check: {len(sample) - len(mismatches)}/{len(sample)} sampled targets equal the ORM sum"
          + (f"; MISMATCHES {[(t.id, t.actual_value, orm_values[t.id]) for t in mismatches[:5]]}"
             if mismatches else ""))

    if r_a > GOAL_RATIO and not args.profile:
        print("(--profile prints a cProfile of one refresh)")
    if args.profile:
        reset()
        profiler = cProfile.Profile()
        profiler.enable()
        targets._refresh_actuals()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(30)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(20)
        print("\nProfile of one refresh (cProfile, cumulative):")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()
