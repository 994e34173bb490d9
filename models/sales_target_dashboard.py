"""The targets dashboard's figures, and the titles of targets by calendar period.

One read-only method gathers everything the dashboard (static/src/dashboard) draws, with the
user's own rights: the record rules decide which targets are counted. Figures of one KPI
only are added up, and only leaf targets (a parent would count its sub-targets twice); the
attainment of a group is that of its summed actual against its summed target, ratio KPIs
from their summed numerators and denominators (``_read_group_select``).
"""

import babel.dates

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse, format_date, get_lang

from ..tools import dashboard, pacing

#: LDML skeletons of the titles of whole calendar periods ("Jan 2026", "Q1 2026", "2026")
PERIOD_SKELETONS = {"month": "yMMM", "quarter": "yQQQ", "year": "y"}
AT_RISK = ("at_risk", "off_track")


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _period_label(self, date_from=None, date_to=None):
        """The period of this target (or ``date_from → date_to``) in the user's language: a
        whole calendar month, quarter or year by its name, else both dates in the user's
        date format."""
        date_from = date_from or self.date_from
        date_to = date_to or self.date_to
        kind = dashboard.period_kind(date_from, date_to)
        if kind:
            locale = babel_locale_parse(get_lang(self.env).code)
            return babel.dates.format_skeleton(PERIOD_SKELETONS[kind], date_from, locale=locale)
        return f"{format_date(self.env, date_from)} → {format_date(self.env, date_to)}"

    # ------------------------------------------------------------------ dashboard
    @api.model
    @api.readonly
    def get_dashboard_data(self, filters=None):
        """Everything the targets dashboard shows, for ``filters`` ``{"plan_id", "kpi_id",
        "period"}`` (each optional; period: month, quarter or year, around today).

        Writes nothing (``api.readonly``: served by a read replica where one is configured).
        Queries: a handful of grouped reads, whatever the number of targets.
        """
        self.check_access("read")
        filters = filters or {}
        company = self.env.company
        today = company._sales_target_today()
        period = filters.get("period") if filters.get("period") in dashboard.PERIOD_KINDS else "month"
        plans = self.env["sales.target.plan"].search([("company_id", "=", company.id),
                                                      ("state", "!=", "cancelled")])
        plan = plans.filtered(lambda p: p.id == filters.get("plan_id"))
        scope = [("company_id", "=", company.id)]
        scope += [("plan_id", "=", plan.id)] if plan else [("plan_state", "in", ("published", "closed"))]
        year_from, year_to = (plan.date_from, plan.date_to) if plan else dashboard.period_bounds(today, "year")

        # the KPIs that have targets in the scope this year, in the KPIs' order
        kpis = self.env["sales.target.kpi"].browse(
            kpi.id for [kpi] in self._read_group(
                scope + [("date_from", "<=", year_to), ("date_to", ">=", year_from)], ["kpi_id"]))
        kpis = kpis.sorted(lambda k: (k.sequence, k.id))
        kpi = kpis.filtered(lambda k: k.id == filters.get("kpi_id")) or kpis[:1]
        data = {
            "filters": {"plan_id": plan.id or False, "kpi_id": kpi.id or False, "period": period},
            "plans": [{"id": p.id, "name": p.display_name} for p in plans],
            "kpis": [{"id": k.id, "name": k.display_name} for k in kpis],
            "today": fields.Date.to_string(today),
            "kpi": False, "periods": [], "teams": [], "users": [], "leaderboard": [], "at_risk": [],
            "chart": {"labels": [], "target": [], "actual": [], "cumulative": True},
        }
        if not kpi:
            return data
        data["kpi"] = {
            "id": kpi.id, "name": kpi.display_name, "unit": kpi.unit, "direction": kpi.direction or "higher",
            "rollup": kpi.rollup, "currency_id": company.currency_id.id if kpi.unit == "currency" else False,
        }
        scope += [("kpi_id", "=", kpi.id)]
        leaves = scope + [("child_ids", "=", False)]
        aggregates = ["target_value:avg" if kpi.rollup == "average" else "target_value:sum",
                      "actual_value:sum", "attainment:avg",
                      "expected_value:avg" if kpi.rollup == "average" else "expected_value:sum", "__count"]

        bounds = {kind: dashboard.period_bounds(today, kind) for kind in dashboard.PERIOD_KINDS}
        data["periods"] = [{"key": kind, "label": self._period_label(*bounds[kind])}
                           for kind in dashboard.PERIOD_KINDS]
        for dimension, key in (("team_id", "teams"), ("user_id", "users")):
            rows = {}
            for kind, (start, end) in bounds.items():
                for record, target, actual, attainment, expected, count in self._read_group(
                        leaves + [(dimension, "!=", False), ("date_from", ">=", start), ("date_to", "<=", end)],
                        [dimension], aggregates):
                    row = rows.setdefault(record.id, {"id": record.id, "name": record.display_name})
                    # the colour reads the pace while the period runs, as the targets' traffic lights
                    paced = pacing.light_attainment(actual, target, expected, end, today, kpi.direction or "higher")
                    row[kind] = {"target": target, "actual": actual, "attainment": attainment, "count": count,
                                 "light": kpi._traffic_light(paced)}
            data[key] = sorted(rows.values(), key=lambda row: row["name"].lower())

        start, end = bounds[period]
        data["leaderboard"] = sorted(
            ({"id": row["id"], "name": row["name"], **row[period]} for row in data["users"] if period in row),
            key=lambda row: (-row["attainment"], -row["actual"], row["name"]))
        at_risk = self.search(scope + [("status", "in", AT_RISK), ("date_from", "<=", end), ("date_to", ">=", start)],
                              order="attainment, id", limit=20)
        statuses = dict(self._fields["status"]._description_selection(self.env))
        data["at_risk"] = [{
            "id": target.id, "name": target.display_name, "status": target.status,
            "status_label": statuses[target.status], "attainment": target.attainment,
            "target": target.target_value, "actual": target.actual_value,
        } for target in at_risk]
        data["chart"] = self._dashboard_chart(leaves, aggregates, kpi, year_from, year_to, today)
        return data

    @api.model
    def _dashboard_chart(self, leaves, aggregates, kpi, date_from, date_to, today):
        """Target and actual by month of the leaf targets starting from ``date_from`` to
        ``date_to``, cumulated for summed KPIs; no actual for the months to come."""
        by_month = {month: (target, actual) for month, target, actual, *_rest in self._read_group(
            leaves + [("date_from", ">=", date_from), ("date_from", "<=", date_to)],
            ["date_from:month"], aggregates)}
        months = dashboard.months(date_from, date_to)
        targets = [by_month.get(month, (0.0, 0.0))[0] for month in months]
        actuals = [by_month.get(month, (0.0, 0.0))[1] if month <= today else None for month in months]
        cumulative = kpi.rollup != "average"
        if cumulative:
            targets, actuals = dashboard.cumulate(targets), dashboard.cumulate(actuals)
        locale = babel_locale_parse(get_lang(self.env).code)
        return {
            "labels": [babel.dates.format_skeleton("MMM", month, locale=locale) for month in months],
            "target": targets, "actual": actuals, "cumulative": cumulative,
        }
