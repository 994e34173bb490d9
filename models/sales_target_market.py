"""Market analysis of a plan (handbook ch. 2): segments with their size, growth and shares,
competitors, and customer needs by level (2.3.1)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

PRICE_POSITIONS = [("lower", "Lower"), ("similar", "Similar"), ("higher", "Higher")]
NEED_LEVELS = [("basic", "Basic"), ("functional", "Functional"), ("customised", "Customised"),
               ("value_added", "Value-added")]


class SalesTargetMarketSegment(models.Model):
    _name = "sales.target.market.segment"
    _description = "Sales Target Market Segment"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("sales.target.plan", string="Plan", required=True, index=True, ondelete="cascade",
                              check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    region_id = fields.Many2one("sales.target.region", string="Region", check_company=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category")
    market_size = fields.Monetary(
        "Market size", currency_field="currency_id", help="Sales of the whole market in this segment over a year.")
    growth_rate = fields.Float("Market growth (%)", help="Expected growth of the market over the year.")
    share_last_year = fields.Float("Our share last year (%)")
    expected_share = fields.Float(
        "Expected share (%)", help="The share of the market the plan aims at; market size times this share is "
                                   "the ceiling the feasibility compares region and category targets with.")
    potential = fields.Monetary(
        currency_field="currency_id", compute="_compute_potential",
        help="Market size times the expected share, over a year.")
    note = fields.Text("Notes")

    _sql_constraints = [
        ("segment_uniq", "unique(plan_id, region_id, product_categ_id)",
         "A plan has one market segment per region and product category."),
    ]

    @api.constrains("plan_id", "region_id", "product_categ_id")
    def _check_one_per_region_and_category(self):
        # the unique rule above lets empty regions or categories repeat (NULLs are distinct in
        # SQL): counted here in SQL over every segment of the plans, whoever reads which
        self.flush_model(["plan_id", "region_id", "product_categ_id"])
        self.env.cr.execute(SQL("""
            SELECT s.id FROM sales_target_market_segment s
              JOIN sales_target_market_segment o
                ON o.plan_id = s.plan_id AND o.id <> s.id
               AND o.region_id IS NOT DISTINCT FROM s.region_id
               AND o.product_categ_id IS NOT DISTINCT FROM s.product_categ_id
             WHERE s.id IN %s LIMIT 1""", tuple(self.ids)))
        duplicate = self.env.cr.fetchone()
        if duplicate:
            segment = self.browse(duplicate[0])
            raise ValidationError(self.env._(
                "Market segment %(segment)s: plan %(plan)s already has a segment for this region and product "
                "category.", segment=segment.display_name, plan=segment.plan_id.name))

    @api.depends("market_size", "expected_share")
    def _compute_potential(self):
        for segment in self:
            segment.potential = segment.market_size * segment.expected_share / 100.0

    @api.depends("region_id", "product_categ_id")
    def _compute_display_name(self):
        for segment in self:
            parts = [r.display_name for r in (segment.region_id, segment.product_categ_id) if r]
            segment.display_name = " · ".join(parts) or self.env._("Whole market")

    @api.constrains("plan_id", "market_size", "share_last_year", "expected_share", "region_id",
                    "product_categ_id")
    def _check_figures(self):
        for segment in self:
            if not (segment.region_id or segment.product_categ_id):
                raise ValidationError(self.env._(
                    "Market segment of plan %(plan)s: set its region, its product category or both.",
                    plan=segment.plan_id.name))
            if segment.market_size < 0:
                raise ValidationError(self.env._(
                    "Market size of segment %(segment)s: it must not be negative.", segment=segment.display_name))
            for fname in ("share_last_year", "expected_share"):
                if not 0 <= segment[fname] <= 100:
                    raise ValidationError(self.env._(
                        "%(field)s of segment %(segment)s: a share lies between 0 and 100 %%.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        segment=segment.display_name))


class SalesTargetCompetitor(models.Model):
    _name = "sales.target.competitor"
    _description = "Sales Target Competitor"
    _order = "plan_id, share desc, id"
    _check_company_auto = True

    plan_id = fields.Many2one("sales.target.plan", string="Plan", required=True, index=True, ondelete="cascade",
                              check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char("Competitor", required=True)
    segment_id = fields.Many2one("sales.target.market.segment", string="Segment", ondelete="set null",
                                 domain="[('plan_id', '=', plan_id)]", check_company=True)
    share = fields.Float("Market share (%)")
    strengths = fields.Text()
    weaknesses = fields.Text()
    price_position = fields.Selection(PRICE_POSITIONS, string="Price position",
                                      help="Their prices compared with ours.")

    @api.constrains("share", "segment_id", "plan_id")
    def _check_share(self):
        for competitor in self:
            if not 0 <= competitor.share <= 100:
                raise ValidationError(self.env._(
                    "Market share of competitor %(name)s: a share lies between 0 and 100 %%.", name=competitor.name))
            if competitor.segment_id and competitor.segment_id.plan_id != competitor.plan_id:
                raise ValidationError(self.env._(
                    "Segment of competitor %(name)s: it must be a segment of the same plan.", name=competitor.name))


class SalesTargetCustomerNeed(models.Model):
    _name = "sales.target.customer.need"
    _description = "Sales Target Customer Need"
    _order = "plan_id, segment_id, level, id"
    _check_company_auto = True

    plan_id = fields.Many2one("sales.target.plan", string="Plan", required=True, index=True, ondelete="cascade",
                              check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    segment_id = fields.Many2one("sales.target.market.segment", string="Segment", ondelete="set null",
                                 domain="[('plan_id', '=', plan_id)]", check_company=True)
    level = fields.Selection(
        NEED_LEVELS, required=True, default="basic",
        help="Basic: the product itself; functional: what it does for the customer; customised: adapted to "
             "the customer; value-added: services and know-how beyond the product.")
    note = fields.Text("Notes")

    @api.constrains("segment_id", "plan_id")
    def _check_segment(self):
        for need in self:
            if need.segment_id and need.segment_id.plan_id != need.plan_id:
                raise ValidationError(self.env._("Segment of a customer need: it must be a segment of the same plan."))


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    market_segment_ids = fields.One2many("sales.target.market.segment", "plan_id", string="Market Segments")
    competitor_ids = fields.One2many("sales.target.competitor", "plan_id", string="Competitors")
    customer_need_ids = fields.One2many("sales.target.customer.need", "plan_id", string="Customer Needs")
