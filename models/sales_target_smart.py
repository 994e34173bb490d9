"""SMART checklist of a plan (handbook 3.1): specific, measurable, achievable, relevant and
time-bound, each item with the figures behind it, filled from its targets and the
feasibility checks (``tools.feasibility.smart``)."""

from odoo import api, fields, models

from ..tools import dimensions, feasibility
from .sales_target_feasibility_inputs import match_segment

SMART_ITEMS = ("specific", "measurable", "achievable", "relevant", "time_bound")
#: the mean feasibility score from which a plan is achievable
ACHIEVABLE_SCORE = 60


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    smart_specific = fields.Boolean("Specific", compute="_compute_smart")
    smart_specific_reason = fields.Char("Specific: why", compute="_compute_smart")
    smart_measurable = fields.Boolean("Measurable", compute="_compute_smart")
    smart_measurable_reason = fields.Char("Measurable: why", compute="_compute_smart")
    smart_achievable = fields.Boolean("Achievable", compute="_compute_smart")
    smart_achievable_reason = fields.Char("Achievable: why", compute="_compute_smart")
    smart_relevant = fields.Boolean("Relevant", compute="_compute_smart")
    smart_relevant_reason = fields.Char("Relevant: why", compute="_compute_smart")
    smart_time_bound = fields.Boolean("Time-bound", compute="_compute_smart")
    smart_time_bound_reason = fields.Char("Time-bound: why", compute="_compute_smart")
    low_feasibility_count = fields.Integer("Low feasibility", compute="_compute_smart")

    @api.depends("target_ids.feasibility_score", "market_segment_ids", "date_from", "date_to")
    def _compute_smart(self):
        stats = self._smart_stats()
        for plan in self:
            entry = stats[plan.id]
            items = feasibility.smart(entry, threshold=ACHIEVABLE_SCORE)
            plan.low_feasibility_count = entry["low"]
            for item in SMART_ITEMS:
                ok, data = items[item]
                plan[f"smart_{item}"] = ok
                plan[f"smart_{item}_reason"] = plan._smart_text(item, data)

    def _smart_stats(self):
        """``{plan id: counts over its targets}`` (see ``tools.feasibility.smart``), a few
        grouped reads for all plans of ``self``."""
        Target = self.env["sales.target"]
        ids = self._origin.ids
        stats = {plan.id: {"targets": 0, "no_dimension": 0, "no_value": 0, "scored": 0, "mean_score": None,
                           "unrelated": 0, "segments": len(plan.market_segment_ids), "low": 0,
                           "dated": bool(plan.date_from and plan.date_to)} for plan in self}
        origin = {plan._origin.id: plan.id for plan in self}
        if not ids:
            return stats

        def count(domain, key):
            for plan, n in Target._read_group([("plan_id", "in", ids), *domain], ["plan_id"], ["__count"]):
                stats[origin[plan.id]][key] = n
        count([], "targets")
        count([(fname, "=", False) for fname in dimensions.TARGET_FIELDS], "no_dimension")
        count([("target_value", "=", 0)], "no_value")
        count([("feasibility_level", "=", "low")], "low")
        for plan, n, mean in Target._read_group([("plan_id", "in", ids), ("feasibility_date", "!=", False)],
                                                ["plan_id"], ["__count", "feasibility_score:avg"]):
            stats[origin[plan.id]].update(scored=n, mean_score=mean)
        segments = self.env["sales.target.market.segment"].search([("plan_id", "in", ids)])
        for plan, region, categ, n in Target._read_group(
                [("plan_id", "in", ids), "|", ("region_id", "!=", False), ("product_categ_id", "!=", False)],
                ["plan_id", "region_id", "product_categ_id"], ["__count"]):
            if not match_segment(segments, plan, region, categ):
                stats[origin[plan.id]]["unrelated"] += n
        return stats

    def _smart_text(self, item, data):
        _ = self.env._
        case = data["case"]
        if case == "specific":
            if not data["targets"]:
                return _("The plan has no target yet.")
            return (_("%(count)s of %(targets)s targets name no salesperson, team, product, region or customer.",
                      count=data["count"], targets=data["targets"]) if data["count"]
                    else _("Every target names who or what it is for."))
        if case == "measurable":
            if not data["targets"]:
                return _("The plan has no target yet.")
            return (_("%(count)s of %(targets)s targets have no value.", count=data["count"], targets=data["targets"])
                    if data["count"] else _("Every target has a KPI measured from the documents, a value and a "
                                            "period."))
        if case == "unscored":
            return _("Feasibility not computed yet: use Compute Feasibility.")
        if case == "achievable":
            return _("Mean feasibility %(mean)s over %(scored)s targets, against %(threshold)s required.",
                     mean=format(data["mean"], ".1f"), scored=data["scored"], threshold=data["threshold"])
        if case == "no_segment":
            return _("No market segment in the Market tab: the targets are not tied to a market analysis.")
        if case == "relevant":
            return (_("%(count)s region or category targets fall in no market segment of the plan.",
                      count=data["count"]) if data["count"]
                    else _("Every region and category target falls in a market segment (%(segments)s segments).",
                           segments=data["segments"]))
        if self.date_from and self.date_to:
            return _("From %(start)s to %(end)s; every target lies within.", start=self.date_from, end=self.date_to)
        return _("The plan has no period.")
