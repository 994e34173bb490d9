"""The customer's classification where leads and targets are listed: filters and group-bys.

Related fields read the classification of the company the user works in (it is stored per
company on the partner); Odoo 18 groups by such related fields in SQL.
"""

from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    sales_target_customer_type = fields.Selection(
        string="Customer Type", related="partner_id.commercial_partner_id.sales_target_customer_type")
    sales_target_value_tier = fields.Selection(
        string="Value Tier", related="partner_id.commercial_partner_id.sales_target_value_tier")
    sales_target_industry_id = fields.Many2one(
        "res.partner.industry", string="Customer Industry", related="partner_id.commercial_partner_id.industry_id")
    sales_target_region_id = fields.Many2one(
        "sales.target.region", string="Sales Region", related="partner_id.commercial_partner_id.sales_target_region_id")


class SalesTarget(models.Model):
    _inherit = "sales.target"

    partner_customer_type = fields.Selection(
        string="Customer's Type", related="partner_id.commercial_partner_id.sales_target_customer_type",
        help="The classification of the target's customer today (the customer type of the target is a filter "
             "of what it measures).")
    partner_value_tier = fields.Selection(
        string="Customer's Value Tier", related="partner_id.commercial_partner_id.sales_target_value_tier")
    partner_industry_id = fields.Many2one(
        "res.partner.industry", string="Customer's Industry", related="partner_id.commercial_partner_id.industry_id")
