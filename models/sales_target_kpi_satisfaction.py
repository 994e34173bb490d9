"""KPIs of the satisfaction and loyalty measures: a unit for scores (CSAT 1-5, NPS -100 to
+100), which are neither amounts nor percentages."""

from odoo import fields, models
from odoo.exceptions import UserError

from . import measures_loyalty, measures_satisfaction  # noqa: F401  (register the measures)

#: the measures of customer satisfaction, whose KPIs improvement plans aim at (handbook 9.3)
SATISFACTION_MEASURES = ("avg_csat", "nps", "complaint_count", "complaint_rate", "resolution_median")


class SalesTargetKpi(models.Model):
    _inherit = "sales.target.kpi"

    unit = fields.Selection(selection_add=[("score", "Score")], ondelete={"score": "cascade"})
    is_satisfaction = fields.Boolean(
        "Satisfaction KPI", compute="_compute_is_satisfaction", search="_search_is_satisfaction",
        help="Measures customer satisfaction or complaints (handbook 9): the KPIs improvement plans aim at.")

    def _compute_is_satisfaction(self):
        for kpi in self:
            kpi.is_satisfaction = kpi.measure in SATISFACTION_MEASURES

    def _search_is_satisfaction(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Satisfaction KPI: only = True and = False can be searched."))
        positive = (operator == "=") == value
        return [("measure", "in" if positive else "not in", SATISFACTION_MEASURES)]
