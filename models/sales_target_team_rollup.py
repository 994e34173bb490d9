"""Roll-up of a team's targets: for each plan, KPI and period, the targets and actuals of the
team and of every team under it (handbook 6.1), read in one query."""

from odoo import fields, models
from odoo.tools import SQL

from ..tools import pacing


class SalesTargetTeamRollup(models.Model):
    _name = "sales.target.team.rollup"
    _description = "Sales Target Roll-up per Team"
    _auto = False
    _order = "date_from desc, kpi_id, plan_id, id"
    _rec_name = "team_id"

    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    plan_id = fields.Many2one("sales.target.plan", string="Plan", readonly=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date("Start", readonly=True)
    date_to = fields.Date("End", readonly=True)
    target_value = fields.Monetary("Target", currency_field="currency_id", readonly=True)
    actual_value = fields.Monetary("Actual", currency_field="currency_id", readonly=True)
    attainment = fields.Float("Attainment (%)", compute="_compute_attainment")
    target_count = fields.Integer("Targets", readonly=True, help="Targets added up (leaf targets only).")
    team_count = fields.Integer("Teams", readonly=True, help="Teams whose targets are added up.")

    def _compute_attainment(self):
        for row in self:
            row.attainment = pacing.attainment(row.actual_value, row.target_value, row.kpi_id.direction)

    @property
    def _table_query(self):
        # Each team with all its descendants (UNION stops on a cycle, which the parent
        # constraint refuses anyway); only leaf targets count, so that a team target and the
        # salesperson targets it was split into are not added twice; never two KPIs, plans or
        # periods together; ratio KPIs ("average" roll-up) are averaged, not added.
        return SQL("""
            WITH RECURSIVE tree(ancestor_id, team_id) AS (
                SELECT id, id FROM crm_team
                 UNION
                SELECT tree.ancestor_id, child.id FROM crm_team child JOIN tree ON child.parent_id = tree.team_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY tree.ancestor_id, t.plan_id, t.kpi_id, t.date_from, t.date_to) AS id,
                   tree.ancestor_id AS team_id, t.company_id, t.plan_id, t.kpi_id, t.date_from, t.date_to,
                   MAX(t.currency_id) AS currency_id,
                   CASE WHEN k.rollup = 'average' THEN AVG(t.target_value) ELSE SUM(t.target_value) END AS target_value,
                   CASE WHEN k.rollup = 'average' THEN AVG(t.actual_value) ELSE SUM(t.actual_value) END AS actual_value,
                   COUNT(*) AS target_count, COUNT(DISTINCT t.team_id) AS team_count
              FROM tree
              JOIN sales_target t ON t.team_id = tree.team_id
              JOIN sales_target_kpi k ON k.id = t.kpi_id
             WHERE NOT EXISTS (SELECT 1 FROM sales_target c WHERE c.parent_id = t.id)
             GROUP BY tree.ancestor_id, t.company_id, t.plan_id, t.kpi_id, k.rollup, t.date_from, t.date_to
        """)
