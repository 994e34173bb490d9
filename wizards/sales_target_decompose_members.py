"""The parts a target splits into, one method per dimension of ``tools.dimensions``."""

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.sales_target_allocation import PERIOD_UNITS
from ..tools import periods


class SalesTargetDecomposeMembers(models.AbstractModel):
    _name = "sales.target.decompose.members"
    _description = "Parts of a decomposition"

    period_unit = fields.Selection(
        PERIOD_UNITS,
        string="Periods", default="month", required=True,
        help="Quarters follow the company's fiscal year.")
    user_ids = fields.Many2many("res.users", string="Salespeople",
                                help="Leave empty to use the members of each target's sales team.")
    team_ids = fields.Many2many("crm.team", string="Sales Teams", help="Leave empty to use every team of the company.")
    categ_ids = fields.Many2many("product.category", string="Product Categories",
                                 help="Leave empty to use the sub-categories of each target's category.")
    product_ids = fields.Many2many("product.product", string="Products")
    region_ids = fields.Many2many("sales.target.region", string="Regions",
                                  help="Leave empty to use every region of the company.")
    customer_types = fields.Selection(
        [("new_existing", "New and existing"), ("potential_existing", "Potential and existing")],
        default="new_existing", required=True,
        help="Potential customers are new customers already in the pipeline, so new and potential "
             "never split one target together.")

    def _members(self, dimension, target):
        """The parts ``target`` splits into along ``dimension`` (a ``tools.dimensions``
        entry): a list of dicts with a ``label`` and the sub-target ``vals`` they set."""
        return getattr(self, dimension.members)(target)

    def _members_period(self, target):
        if self.period_unit == "child_plans":
            spans = [(max(p.date_from, target.date_from), min(p.date_to, target.date_to), p)
                     for p in target.plan_id.child_ids.sorted("date_from")]
            return [{"label": p.name, "vals": {"date_from": a, "date_to": b, "plan_id": p.id}}
                    for a, b, p in spans if a <= b]
        fiscal = periods.company_fiscal_start(target.company_id)
        return [{"label": f"{a} → {b}", "vals": {"date_from": a, "date_to": b}}
                for a, b in periods.split(target.date_from, target.date_to, self.period_unit, fiscal)]

    def _members_user(self, target):
        _ = self.env._
        company = target.company_id
        users = self.user_ids or target.team_id.member_ids
        if not users:
            raise UserError(_(
                "Salespeople: target %(target)s has no sales team with members; choose the salespeople.",
                target=target.display_name))
        outsiders = users.filtered(lambda u: company not in u.company_ids)
        if outsiders:
            raise UserError(_(
                "Salespeople: %(users)s do not work for %(company)s.",
                users=", ".join(outsiders.mapped("name")), company=company.name))
        return [{"label": u.name, "vals": {"user_id": u.id}} for u in users]

    def _members_team(self, target):
        company = target.company_id
        teams = self.team_ids or self.env["crm.team"].search([("company_id", "in", (company.id, False))])
        outsiders = teams.filtered(lambda t: t.company_id and t.company_id != company)
        if outsiders:
            raise UserError(self.env._("Sales Teams: %(teams)s belong to another company.",
                                       teams=", ".join(outsiders.mapped("name"))))
        return [{"label": t.name, "vals": {"team_id": t.id}} for t in teams]

    def _members_product_categ(self, target):
        categs = self.categ_ids or self.env["product.category"].search(
            [("parent_id", "=", target.product_categ_id.id)])
        return [{"label": c.complete_name, "vals": {"product_categ_id": c.id}} for c in categs]

    def _members_product(self, target):
        return [{"label": p.display_name, "vals": {"product_id": p.id}} for p in self.product_ids]

    def _members_region(self, target):
        regions = self.region_ids or self.env["sales.target.region"].search(
            [("company_id", "in", (target.company_id.id, False))])
        return [{"label": r.name, "vals": {"region_id": r.id}} for r in regions]

    def _members_customer_type(self, target):
        types = dict(target._fields["customer_type"]._description_selection(self.env))
        keys = ("new", "existing") if self.customer_types == "new_existing" else ("potential", "existing")
        return [{"label": types[k], "vals": {"customer_type": k}} for k in keys]
