"""Measures of the refresh benchmark (``bench_refresh.py``): a probe timing the SQL of a
refresh, the rows a refresh updates, the hand-written floors and the check of every target
against them, and the opening of a list view as the web client does it.
"""

import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytz

from bench_data import KIND_SHAPE, LIST_ROWS, create_list_fixtures, target_kind

#: shape -> (label, grouped column, needs the product join)
SHAPES = {
    "user": ("month, salesperson", "so.user_id", False),
    "team": ("month, team", "so.team_id", False),
    "categ": ("month, product category", "pt.categ_id", True),
}


# ---------------------------------------------------------------------------------- probes
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


def updated_rows(env, SQL):
    """Rows of ``sales_target`` updated so far in this transaction, and how many of them HOT."""
    env.flush_all()
    env.cr.execute(SQL("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'sales_target'"))
    return env.cr.fetchone() or (0, 0)


def timed_updates(env, SQL, runs, func, before=None):
    """``best_of`` that also counts the rows each run UPDATEs (outside the timing)."""
    times, updates = [], []
    for _ in range(runs):
        if before:
            before()
        upd0, hot0 = updated_rows(env, SQL)
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        upd1, hot1 = updated_rows(env, SQL)
        updates.append((upd1 - upd0, hot1 - hot0))
    return min(times), times, updates


@contextmanager
def frozen_today(env, day):
    """Run with ``day`` as today: the cron and the pacing read ``fields.Date.context_today``,
    which cannot be given a date, so it is patched (and the company's own today in the
    targets' time zone, when the addon has one)."""
    from odoo import fields

    patches = [mock.patch.object(fields.Date, "context_today", staticmethod(lambda record, timestamp=None: day))]
    company_class = type(env["res.company"])
    if hasattr(company_class, "_sales_target_today"):
        patches.append(mock.patch.object(company_class, "_sales_target_today", lambda self: day))
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in reversed(patches):
            patch.stop()


# ---------------------------------------------------------------------------------- floors
def floor_query(SQL, shape, tz="UTC"):
    _label, column, with_product = SHAPES[shape]
    month = SQL("so.date_order") if tz in ("", "UTC") else SQL("(so.date_order AT TIME ZONE 'UTC') AT TIME ZONE %s", tz)
    product = SQL("""JOIN product_product pp ON pp.id = sol.product_id
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id""") if with_product else SQL()
    return SQL("""
        SELECT date_trunc('month', %s)::date, %s, SUM(sol.price_subtotal)
          FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id %s
         WHERE so.state = 'sale'
      GROUP BY 1, 2""", month, SQL(column), product)


def check_against_floors(env, SQL, targets, floor_rows):
    """Every target's actual against the floors: ``(equal, checked, max difference)``."""
    floors = {shape: {(m, key): float(total) for m, key, total in rows} for shape, rows in floor_rows.items()}
    env.cr.execute(SQL("SELECT id, parent_path FROM product_category"))
    descendants = {}
    for cid, path in env.cr.fetchall():
        for ancestor in (path or "").split("/"):
            if ancestor:
                descendants.setdefault(int(ancestor), []).append(cid)
    equal, checked, max_diff = 0, 0, 0.0
    targets.fetch(["date_from", "date_to", "user_id", "team_id", "product_categ_id", "actual_value"])
    for target in targets:
        shape = KIND_SHAPE[target_kind(target)]
        if shape not in floors:
            continue
        months, day = [], target.date_from
        while day <= target.date_to:
            months.append(day)
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        if shape == "categ":
            keys = descendants.get(target.product_categ_id.id, [])
        else:
            keys = [target.user_id.id if shape == "user" else target.team_id.id]
        expected = sum(floors[shape].get((m, key), 0.0) for m in months for key in keys)
        diff = abs(target.actual_value - expected)
        checked += 1
        equal += diff <= 0.01
        max_diff = max(max_diff, diff)
    return equal, checked, max_diff


def orm_domain(target, tz="UTC"):
    """The ORM domain of the lines a target counts, its local days bounded in UTC."""
    zone = pytz.timezone(tz or "UTC")

    def utc(day):
        return zone.localize(datetime.combine(day, datetime.min.time())).astimezone(pytz.utc).replace(tzinfo=None)

    domain = [
        ("order_id.state", "=", "sale"),
        ("display_type", "=", False),
        ("is_downpayment", "=", False),
        ("order_id.company_id", "=", target.company_id.id),
        ("order_id.date_order", ">=", utc(target.date_from)),
        ("order_id.date_order", "<", utc(target.date_to + timedelta(days=1))),
    ]
    if target.user_id:
        domain.append(("order_id.user_id", "=", target.user_id.id))
    if target.team_id:
        domain.append(("order_id.team_id", "=", target.team_id.id))
    if target.product_categ_id:
        domain.append(("product_id.categ_id", "child_of", target.product_categ_id.id))
    return domain


