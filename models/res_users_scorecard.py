from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_target_scorecard_ids = fields.One2many(
        "sales.target.scorecard", "user_id", string="Scorecards",
        groups="crm_sales_target.crm_sales_target_group_user")
    sales_target_assessment_ids = fields.One2many(
        "sales.target.assessment", "user_id", string="Assessments",
        groups="crm_sales_target.crm_sales_target_group_user")
