from odoo import api, fields, models

from ..tools import dimensions


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_target_ids = fields.One2many("sales.target", "team_id", string="Sales Targets",
                                       groups="crm_sales_target.crm_sales_target_group_user")
    current_sales_target_ids = fields.Many2many(
        "sales.target", string="Current Targets", compute="_compute_current_sales_targets",
        help="Targets of the team running today in published plans.",
        groups="crm_sales_target.crm_sales_target_group_user")
    current_target_attainment = fields.Float(
        "Current attainment (%)", compute="_compute_current_sales_targets",
        help="Attainment of the team's own current target (without salesperson), the first by KPI order.",
        groups="crm_sales_target.crm_sales_target_group_user")

    invoiced_target_from_sales_target = fields.Boolean(
        "Invoicing target fed by sales targets", readonly=True, copy=False,
        help="The invoicing target of this team is this month's invoiced-revenue sales target; it is reset "
             "once no such target runs.")

    def _current_target_domain(self):
        today = fields.Date.context_today(self)
        return [("team_id", "in", self.ids), ("plan_id.state", "=", "published"),
                ("date_from", "<=", today), ("date_to", ">=", today)]

    def _compute_current_sales_targets(self):
        targets = self.env["sales.target"].search(self._current_target_domain())
        by_team = {}
        for target in targets:
            by_team.setdefault(target.team_id.id, self.env["sales.target"])
            by_team[target.team_id.id] |= target
        for team in self:
            mine = by_team.get(team.id, self.env["sales.target"])
            team.current_sales_target_ids = mine
            own = mine.filtered(lambda t: not t.user_id).sorted(lambda t: (t.kpi_id.sequence, t.kpi_id.id))
            team.current_target_attainment = own[:1].attainment

    @api.model
    def _sync_invoiced_target(self):
        """Feed Odoo's own team progress bar (``invoiced_target``, this month's invoicing) from
        each team's current monthly invoiced-revenue target, instead of drawing a second bar."""
        kpis = self.env["sales.target.kpi"].search(
            [("measure", "=", "invoiced_revenue"), ("domain", "in", (False, "", "[]"))])
        # this month in each company's time zone, as the targets count it
        months = []
        for company in self.env["res.company"].search([]):
            today = company._sales_target_today()
            months += ["&", "&", ("company_id", "=", company.id), ("date_from", "=", today.replace(day=1)),
                       ("date_to", "=", fields.Date.end_of(today, "month"))]
        months = ["|"] * (len(months) // 5 - 1) + months
        groups = self.env["sales.target"]._read_group(
            [("kpi_id", "in", kpis.ids), ("team_id", "!=", False), ("user_id", "=", False),
             ("plan_id.state", "=", "published"), *months,
             # the team's own target: no salesperson nor any other dimension
             *[(fname, "=", False) for fname in dimensions.TARGET_FIELDS if fname not in ("team_id", "user_id")]],
            ["team_id"], ["target_value:sum"])
        fed = self.env["crm.team"]
        for team, value in groups:
            fed |= team
            if round(team.invoiced_target) != round(value) or not team.invoiced_target_from_sales_target:
                team.write({"invoiced_target": value, "invoiced_target_from_sales_target": True})
        # a bar fed last month by a target that no longer runs would show a stale goal
        stale = self.search([("invoiced_target_from_sales_target", "=", True), ("id", "not in", fed.ids)])
        stale.write({"invoiced_target": 0.0, "invoiced_target_from_sales_target": False})