# ---------------------------------------------------------------------------------- lists
def default_domain(search_arch, action_context, user, today):
    """The domain the web client builds from the action's ``search_default_*`` filters:
    filters of one group (between separators) OR-ed, groups AND-ed."""
    from dateutil.relativedelta import relativedelta
    from lxml import etree

    from odoo.osv import expression
    from odoo.tools.safe_eval import safe_eval

    selected = {key[len("search_default_"):] for key, value in action_context.items()
                if key.startswith("search_default_") and value}
    groups, current = [], []
    for node in etree.fromstring(search_arch):
        if not isinstance(node.tag, str):  # comments
            continue
        if node.tag == "filter":
            if node.get("name") in selected and node.get("domain"):
                current.append(node.get("domain"))
            continue
        if current:
            groups.append(current)
        current = []
    if current:
        groups.append(current)
    values = {"uid": user.id, "context_today": lambda: today, "relativedelta": relativedelta, "datetime": datetime}
    return expression.AND([expression.OR([safe_eval(d, values) for d in group]) for group in groups])


def list_specification(model, list_arch):
    """What the web client reads for a list view: every column, many2ones with their name."""
    from lxml import etree

    spec = {}
    for node in etree.fromstring(list_arch).iterchildren("field"):
        name = node.get("name")
        if model._fields[name].type in ("many2one", "reference"):
            always_hidden = node.get("invisible") in ("1", "True")
            spec[name] = {"fields": {} if always_hidden else {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def open_list(env, user, xmlid, runs, today):
    """Open the action ``xmlid`` as ``user`` on its list view, the way the web client does: one
    ``get_views`` then one ``web_search_read`` of the first 80 rows, each in a fresh request (an
    empty record cache). The first run follows a clearing of the server's caches (cold).
    Returns ``{"cold": (ms, queries), "views": ..., "read": ..., "rows": .., "length": ..}``."""
    from odoo.tools.safe_eval import safe_eval

    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    context = {"lang": "en_US", "tz": "UTC", "uid": user.id, "allowed_company_ids": user.company_id.ids}
    action_context = safe_eval(action.get("context") or "{}", {"uid": user.id, "context": context})
    model = env(user=user.id, context=context)[action["res_model"]]
    views = [[view_id or False, view_type] for view_id, view_type in action["views"]]
    views.append([action.get("search_view_id") and action["search_view_id"][0] or False, "search"])
    options = {"action_id": action["id"], "load_filters": True, "toolbar": True}
    result = model.with_context(**action_context).get_views(views, options)
    spec = list_specification(model, result["views"]["list"]["arch"])
    domain = default_domain(result["views"]["search"]["arch"], action_context, user, today) + (
        safe_eval(action["domain"], {"uid": user.id}) if action.get("domain") else [])
    cr = env.cr

    def request(func):
        env.invalidate_all()
        queries, start = cr.sql_log_count, time.perf_counter()
        out = func()
        return (time.perf_counter() - start) * 1000, cr.sql_log_count - queries, out

    def get_views():
        return model.with_context(**action_context).get_views(views, options)

    def read():
        return model.with_context(bin_size=True).web_search_read(domain, spec, offset=0, limit=LIST_ROWS,
                                                                 order="", count_limit=10001)
    env.registry.clear_all_caches()
    cold_views, cold_read = request(get_views), request(read)
    warm_views = min(request(get_views)[:2] for _ in range(runs))
    warm_read = min((request(read) for _ in range(runs)), key=lambda r: r[0])
    return {"cold": (cold_views[0] + cold_read[0], cold_views[1] + cold_read[1]),
            "views": warm_views, "read": warm_read[:2],
            "rows": len(warm_read[2]["records"]), "length": warm_read[2]["length"]}


def measure_lists(env, SQL, runs, today):
    """Open one salesperson's *My Targets* and their team leader's *Sales Targets* on targets
    created for them (``create_list_fixtures``), then roll those targets back.
    Returns ``(salesperson, leader, my list, team list)``, each list as ``open_list`` gives it."""
    cr = env.cr
    cr.execute(SQL("SAVEPOINT bench_lists"))
    try:
        with frozen_today(env, today):
            rep, leader = create_list_fixtures(env, today)
            my_list = open_list(env, rep, "crm_sales_target.sales_target_action_my", runs, today)
            team_list = open_list(env, leader, "crm_sales_target.sales_target_action", runs, today)
    finally:
        cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_lists"))
        env.clear()
        env.registry.clear_all_caches()
    return rep, leader, my_list, team_list
