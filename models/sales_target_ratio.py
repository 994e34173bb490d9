"""Ratio actuals and traffic lights on targets.

A ratio KPI's target keeps its measured numerator and denominator: a parent, and any group
in a list, pivot or graph, is measured from their sums, never by averaging the percentages
of its members. The traffic light reads the attainment against the KPI's thresholds, kept
by the pacing compute and by the refresh alike.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import pacing
from . import measures

TRAFFIC_LIGHTS = [("good", "Green"), ("warning", "Amber"), ("bad", "Red")]


class SalesTarget(models.Model):
    _inherit = "sales.target"

    actual_numerator = fields.Float(
        "Actual numerator", readonly=True, copy=False,
        help="For ratio KPIs: the measured numerator (e.g. opportunities won); the actual is the numerator "
             "over the denominator. Groups of targets add numerators and denominators up.")
    actual_denominator = fields.Float(
        "Actual denominator", readonly=True, copy=False,
        help="For ratio KPIs: the measured denominator (e.g. opportunities closed).")
    traffic_light = fields.Selection(
        # not indexed: the refresh rewrites it, and an index on it would stop PostgreSQL from
        # updating the row in place (HOT) whenever the light changes
        TRAFFIC_LIGHTS, compute="_compute_pacing", store=True,
        help="Attainment against the KPI's thresholds: green from \"Good from\", red below \"Bad below\", "
             "amber in between; empty until the period starts.")

    @api.depends("kpi_id.threshold_good", "kpi_id.threshold_bad")
    def _compute_pacing(self):
        res = super()._compute_pacing()
        todays = {company.id: company._sales_target_today() for company in self.company_id}
        thresholds = {kpi.id: (kpi.threshold_good, kpi.threshold_bad) for kpi in self.kpi_id}
        ratios = {kpi.id for kpi in self.kpi_id
                  if kpi.measure in measures.MEASURES and measures.get(kpi.measure).ratio}
        companies = {company.id: (company.sales_target_on_track_threshold, company.sales_target_at_risk_threshold)
                     for company in self.company_id}
        rates, rate_values, lights = [], [], []
        for target in self:
            today = todays.get(target.company_id.id) or fields.Date.context_today(self)
            if target.kpi_id.id in ratios and target.date_from and target.date_to:
                # a rate does not accumulate: its target is expected all along (as the refresh has it)
                on_track, at_risk = companies.get(target.company_id.id, (0.0, 0.0))
                rates.append(target)
                # an empty denominator measures nothing: no figure, no light (as the refresh has it)
                measured = bool(target.actual_denominator)
                rate_values.append(pacing.evaluate_rate(
                    target.actual_value, target.target_value, target.date_from, target.date_to, today,
                    direction=target.kpi_id.direction or "higher", on_track_pct=on_track, at_risk_pct=at_risk,
                    measured=measured))
                attainment = rate_values[-1]["attainment"]
                if not measured:
                    lights.append({"traffic_light": False})
                    continue
            elif target.date_to:
                attainment = pacing.light_attainment(target.actual_value, target.target_value, target.expected_value,
                                                     target.date_to, today, target.kpi_id.direction or "higher")
            else:
                attainment = target.attainment
            good, bad = thresholds.get(target.kpi_id.id, (100.0, 80.0))
            started = bool(target.date_from) and today >= target.date_from
            lights.append({"traffic_light": pacing.traffic_light(attainment, good, bad, started) or False})
        if rates:
            self._assign_grouped(rates, rate_values)
        self._assign_grouped(self, lights)
        return res

    # ------------------------------------------------------------------ grouped reads
    def _read_group_select(self, aggregate_spec, query):
        """Groups of one ratio KPI add numerators and denominators up (``actual_value:sum``);
        the attainment of a group of one KPI is that of its total actual against its total
        target (``attainment:avg``), as a parent's would be; 0 for a ratio group whose summed
        denominator is empty (not measured, see ``pacing.evaluate_rate``). Groups mixing KPIs
        keep the sum and the average."""
        if aggregate_spec not in ("actual_value:sum", "attainment:avg"):
            return super()._read_group_select(aggregate_spec, query)
        default = super()._read_group_select(aggregate_spec, query)
        column = {fname: self._field_to_sql(self._table, fname, query)
                  for fname in ("actual_value", "target_value", "actual_numerator", "actual_denominator")}
        kpi = query.left_join(self._table, "kpi_id", "sales_target_kpi", "id", "kpi_id")
        scales = [(key, m.scale) for key, m in measures.MEASURES.items() if m.ratio]
        scale = SQL("MAX(CASE %s %s ELSE 0 END)", SQL.identifier(kpi, "measure"), SQL(" ").join(
            SQL("WHEN %s THEN %s", key, value) for key, value in scales)) if scales else SQL("0")
        single = SQL("COUNT(DISTINCT %s) = 1", SQL.identifier(self._table, "kpi_id"))
        actual = SQL(
            "(CASE WHEN %(single)s AND %(scale)s > 0"
            " THEN COALESCE(SUM(%(num)s) / NULLIF(SUM(%(den)s), 0), 0) * %(scale)s"
            " ELSE SUM(%(actual)s) END)",
            single=single, scale=scale, num=column["actual_numerator"], den=column["actual_denominator"],
            actual=column["actual_value"])
        if aggregate_spec == "actual_value:sum":
            return actual
        # the group's target: the average of a ratio KPI's targets (as its roll-up), else their sum
        target = SQL("(CASE WHEN %s > 0 THEN AVG(%s) ELSE SUM(%s) END)", scale, column["target_value"],
                     column["target_value"])
        # as tools.pacing.attainment, on the group's totals
        return SQL(
            """CASE WHEN NOT %(single)s THEN %(default)s
                    WHEN %(scale)s > 0 AND COALESCE(SUM(%(den)s), 0) = 0 THEN 0
                    WHEN MAX(%(direction)s) = 'lower' THEN
                         CASE WHEN %(actual)s > 0 THEN %(target)s / %(actual)s * 100 ELSE 100 END
                    WHEN %(target)s > 0 THEN %(actual)s / %(target)s * 100
                    WHEN %(actual)s >= 0 THEN 100 ELSE 0 END""",
            single=single, default=default, direction=SQL.identifier(kpi, "direction"), actual=actual,
            target=target, scale=scale, den=column["actual_denominator"])
