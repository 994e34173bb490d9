"""Data of the refresh benchmark (``bench_refresh.py``): master data and sale orders written
straight in PostgreSQL, targets created through the ORM in one published plan per year, and
the targets of one team opened in the list views (created, measured and rolled back).
"""

import time
from datetime import date, datetime, timedelta

YEARS = (2023, 2024, 2025)
N_USERS, N_TEAMS, N_PRODUCTS, N_CUSTOMERS = 200, 20, 5000, 2000
N_TOP_CATEGS, N_SUB_CATEGS = 10, 4  # 10 top categories with 4 sub-categories each
LINES_PER_ORDER = 10
#: share of each kind of target, for 10,000 targets
TARGET_MIX = (("user-month", 7200), ("team-month", 720), ("categ-month", 1080), ("user-quarter", 1000))
#: kind of target -> the hand-written GROUP BY (floor) that answers it
KIND_SHAPE = {"user-month": "user", "user-quarter": "user", "team-month": "team", "categ-month": "categ"}
PLAN_NAME = "Bench plan %s"
#: the salesperson whose list is opened, and the team leader of that salesperson's team
LIST_REP, LIST_LEADER = "bench.rep1", "bench.rep21"
LIST_ROWS = 80


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
            INSERT INTO crm_team_member (crm_team_id, user_id, active, role, create_date, write_date)
            SELECT (%(teams)s::int[])[1 + mod(n - 1, %(nt)s)], u, TRUE, 'other', now(), now()
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
    """The targets, in one published plan per year: closing a year closes its plan."""
    kpi = env.ref("crm_sales_target.kpi_ordered_revenue")
    plans = env["sales.target.plan"].create([{
        "name": PLAN_NAME % year, "horizon": "mid", "date_from": date(year, 1, 1), "date_to": date(year, 12, 31),
    } for year in YEARS])
    plan_of = dict(zip(YEARS, plans.ids))
    values = target_values(master, n_targets)
    targets = env["sales.target"]
    batch = 1000
    start = time.perf_counter()
    for i in range(0, len(values), batch):
        chunk = values[i:i + batch]
        targets |= env["sales.target"].create([
            {k: v for k, v in val.items() if k != "kind"}
            | {"plan_id": plan_of[val["date_from"].year], "kpi_id": kpi.id}
            for val in chunk])
        env.flush_all()
    elapsed = time.perf_counter() - start
    plans.write({"state": "published"})
    env.invalidate_all()
    return targets, elapsed


def target_kind(target):
    """The kind of a benchmark target (TARGET_MIX), read from its fields."""
    if target.product_categ_id:
        return "categ-month"
    if target.team_id:
        return "team-month"
    return "user-month" if (target.date_to - target.date_from).days < 31 else "user-quarter"


def create_list_fixtures(env, today):
    """A salesperson with ``LIST_ROWS`` targets running ``today`` and their team leader.

    The salesperson's targets carry their team, as a decomposition by team then salesperson
    makes them, so that the leader sees them too; every other member of the team gets 10 more.
    Returns ``(salesperson, leader)``.
    """
    from odoo import Command

    users = env["res.users"]
    rep = users.search([("login", "=", LIST_REP)])
    leader = users.search([("login", "=", LIST_LEADER)])
    team = rep.sale_team_id
    assert rep and leader and team and leader.sale_team_id == team, "benchmark salespeople not found"
    rep.write({"groups_id": [Command.link(env.ref("sales_team.group_sale_salesman").id)]})
    leader.write({"groups_id": [Command.link(env.ref("sales_team.group_sale_salesman_all_leads").id),
                                Command.link(env.ref("crm_sales_target.crm_sales_target_group_team_leader").id)]})
    team.user_id = leader
    plan = env["sales.target.plan"].create({
        "name": f"Bench lists {today.year}", "horizon": "mid",
        "date_from": date(today.year, 1, 1), "date_to": date(today.year, 12, 31)})
    month = (today.replace(day=1), (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
    q = (today.month - 1) // 3
    quarter = (date(today.year, 3 * q + 1, 1), date(today.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - timedelta(days=1))
    revenue, quantity = env.ref("crm_sales_target.kpi_ordered_revenue"), env.ref("crm_sales_target.kpi_quantity_sold")
    categs = env["product.category"].search([("name", "=like", "Bench Line %")], order="id")
    half = LIST_ROWS // 2
    values = []
    for i in range(LIST_ROWS):
        kpi, (start, end) = (revenue, month) if i < half else (quantity, quarter)
        values.append({"user_id": rep.id, "kpi_id": kpi.id, "date_from": start, "date_to": end,
                       "product_categ_id": categs[i % len(categs)].id, "target_value": 5000 + 10 * i})
    for member in team.member_ids - rep:
        values += [{"user_id": member.id, "kpi_id": revenue.id, "date_from": month[0], "date_to": month[1],
                    "product_categ_id": categ.id, "target_value": 4000} for categ in categs[:10]]
    env["sales.target"].create([vals | {"plan_id": plan.id, "team_id": team.id} for vals in values])
    plan.write({"state": "published"})
    env.flush_all()
    return rep, leader
