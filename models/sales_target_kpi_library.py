"""KPIs of the library's measures: ratios roll up as averages of their targets, measures
not available here are not offered, a measure's unit and direction are proposed."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import measures, measures_kpi  # noqa: F401  (registers the library's measures)


class SalesTargetKpi(models.Model):
    _inherit = "sales.target.kpi"

    unit = fields.Selection(selection_add=[("days", "Days")], ondelete={"days": "cascade"})
    is_ratio = fields.Boolean(
        "Ratio", compute="_compute_is_ratio",
        help="Measured as a numerator over a denominator: groups and parents are measured from their summed "
             "numerators and denominators, never by averaging their percentages.")

    @api.model
    def _selection_measure(self):
        return [(key, str(measure.label)) for key, measure in measures.MEASURES.items()
                if measure.available(self.env)]

    @api.depends("measure")
    def _compute_is_ratio(self):
        for kpi in self:
            kpi.is_ratio = bool(kpi.measure) and kpi.measure in measures.MEASURES and measures.get(kpi.measure).ratio

    @api.depends("measure")
    def _compute_rollup(self):
        res = super()._compute_rollup()
        for kpi in self:
            # a ratio's targets do not add up: their parent is compared with their average
            if kpi.measure in measures.MEASURES and measures.get(kpi.measure).ratio:
                kpi.rollup = "average"
        return res

    @api.onchange("measure")
    def _onchange_measure_direction(self):
        if self.measure in measures.MEASURES:
            self.direction = measures.get(self.measure).direction

    @api.constrains("measure", "rollup")
    def _check_ratio_rollup(self):
        for kpi in self:
            if kpi.rollup == "sum" and kpi.measure in measures.MEASURES and measures.get(kpi.measure).ratio:
                raise ValidationError(self.env._(
                    "Roll-up of KPI %(kpi)s: its measure %(measure)s is a ratio, whose sub-targets do not add "
                    "up; use the average.", kpi=kpi.name, measure=str(measures.get(kpi.measure).label)))
