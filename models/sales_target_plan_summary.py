"""A plan at a glance: its leaf targets by team, salesperson and KPI, with totals per KPI.

Totals add up one KPI at a time and only leaf targets (a parent's sub-targets already count
it); ratio KPIs take the average of their targets and the rate of their summed numerators
and denominators (``sales.target._read_group_select``).
"""

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.tools.misc import formatLang


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    target_summary = fields.Html(
        "Targets by team", compute="_compute_target_summary", sanitize=False,
        help="The plan's leaf targets by team, salesperson and KPI, with the totals of each KPI.")

    def _summary_groups(self, groupby):
        """``{(groupby values..., kpi): (target, actual, attainment)}`` of this plan's leaf targets."""
        Target = self.env["sales.target"]
        result = {}
        for *keys, kpi, target_sum, target_avg, actual, attainment in Target._read_group(
                [("plan_id", "=", self.id), ("child_ids", "=", False)], [*groupby, "kpi_id"],
                ["target_value:sum", "target_value:avg", "actual_value:sum", "attainment:avg"]):
            target = target_avg if kpi.rollup == "average" else target_sum
            result[(*keys, kpi)] = (target, actual, attainment)
        return result

    def _summary_amount(self, kpi, value):
        if kpi.unit == "currency":
            return formatLang(self.env, value, currency_obj=self.currency_id)
        text = formatLang(self.env, value, digits=0 if kpi.unit == "count" else 2)
        return f"{text} %" if kpi.unit == "percent" else text

    def _summary_row(self, label, kpi, figures, level):
        target, actual, attainment = figures
        classes = {0: "table-active fw-bold", 1: "fw-bold", 2: ""}[level]
        indent = {0: 0, 1: 1, 2: 2}[level]
        return Markup(
            '<tr class="%s"><td style="padding-left: %sem">%s</td><td>%s</td>'
            '<td class="text-end">%s</td><td class="text-end">%s</td><td class="text-end">%s %%</td></tr>'
        ) % (classes, 0.5 + indent, label, kpi.display_name, self._summary_amount(kpi, target),
             self._summary_amount(kpi, actual), formatLang(self.env, attainment, digits=0))

    @staticmethod
    def _kpi_order(kpi):
        return kpi.sequence, kpi.id

    def _compute_target_summary(self):
        for plan in self:
            if not plan.id:
                plan.target_summary = False
                continue
            by_user = plan._summary_groups(["team_id", "user_id"])
            if not by_user:
                plan.target_summary = False
                continue
            by_team = plan._summary_groups(["team_id"])
            by_kpi = plan._summary_groups([])
            no_team, no_user = self.env._("No team"), self.env._("Team target")
            rows = []
            teams = sorted({team for team, _kpi in by_team}, key=lambda t: (not t, t.display_name or ""))
            for team in teams:
                for kpi in sorted((k for t, k in by_team if t == team), key=self._kpi_order):
                    rows.append(plan._summary_row(escape(team.display_name or no_team), kpi, by_team[(team, kpi)], 1))
                    users = sorted((u for t, u, k in by_user if t == team and k == kpi),
                                   key=lambda u: (bool(u), u.display_name or ""))
                    if users == [self.env["res.users"]]:
                        continue  # the team's own target alone: already the team's line
                    for user in users:
                        rows.append(plan._summary_row(escape(user.display_name or no_user), kpi,
                                                      by_user[(team, user, kpi)], 2))
            for kpi in sorted((k for (k,) in by_kpi), key=self._kpi_order):
                rows.append(plan._summary_row(escape(self.env._("Total")), kpi, by_kpi[(kpi,)], 0))
            head = Markup(
                '<table class="table table-sm o_cst_plan_summary"><thead><tr><th>%s</th><th>%s</th>'
                '<th class="text-end">%s</th><th class="text-end">%s</th><th class="text-end">%s</th>'
                "</tr></thead><tbody>"
            ) % (self.env._("Team / Salesperson"), self.env._("KPI"), self.env._("Target"), self.env._("Actual"),
                 self.env._("Attainment"))
            plan.target_summary = head + Markup("").join(rows) + Markup("</tbody></table>")

    def action_view_targets(self):
        # one KPI per group and leaf targets: the totals never add KPIs, nor parents to children
        action = super().action_view_targets()
        action["context"] = {**action["context"], "search_default_leaf": 1, "search_default_groupby_kpi": 1}
        return action

    def action_view_at_risk(self):
        # a parent at risk is worth seeing too
        action = super().action_view_at_risk()
        action["context"].pop("search_default_leaf", None)
        return action

    def action_view_targets_by_team(self):
        """The plan's leaf targets grouped by team, salesperson and KPI."""
        action = self.action_view_targets()
        action["context"] = {"default_plan_id": self.id, "search_default_leaf": 1,
                             "group_by": ["team_id", "user_id", "kpi_id"]}
        return action
