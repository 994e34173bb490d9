"""Team structure (handbook 6.1): teams in levels (company, region, front-line team) under a
parent team, and the role of each member, which weighs their capacity."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TEAM_LEVELS = [("company", "Company"), ("region", "Region"), ("team", "Front-line team")]
MEMBER_ROLES = [("senior", "Senior"), ("junior", "Junior"), ("key_account", "Key account"), ("other", "Other")]
#: role -> company field holding its capacity weight
ROLE_WEIGHT_FIELDS = {
    "senior": "sales_target_weight_senior", "junior": "sales_target_weight_junior",
    "key_account": "sales_target_weight_key_account", "other": "sales_target_weight_other",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    sales_target_score_cap = fields.Float(
        "Score cap (%)", default=120.0,
        help="Attainment counted at most in a scorecard line, unless the line sets its own cap: "
             "a KPI far above target does not hide the others.")
    sales_target_weight_senior = fields.Float(
        "Capacity of a senior", default=1.2, help="Capacity of a senior salesperson, against 1 for a regular one.")
    sales_target_weight_junior = fields.Float(
        "Capacity of a junior", default=0.6, help="Capacity of a junior salesperson, against 1 for a regular one.")
    sales_target_weight_key_account = fields.Float(
        "Capacity of a key account manager", default=1.0,
        help="Capacity of a key account manager, against 1 for a regular salesperson.")
    sales_target_weight_other = fields.Float(
        "Capacity of other members", default=1.0,
        help="Capacity of a member without a particular role, against 1 for a regular salesperson.")

    @api.constrains("sales_target_score_cap", *ROLE_WEIGHT_FIELDS.values())
    def _check_sales_target_team_settings(self):
        for company in self:
            if company.sales_target_score_cap < 100.0:
                raise ValidationError(self.env._(
                    "Score cap of %(company)s: it must be at least 100 %%.", company=company.name))
            if any(company[fname] < 0 for fname in ROLE_WEIGHT_FIELDS.values()):
                raise ValidationError(self.env._(
                    "Capacity of the member roles of %(company)s: a capacity must not be negative.",
                    company=company.name))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_target_score_cap = fields.Float(related="company_id.sales_target_score_cap", readonly=False)
    sales_target_weight_senior = fields.Float(related="company_id.sales_target_weight_senior", readonly=False)
    sales_target_weight_junior = fields.Float(related="company_id.sales_target_weight_junior", readonly=False)
    sales_target_weight_key_account = fields.Float(
        related="company_id.sales_target_weight_key_account", readonly=False)
    sales_target_weight_other = fields.Float(related="company_id.sales_target_weight_other", readonly=False)


class CrmTeam(models.Model):
    _inherit = "crm.team"

    parent_id = fields.Many2one(
        "crm.team", string="Parent Team", index="btree_not_null", check_company=True, ondelete="restrict",
        help="The team this one reports to: a front-line team to its region, a region to the company.")
    child_ids = fields.One2many("crm.team", "parent_id", string="Sub-teams")
    level = fields.Selection(TEAM_LEVELS, required=True, default="team",
                             help="Where the team stands in the sales organisation (handbook 6.1).")
    sales_target_rollup_ids = fields.One2many(
        "sales.target.team.rollup", "team_id", string="Team Roll-up",
        groups="crm_sales_target.crm_sales_target_group_user",
        help="Per plan, KPI and period: the targets and actuals of this team and of all its sub-teams.")

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._(
                "Parent Team: a team cannot report to itself or to one of its own sub-teams."))
        for team in self:
            if team.parent_id and team.parent_id.company_id != team.company_id:
                raise ValidationError(self.env._(
                    "Parent Team of %(team)s: %(parent)s belongs to another company.",
                    team=team.name, parent=team.parent_id.name))


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    role = fields.Selection(MEMBER_ROLES, default="other", required=True,
                            help="The member's role in the team; it weighs their capacity when targets are "
                                 "shared by capacity (see the company's settings).")

    def _capacity_weight(self):
        """The capacity of this member relative to a regular salesperson (1.0), from their
        role and their team's company settings (senior 1.2, junior 0.6, others 1.0 by default)."""
        self.ensure_one()
        company = self.crm_team_id.company_id or self.env.company
        return company[ROLE_WEIGHT_FIELDS[self.role or "other"]]
