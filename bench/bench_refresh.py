#!/usr/bin/env python3
"""Benchmark of the bulk refresh of sales targets' actuals.

Run with ``make bench`` (``make bench ARGS="--lines 100000 --keep"``). It creates its own
database as a copy of the addon's template database (``scripts/db.sh``), fills it directly
in PostgreSQL with salespeople, teams, product categories, products, customers and
``--lines`` confirmed sale order lines over three years, creates ``--targets`` ordered
revenue targets through the ORM, then compares (best of three runs each):

a) the addon's refresh, ``sales.target._refresh_actuals()`` on every target;
b) the floor: the raw SQL ``GROUP BY`` month and salesperson over the same lines;
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
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
YEARS = (2023, 2024, 2025)
DATE_FROM, DATE_TO = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
N_USERS, N_TEAMS, N_PRODUCTS, N_CUSTOMERS = 200, 20, 5000, 2000
N_TOP_CATEGS, N_SUB_CATEGS = 10, 4  # 10 top categories with 4 sub-categories each
LINES_PER_ORDER = 10
#: share of each kind of target, for 10,000 targets
TARGET_MIX = (("user-month", 7200), ("team-month", 720), ("categ-month", 1080), ("user-quarter", 1000))


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


class Timer:
    def __init__(self, label, log=True):
        self.label, self.log = label, log

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.elapsed = time.perf_counter() - self.start
        if self.log and not exc[0]:
            print(f"  {self.label}: {self.elapsed:.2f} s", flush=True)


def best_of(runs, func, before=None):
    times, result = [], None
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), times, result


# ---------------------------------------------------------------------------------- data
def pg_array(ids):
    """``ids`` as one PostgreSQL array literal: a single constant, not ARRAY[...] evaluated per row."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def generate(env, n_lines, SQL):
    """Master data and sale orders, straight in PostgreSQL (teams and categories by ORM)."""
    cr = env.cr
    company = env.ref("base.main_company")
    currency_id = company.currency_id.id
    uid = env.uid
    cr.execute(SQL("SELECT setseed(0.42)"))

    with Timer("salespeople, teams, categories"):
        cr.execute(SQL("""
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills,
                                     company_id, lang, create_date, write_date, create_uid, write_uid)
            SELECT 'Bench Rep ' || g, 'Bench Rep ' || g, TRUE, 'contact', FALSE, 'ask',
                   %(company)s, 'en_US', now(), now(), %(uid)s, %(uid)s
              FROM generate_series(1, %(n)s) g
            RETURNING id""", company=company.id, uid=uid, n=N_USERS))
        rep_partners = sorted(r[0] for r in cr.fetchall())
        cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id, partner_share = FALSE "
                       "WHERE id = ANY(%s)", rep_partners))
        cr.execute(SQL("""
            INSERT INTO res_users (login, partner_id, company_id, active, share, notification_type,
                                   create_date, write_date, create_uid, write_uid)
            SELECT 'bench.rep' || n, p, %(company)s, TRUE, FALSE, 'email', now(), now(), %(uid)s, %(uid)s
              FROM unnest(%(partners)s::int[]) WITH ORDINALITY AS t(p, n)
            RETURNING id""", company=company.id, uid=uid, partners=pg_array(rep_partners)))
        users = sorted(r[0] for r in cr.fetchall())
        cr.execute(SQL("""
            INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, u FROM unnest(%s::int[]) u""",
                       company.id, users))
        teams = env["crm.team"].create([{"name": f"Bench Team {i + 1:02d}", "company_id": company.id}
                                        for i in range(N_TEAMS)]).ids
        cr.execute(SQL("""
            INSERT INTO crm_team_member (crm_team_id, user_id, active, create_date, write_date)
            SELECT (%(teams)s::int[])[1 + mod(n - 1, %(nt)s)], u, TRUE, now(), now()
              FROM unnest(%(users)s::int[]) WITH ORDINALITY AS t(u, n)""",
                       teams=pg_array(teams), nt=len(teams), users=pg_array(users)))
        cr.execute(SQL("UPDATE res_users u SET sale_team_id = m.crm_team_id FROM crm_team_member m "
                       "WHERE m.user_id = u.id AND u.id = ANY(%s)", users))
        root = env.ref("product.product_category_all")
        tops = env["product.category"].create([{"name": f"Bench Family {i + 1:02d}", "parent_id": root.id}
                                               for i in range(N_TOP_CATEGS)])
        subs = env["product.category"].create([{"name": f"Bench Line {i + 1:02d}.{j + 1}", "parent_id": top.id}
                                               for i, top in enumerate(tops) for j in range(N_SUB_CATEGS)])
        env.flush_all()

    with Timer(f"{N_PRODUCTS:,} products, {N_CUSTOMERS:,} customers"):
        cr.execute(SQL("""
            INSERT INTO product_template (name, categ_id, uom_id, uom_po_id, type, service_tracking,
                                          sale_line_warn, invoice_policy, active,
                                          sale_ok, purchase_ok, list_price, default_code,
                                          create_date, write_date, create_uid, write_uid)
            SELECT jsonb_build_object('en_US', 'Bench Product ' || g),
                   (%(categs)s::int[])[1 + mod(g - 1, %(nc)s)], 1, 1, 'consu', 'no', 'no-message', 'order',
                   TRUE, TRUE, TRUE, round((10 + random() * 490)::numeric, 2),
                   'BP' || g, now(), now(), %(uid)s, %(uid)s
              FROM generate_series(1, %(n)s) g
            RETURNING id""", categs=pg_array(subs.ids), nc=len(subs), n=N_PRODUCTS, uid=uid))
        templates = sorted(r[0] for r in cr.fetchall())
        cr.execute(SQL("""
            INSERT INTO product_product (product_tmpl_id, active, default_code, create_date, write_date,
                                         create_uid, write_uid)
            SELECT t, TRUE, 'BP' || n, now(), now(), %(uid)s, %(uid)s
              FROM unnest(%(templates)s::int[]) WITH ORDINALITY AS x(t, n)
            RETURNING id""", templates=pg_array(templates), uid=uid))
        products = sorted(r[0] for r in cr.fetchall())
        cr.execute(SQL("SELECT id FROM res_country WHERE code IN ('US', 'CN', 'DE', 'FR', 'BE', 'IN') ORDER BY id"))
        countries = [r[0] for r in cr.fetchall()]
        cr.execute(SQL("""
            INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills, customer_rank,
                                     country_id, state_id, lang, create_date, write_date, create_uid, write_uid)
            SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, 'contact', TRUE, 'ask', 1, c.country,
                   (SELECT s.id FROM res_country_state s WHERE s.country_id = c.country
                     ORDER BY s.id OFFSET mod(g, 5) LIMIT 1),
                   'en_US', now(), now(), %(uid)s, %(uid)s
              FROM generate_series(1, %(n)s) g,
                   LATERAL (SELECT (%(countries)s::int[])[1 + mod(g, %(ncountries)s)] AS country) c
            RETURNING id""", n=N_CUSTOMERS, countries=pg_array(countries), ncountries=len(countries), uid=uid))
        customers = sorted(r[0] for r in cr.fetchall())
        cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id, partner_share = TRUE "
                       "WHERE id = ANY(%s)", customers))

    n_orders = -(-n_lines // LINES_PER_ORDER)
    # bulk load: the rows below reference existing rows by construction, so the foreign-key
    # triggers (one look-up per key and row) are skipped for this transaction
    cr.execute(SQL("SET LOCAL session_replication_role = replica"))
    with Timer(f"{n_orders:,} confirmed sale orders"):
        cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM sale_order"))
        (before,) = cr.fetchone()
        # salesperson n belongs to team 1 + (n - 1) % 20, as in crm_team_member above
        cr.execute(SQL("""
            INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id,
                                    date_order, state, user_id, team_id, currency_id, currency_rate,
                                    invoice_status, create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH/' || lpad(g::text, 7, '0'), %(company)s, x.partner, x.partner, x.partner,
                   %(start)s::timestamp + random() * (%(end)s::timestamp - %(start)s::timestamp),
                   'sale', (%(users)s::int[])[x.u], (%(teams)s::int[])[1 + mod(x.u - 1, %(nt)s)],
                   %(currency)s, 1.0, 'no', now(), now(), %(uid)s, %(uid)s
              FROM generate_series(1, %(n)s) g,
                   LATERAL (SELECT 1 + floor(random() * %(nu)s)::int + 0 * g AS u,
                                   (%(customers)s::int[])[1 + floor(random() * %(ncust)s)::int + 0 * g] AS partner) x
            """, company=company.id, start=datetime(YEARS[0], 1, 1), end=datetime(YEARS[-1] + 1, 1, 1),
                       users=pg_array(users), nu=len(users), teams=pg_array(teams), nt=len(teams),
                       currency=currency_id, uid=uid,
                       n=n_orders, customers=pg_array(customers), ncust=len(customers)))
        cr.execute(SQL("SELECT MIN(id), MAX(id), COUNT(*) FROM sale_order WHERE id > %s", before))
        first_order, last_order, count = cr.fetchone()
        assert last_order - first_order + 1 == count == n_orders, "order ids are not contiguous"

    with Timer(f"{n_lines:,} sale order lines"):
        cr.execute(SQL("""
            INSERT INTO sale_order_line (order_id, sequence, name, product_id, product_uom, product_uom_qty,
                                         price_unit, discount, price_subtotal, price_total, price_tax,
                                         price_reduce_taxexcl, price_reduce_taxinc, customer_lead,
                                         display_type, is_downpayment, is_expense, company_id, currency_id,
                                         state, salesman_id, order_partner_id, qty_delivered_method,
                                         invoice_status, create_date, write_date, create_uid, write_uid)
            SELECT l.order_id, l.seq, 'Bench line', l.product, 1, l.qty, l.price, 0, l.qty * l.price,
                   l.qty * l.price, 0, l.price, l.price, 0, NULL, FALSE, FALSE, so.company_id, so.currency_id,
                   'sale', so.user_id, so.partner_id, 'manual', 'no', now(), now(), %(uid)s, %(uid)s
              FROM (SELECT %(first)s + (g - 1) / %(per)s AS order_id, 1 + mod(g - 1, %(per)s) AS seq,
                           (%(products)s::int[])[1 + floor(random() * %(np)s)::int] AS product,
                           (1 + floor(random() * 10))::numeric AS qty,
                           round((5 + random() * 495)::numeric, 2) AS price
                      FROM generate_series(1, %(n)s) g) l
              JOIN sale_order so ON so.id = l.order_id""",
                       first=first_order, per=LINES_PER_ORDER, products=pg_array(products), np=len(products),
                       n=n_lines, uid=uid))
        cr.execute(SQL("""
            UPDATE sale_order so SET amount_untaxed = t.total, amount_total = t.total, amount_tax = 0
              FROM (SELECT order_id, SUM(price_subtotal) AS total FROM sale_order_line
                     WHERE order_id BETWEEN %s AND %s GROUP BY 1) t
             WHERE so.id = t.order_id""", first_order, last_order))
    cr.execute(SQL("SET LOCAL session_replication_role = DEFAULT"))
    return {"users": users, "teams": teams, "tops": tops.ids, "subs": subs.ids}


def month_ranges():
    for year in YEARS:
        for month in range(1, 13):
            start = date(year, month, 1)
            end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
            yield start, end


def quarter_ranges():
    for year in YEARS:
        for q in range(4):
            start = date(year, 3 * q + 1, 1)
            end = date(year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1)
            yield start, end


def target_values(master, n_targets):
    """Target dicts of each kind, in the TARGET_MIX proportions."""
    months, quarters = list(month_ranges()), list(quarter_ranges())
    categs = master["tops"] + master["subs"][:20]  # 30 categories, parents and children
    kinds = {
        "user-month": [{"user_id": u, "date_from": a, "date_to": b, "target_value": 30000}
                       for u in master["users"] for a, b in months],
        "team-month": [{"team_id": t, "date_from": a, "date_to": b, "target_value": 300000}
                       for t in master["teams"] for a, b in months],
        "categ-month": [{"product_categ_id": c, "date_from": a, "date_to": b, "target_value": 100000}
                        for c in categs for a, b in months],
        # the last 5 quarters of each salesperson
        "user-quarter": [{"user_id": u, "date_from": a, "date_to": b, "target_value": 90000}
                         for u in master["users"] for a, b in quarters[-5:]],
    }
    total = sum(n for _k, n in TARGET_MIX)
    wanted = {kind: round(n * n_targets / total) for kind, n in TARGET_MIX}
    wanted["user-month"] += n_targets - sum(wanted.values())
    values = []
    for kind, _n in TARGET_MIX:
        pool = kinds[kind]
        want = min(wanted[kind], len(pool))
        step = len(pool) / want if want else 1
        values += [dict(pool[int(i * step)], kind=kind) for i in range(want)]
    return values


def create_targets(env, master, n_targets):
    kpi = env.ref("crm_sales_target.kpi_ordered_revenue")
    plan = env["sales.target.plan"].create({
        "name": "Bench plan 2023-2025", "horizon": "long", "date_from": DATE_FROM, "date_to": DATE_TO})
    values = target_values(master, n_targets)
    kinds = {}
    targets = env["sales.target"]
    batch = 1000
    start = time.perf_counter()
    for i in range(0, len(values), batch):
        chunk = values[i:i + batch]
        created = env["sales.target"].create([
            {k: v for k, v in val.items() if k != "kind"} | {"plan_id": plan.id, "kpi_id": kpi.id}
            for val in chunk])
        env.flush_all()
        targets |= created
        for target, val in zip(created, chunk):
            kinds[target.id] = val["kind"]
    elapsed = time.perf_counter() - start
    plan.write({"state": "published"})
    env.invalidate_all()
    return targets, kinds, elapsed


# ---------------------------------------------------------------------------------- measures
class Probe:
    """Times the SQL queries (execute and fetch) and ``cube.match`` calls made inside it."""

    def __init__(self, cube_module):
        from odoo import sql_db
        self.cursor_class, self.cube = sql_db.Cursor, cube_module
        self.clear()

    def clear(self):
        self.sql, self.queries, self.match, self.cubes, self.slowest = 0.0, 0, 0.0, [], []

    def snapshot(self):
        return {"sql": self.sql, "queries": self.queries, "match": self.match, "cubes": list(self.cubes),
                "cube_rows": sum(rows for _cols, rows in self.cubes),
                "slowest": sorted(self.slowest, reverse=True)[:5]}

    def _timed(self, func, is_query):
        probe = self

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                probe.sql += elapsed
                probe.queries += is_query
                if is_query:
                    query = args[1] if len(args) > 1 else kwargs.get("query")
                    code = " ".join(str(getattr(query, "code", query)).split())
                    probe.slowest.append((elapsed, code))
        return wrapper

    def __enter__(self):
        cls, probe = self.cursor_class, self
        self.saved = (cls.execute, self.cube.match)
        cls.execute = self._timed(cls.execute, 1)
        # fetches go to the psycopg2 cursor through __getattr__: time them on the way
        cls.fetchall = self._timed(lambda cr: cr._obj.fetchall(), 0)
        cls.fetchone = self._timed(lambda cr: cr._obj.fetchone(), 0)
        match = self.saved[1]

        def timed_match(rows, columns, *args, **kwargs):
            start = time.perf_counter()
            try:
                return match(rows, columns, *args, **kwargs)
            finally:
                probe.match += time.perf_counter() - start
                probe.cubes.append((",".join(columns), len(rows)))
        self.cube.match = timed_match
        return self

    def __exit__(self, *exc):
        cls = self.cursor_class
        cls.execute, self.cube.match = self.saved
        del cls.fetchall, cls.fetchone


def floor_query(SQL):
    return SQL("""
        SELECT date_trunc('month', so.date_order)::date, so.user_id, SUM(sol.price_subtotal)
          FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
         WHERE so.state = 'sale'
      GROUP BY 1, 2""")


def orm_domain(target):
    domain = [
        ("order_id.state", "=", "sale"),
        ("display_type", "=", False),
        ("is_downpayment", "=", False),
        ("order_id.company_id", "=", target.company_id.id),
        ("order_id.date_order", ">=", datetime.combine(target.date_from, datetime.min.time())),
        ("order_id.date_order", "<", datetime.combine(target.date_to + timedelta(days=1), datetime.min.time())),
    ]
    if target.user_id:
        domain.append(("order_id.user_id", "=", target.user_id.id))
    if target.team_id:
        domain.append(("order_id.team_id", "=", target.team_id.id))
    if target.product_categ_id:
        domain.append(("product_id.categ_id", "child_of", target.product_categ_id.id))
    return domain


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
                targets, kinds, create_time = create_targets(env, master, args.targets)
                print(f"  {len(targets):,} targets created by ORM in batches of 1,000: {create_time:.2f} s "
                      f"({len(targets) / create_time:,.0f} records/s)", flush=True)
            psql(db, "ANALYZE sales_target")
            gen_time = time.perf_counter() - gen_start
            print(f"  data generation in all: {gen_time:.1f} s", flush=True)
        else:
            create_time = None

        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
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
    kpi = env.ref("crm_sales_target.kpi_ordered_revenue")
    targets = env["sales.target"].search([("kpi_id", "=", kpi.id), ("plan_id.name", "=", "Bench plan 2023-2025")],
                                         order="id")
    cr.execute(SQL("""SELECT COUNT(*) FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                       WHERE so.state = 'sale'"""))
    (n_lines,) = cr.fetchone()
    n = len(targets)
    print(f"\nMeasuring ({args.runs} runs each, best counts): {n:,} targets, {n_lines:,} confirmed lines", flush=True)

    def reset():
        env.flush_all()
        env.invalidate_all()

    # a) the addon's refresh, with the time spent in SQL and in cube.match() accounted
    probe = Probe(cube)
    breakdowns = []

    def refresh():
        probe.clear()
        with probe:
            targets._refresh_actuals()
        breakdowns.append(probe.snapshot())
    a, a_all, _ = best_of(args.runs, refresh, before=reset)
    best = breakdowns[a_all.index(a)]
    print(f"  a) refresh: {', '.join(f'{t:.3f}' for t in a_all)} s", flush=True)

    # a2) the same refresh, on the salesperson x month targets only: the floor's own grouping
    same_grain = targets.filtered(lambda t: t.user_id and t.date_from.day == 1
                                  and (t.date_to - t.date_from).days < 31)
    a2, a2_all, _ = best_of(args.runs, lambda: same_grain._refresh_actuals(), before=reset)
    print(f"  a2) refresh of the {len(same_grain):,} salesperson x month targets: "
          f"{', '.join(f'{t:.3f}' for t in a2_all)} s", flush=True)

    # b) the floor
    def run_floor():
        cr.execute(floor_query(SQL))
        return cr.fetchall()
    b, b_all, floor_rows = best_of(args.runs, run_floor)
    print(f"  b) floor: {', '.join(f'{t:.3f}' for t in b_all)} s", flush=True)

    # c) one ORM _read_group per target, on a sample
    step = max(1, n // args.sample)
    sample = targets[::step][:args.sample]
    Line = env["sale.order.line"]

    def run_orm():
        values = {}
        for target in sample:
            [[total]] = Line._read_group(orm_domain(target), [], ["price_subtotal:sum"])
            values[target.id] = total or 0.0
        return values
    reset()
    sample.fetch(["date_from", "date_to", "user_id", "team_id", "product_categ_id", "company_id", "actual_value"])
    c_sample, c_all, orm_values = best_of(args.runs, run_orm,
                                          before=lambda: Line.invalidate_model())
    c = c_sample / len(sample) * n
    print(f"  c) ORM per target ({len(sample)} targets): {', '.join(f'{t:.3f}' for t in c_all)} s", flush=True)

    # the refresh must agree with the ORM and with the floor
    reset()
    mismatches = [t for t in sample if abs(t.actual_value - orm_values[t.id]) > 0.01]
    floor_by_user = {}
    for _month, user, total in floor_rows:
        floor_by_user[user] = floor_by_user.get(user, 0.0) + float(total)
    user_month = targets.filtered(lambda t: t.user_id and t.date_from.day == 1
                                  and (t.date_to - t.date_from).days < 31)
    refreshed_by_user = {}
    for t in user_month:
        refreshed_by_user[t.user_id.id] = refreshed_by_user.get(t.user_id.id, 0.0) + t.actual_value

    rows_fmt = [
        ("a) addon refresh, _refresh_actuals() on all targets", a, f"{a / n * 1e6:,.1f} µs/target"),
        ("   of which SQL (execute + fetch, all queries)", best["sql"], f"{best['queries']} queries"),
        ("   of which cube.match() in Python", best["match"],
         f"{best['cube_rows']:,} cube rows in {len(best['cubes'])} cube(s): "
         + ", ".join(f"{cols or '-'} {rows:,}" for cols, rows in best["cubes"])),
        ("   rest: Python and ORM (specs, pacing, rounding, cache)", max(a - best["sql"] - best["match"], 0.0), ""),
        (f"a2) refresh of the {len(same_grain):,} salesperson x month targets only", a2,
         f"{a2 / b:.2f} x the floor" if b else ""),
        ("b) floor: raw SQL GROUP BY month, salesperson", b, f"{len(floor_rows):,} rows"),
        (f"c) ORM _read_group per target, x{n:,} (from {len(sample)})", c,
         f"{c_sample / len(sample) * 1000:,.1f} ms/target"),
    ]
    print()
    print(f"{'measure':<58} {'seconds':>10}  notes")
    print("-" * 110)
    for label, secs, note in rows_fmt:
        print(f"{label:<58} {secs:>10.3f}  {note}")
    print("-" * 110)
    ratio_ab = a / b if b else float("inf")
    print(f"{'a / b  (refresh vs floor; goal <= 2.0)':<58} {ratio_ab:>10.2f}  "
          f"{'OK' if ratio_ab <= 2.0 else 'SLOWER THAN 2x THE FLOOR'}")
    print(f"{'c / a  (per-target ORM vs refresh)':<58} {c / a:>10.1f}")
    if create_time:
        print(f"{'ORM create of the targets (batches of 1,000)':<58} {create_time:>10.3f}  "
              f"{n / create_time:,.0f} records/s")
    print("-" * 110)
    print("slowest queries of the refresh:")
    for elapsed, code in best["slowest"]:
        print(f"  {elapsed:7.3f} s  {code[:200]}{' ...' if len(code) > 200 else ''}")
    print(f"check: {len(sample) - len(mismatches)}/{len(sample)} sampled targets equal the ORM sum"
          + (f"; MISMATCHES {[(t.id, t.actual_value, orm_values[t.id]) for t in mismatches[:5]]}"
             if mismatches else ""))
    # all months of every salesperson are targeted only when there are 7,200 user-month targets
    if len(user_month) == len(floor_by_user) * 36:
        diff = max(abs(refreshed_by_user.get(u, 0.0) - v) for u, v in floor_by_user.items())
        print(f"check: per-salesperson totals of the monthly targets vs the floor: max difference {diff:.2f}")

    if ratio_ab > 2.0 and not args.profile:
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
