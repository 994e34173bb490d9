from odoo import fields, models

from .sales_target_pipeline import OTHER_DIMENSIONS, REVENUE_MEASURES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_target_revenue_id = fields.Many2one(
        "sales.target", string="Current revenue target", compute="_compute_sales_target_pipeline_coverage",
        help="The team's own target (no salesperson) of ordered, else won, else invoiced revenue running today "
             "in a published plan, the shortest first.",
        groups="crm_sales_target.crm_sales_target_group_user")
    sales_target_currency_id = fields.Many2one(
        "res.currency", "Target currency", compute="_compute_sales_target_pipeline_coverage",
        groups="crm_sales_target.crm_sales_target_group_user")
    sales_target_gap = fields.Monetary(
        "Remaining gap", currency_field="sales_target_currency_id",
        compute="_compute_sales_target_pipeline_coverage",
        groups="crm_sales_target.crm_sales_target_group_user")
    sales_target_pipeline_weighted = fields.Monetary(
        "Weighted open pipeline", currency_field="sales_target_currency_id",
        compute="_compute_sales_target_pipeline_coverage",
        groups="crm_sales_target.crm_sales_target_group_user")
    sales_target_pipeline_coverage = fields.Float(
        "Pipeline coverage (%)", compute="_compute_sales_target_pipeline_coverage",
        help="Weighted open pipeline of the team in percent of the remaining gap of its current revenue target.",
        groups="crm_sales_target.crm_sales_target_group_user")

    def _compute_sales_target_pipeline_coverage(self):
        Target = self.env["sales.target"]
        targets = Target.browse()
        if self.ids:
            days = {company: company._sales_target_today() for company in self.company_id}
            first, last = (min(days.values()), max(days.values())) if days else (fields.Date.context_today(self),) * 2
            targets = Target.search([
                ("team_id", "in", self.ids), ("user_id", "=", False), ("plan_id.state", "=", "published"),
                ("date_from", "<=", last), ("date_to", ">=", first),
                ("kpi_id.unit", "=", "currency"), ("kpi_id.measure", "in", REVENUE_MEASURES),
                ("kpi_id.domain", "in", (False, "", "[]")), *[(f, "=", False) for f in OTHER_DIMENSIONS]])
            # today in each company's time zone
            targets = targets.filtered(lambda t: t.date_from <= days.get(t.company_id, first) <= t.date_to)
        rank = {measure: i for i, measure in enumerate(REVENUE_MEASURES)}
        best = {}
        for target in targets.sorted(lambda t: (rank[t.kpi_id.measure], t.date_to - t.date_from, t.id),
                                     reverse=True):
            best[target.team_id.id] = target  # the last written is the first in order
        for team in self:
            target = best.get(team.id, Target)
            team.sales_target_revenue_id = target
            team.sales_target_currency_id = target.currency_id or team.company_id.currency_id
            team.sales_target_gap = target.gap_value
            team.sales_target_pipeline_weighted = target.pipeline_weighted
            team.sales_target_pipeline_coverage = target.pipeline_coverage
