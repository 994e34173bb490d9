from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from . import measures

def window_action(env, xmlid, domain, context=None):
    """The window action ``xmlid`` restricted to ``domain``, with ``context`` instead of its own."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = domain
    action["context"] = context or {}
    return action


STATUSES = [
    ("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track"),
    ("achieved", "Achieved"), ("missed", "Missed"),
]
CUSTOMER_TYPES = [("new", "New customers"), ("existing", "Existing customers"), ("potential", "Potential customers")]
#: target field -> cube dimension a measure must carry for it
DIMENSION_COLUMNS = {
    "user_id": "user_id", "team_id": "team_id", "product_id": "product_id",
    "product_categ_id": "categ_id", "region_id": "state_id", "partner_id": "partner_id",
    "customer_type": "partner_id",
}


class SalesTarget(models.Model):
    _name = "sales.target"
    _description = "Sales Target"
    _order = "date_from, plan_id, team_id, user_id, id"
    _parent_store = True
    _check_company_auto = True

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True)
    plan_state = fields.Selection(related="plan_id.state", store=True, string="Plan status")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True, precompute=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="restrict", index=True,
                             check_company=True)
    unit = fields.Selection(related="kpi_id.unit")
    direction = fields.Selection(related="kpi_id.direction")
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, precompute=True,
        help="The company's currency for amounts; empty for quantities and counts.")
    date_from = fields.Date("Start", required=True, index=True)
    date_to = fields.Date("End", required=True, index=True)
    # dimensions, each optional
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null", check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index="btree_not_null",
                              domain="[('share', '=', False)]")
    product_categ_id = fields.Many2one("product.category", string="Product Category", index="btree_not_null")
    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null", check_company=True)
    region_id = fields.Many2one("sales.target.region", string="Region", index="btree_not_null", check_company=True)
    customer_type = fields.Selection(CUSTOMER_TYPES)
    partner_id = fields.Many2one("res.partner", string="Customer", index="btree_not_null")
    # values
    target_value = fields.Monetary("Target", currency_field="currency_id")
    stretch_value = fields.Monetary("Stretch", currency_field="currency_id")
    parent_id = fields.Many2one("sales.target", string="Parent Target", ondelete="cascade", index=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sales.target", "parent_id", string="Sub-targets")
    # measured: written in bulk by _refresh_actuals, recomputed by the ORM on manual edits
    actual_value = fields.Monetary("Actual", currency_field="currency_id", readonly=True, copy=False)
    actuals_date = fields.Datetime("Actuals computed on", readonly=True, copy=False)
    attainment = fields.Float("Attainment (%)", compute="_compute_pacing", store=True, aggregator="avg")
    expected_value = fields.Monetary("Expected to date", currency_field="currency_id",
                                     compute="_compute_pacing", store=True)
    gap_value = fields.Monetary("Gap", currency_field="currency_id", compute="_compute_pacing", store=True)
    run_rate_needed = fields.Monetary("Needed per day", currency_field="currency_id",
                                      compute="_compute_pacing", store=True, aggregator="sum")
    status = fields.Selection(STATUSES, compute="_compute_pacing", store=True,
                              group_expand="_group_expand_status")
    children_value = fields.Monetary(
        "Sub-targets roll-up", currency_field="currency_id", compute="_compute_consistency", store=True,
        help="Roll-up of the sub-targets: their sum, or their average for ratio KPIs.")
    mismatch_value = fields.Monetary(
        "Mismatch", currency_field="currency_id", compute="_compute_consistency", store=True,
        help="Roll-up of the sub-targets minus this target.")
    mismatch_pct = fields.Float("Mismatch (%)", compute="_compute_consistency", store=True)
    consistency = fields.Selection(
        [("leaf", "No sub-targets"), ("consistent", "Consistent"), ("mismatch", "Mismatch")],
        compute="_compute_consistency", store=True, index=True)
    color = fields.Integer(compute="_compute_color")
    note = fields.Text()

    @api.depends("kpi_id.unit", "plan_id.currency_id")
    def _compute_currency_id(self):
        for target in self:
            target.currency_id = target.plan_id.currency_id if target.kpi_id.unit == "currency" else False

    @api.depends("target_value", "actual_value", "actuals_date", "date_from", "date_to", "kpi_id.direction",
                 "company_id.sales_target_on_track_threshold", "company_id.sales_target_at_risk_threshold")
    def _compute_pacing(self):
        today = fields.Date.context_today(self)
        for target in self:
            if not (target.date_from and target.date_to):
                target.update({"attainment": 0.0, "expected_value": 0.0, "gap_value": 0.0,
                               "run_rate_needed": 0.0, "status": "on_track"})
                continue
            target.update(target._evaluate(target.actual_value, today))

    def _evaluate(self, actual, today):
        from ..tools import pacing
        self.ensure_one()
        return pacing.evaluate(
            actual, self.target_value, self.date_from, self.date_to, today,
            direction=self.kpi_id.direction or "higher",
            on_track_pct=self.company_id.sales_target_on_track_threshold,
            at_risk_pct=self.company_id.sales_target_at_risk_threshold)

    @api.depends("target_value", "child_ids.target_value", "kpi_id.rollup",
                 "company_id.sales_target_consistency_tolerance")
    def _compute_consistency(self):
        for target in self:
            children = target.child_ids
            if not children:
                target.update({"children_value": 0.0, "mismatch_value": 0.0, "mismatch_pct": 0.0,
                               "consistency": "leaf"})
                continue
            values = children.mapped("target_value")
            rolled = sum(values) / len(values) if target.kpi_id.rollup == "average" else sum(values)
            mismatch = rolled - target.target_value
            if target.currency_id:
                mismatch = target.currency_id.round(mismatch)
            pct = mismatch / target.target_value * 100.0 if target.target_value else (100.0 if mismatch else 0.0)
            tolerance = target.company_id.sales_target_consistency_tolerance
            target.update({
                "children_value": rolled, "mismatch_value": mismatch, "mismatch_pct": pct,
                "consistency": "mismatch" if abs(pct) > tolerance else "consistent",
            })

    @api.depends("status")
    def _compute_color(self):
        colors = {"on_track": 10, "achieved": 10, "at_risk": 2, "off_track": 1, "missed": 1}
        for target in self:
            target.color = colors.get(target.status, 0)

    @api.model
    def _group_expand_status(self, statuses, domain):
        return [key for key, _label in self._fields["status"].selection]

    @api.depends("kpi_id", "date_from", "date_to", "user_id", "team_id", "product_id",
                 "product_categ_id", "region_id", "partner_id", "customer_type")
    def _compute_display_name(self):
        ctypes = dict(self._fields["customer_type"]._description_selection(self.env))
        for target in self:
            parts = [target.kpi_id.name or ""]
            for record in (target.user_id, target.team_id, target.product_id, target.product_categ_id,
                           target.region_id, target.partner_id):
                if record:
                    parts.append(record.display_name)
            if target.customer_type:
                parts.append(ctypes[target.customer_type])
            if target.date_from:
                parts.append(f"{target.date_from} → {target.date_to}")
            target.display_name = " · ".join(p for p in parts if p)

    def _auto_init(self):
        res = super()._auto_init()
        # room in each page lets the hourly refresh update rows in place (HOT updates)
        self.env.cr.execute(SQL("ALTER TABLE sales_target SET (fillfactor = 80)"))
        return res

    def write(self, vals):
        res = super().write(vals)
        if not self.env.su and {"team_id", "plan_id", "user_id"} & set(vals):
            # record rules are checked before a write: the targets must still be the user's
            # to manage once moved to another team or plan
            self.check_access("write")
        return res

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to", "plan_id")
    def _check_within_plan(self):
        for target in self:
            if target.date_from > target.date_to:
                raise ValidationError(self.env._(
                    "Period of target %(target)s: the start (%(start)s) must not be after the end (%(end)s).",
                    target=target.display_name, start=target.date_from, end=target.date_to))
            plan = target.plan_id
            if target.date_from < plan.date_from or target.date_to > plan.date_to:
                raise ValidationError(self.env._(
                    "Period of target %(target)s: %(start)s → %(end)s must lie within its plan "
                    "%(plan)s (%(pstart)s → %(pend)s).",
                    target=target.display_name, start=target.date_from, end=target.date_to,
                    plan=plan.name, pstart=plan.date_from, pend=plan.date_to))

    @api.constrains("target_value", "stretch_value")
    def _check_values(self):
        for target in self:
            if target.target_value < 0 or target.stretch_value < 0:
                raise ValidationError(self.env._(
                    "Values of target %(target)s: the target and stretch values must not be negative.",
                    target=target.display_name))
            if target.stretch_value and target.stretch_value < target.target_value \
                    and target.kpi_id.direction != "lower":
                raise ValidationError(self.env._(
                    "Stretch of target %(target)s: the stretch value (%(stretch)s) must be at least "
                    "the target value (%(value)s).",
                    target=target.display_name, stretch=target.stretch_value, value=target.target_value))

    @api.constrains("kpi_id", *DIMENSION_COLUMNS)
    def _check_dimensions(self):
        for target in self:
            available = measures.get(target.kpi_id.measure).dimensions
            for fname, column in DIMENSION_COLUMNS.items():
                if target[fname] and column not in available:
                    raise ValidationError(self.env._(
                        "%(field)s of target %(target)s: the KPI %(kpi)s does not measure by %(field)s.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        target=target.display_name, kpi=target.kpi_id.name))

    @api.constrains("kpi_id", "plan_id")
    def _check_kpi_company(self):
        for target in self:
            kpi_company = target.kpi_id.company_id
            if kpi_company and kpi_company != target.company_id:
                raise ValidationError(self.env._(
                    "KPI of target %(target)s: the KPI %(kpi)s belongs to %(company)s, not to the "
                    "plan's company.", target=target.display_name, kpi=target.kpi_id.name,
                    company=kpi_company.name))

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("Parent Target: a target cannot be its own ancestor."))

    # ------------------------------------------------------------------ decomposition helpers
    def _rounding_step(self):
        """Smallest unit a split value is rounded to: the currency's, else 0.01 for
        quantities and percentages, 1 for counts."""
        self.ensure_one()
        if self.currency_id:
            return self.currency_id.rounding
        return 1 if self.kpi_id.unit == "count" else 0.01

    def _split_values(self, total, weights, locked=None):
        """Split ``total`` by ``weights`` for sub-targets of this target: summed KPIs are
        allocated exactly (largest remainder); ratio KPIs give every part the same value."""
        from ..tools import allocation
        self.ensure_one()
        if self.kpi_id.rollup == "average":
            return [total] * len(weights)
        return allocation.allocate(total, weights, step=self._rounding_step(), locked=locked)

    def _prepare_child_vals(self, **overrides):
        """Values of a sub-target: the same KPI and dimensions, then ``overrides``."""
        self.ensure_one()
        vals = {
            "plan_id": self.plan_id.id, "kpi_id": self.kpi_id.id, "parent_id": self.id,
            "date_from": self.date_from, "date_to": self.date_to,
            "customer_type": self.customer_type or False,
        }
        for fname in ("team_id", "user_id", "product_categ_id", "product_id", "region_id", "partner_id"):
            vals[fname] = self[fname].id
        vals.update(overrides)
        return vals

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.plan_id and not self.date_from:
            self.date_from, self.date_to = self.plan_id.date_from, self.plan_id.date_to
