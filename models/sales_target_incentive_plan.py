"""Incentive plans (handbook 6.3): who they apply to, per which period, and their rules.

A rule pays on the actual of its KPI's target (the base) by tiers on the target's attainment:
its own tiers, or the plan's shared tiers scaled by the rule's weight. Gates and penalties
belong to the plan and apply to every rule, or to one. The arithmetic is in
``tools/incentive.py``; statements are computed in ``sales_target_incentive_statement.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import incentive, periods
from .sales_target import window_action

PERIOD_TYPES = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
PLAN_STATES = [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")]


class SalesTargetIncentivePlan(models.Model):
    _name = "sales.target.incentive.plan"
    _description = "Incentive Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, name, id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    period_type = fields.Selection(PERIOD_TYPES, string="Period", required=True, default="month", tracking=True,
                                   help="Statements are computed per period of this length within the plan's dates.")
    applies_to = fields.Selection([("users", "Salespeople"), ("teams", "Sales teams")], required=True,
                                  default="users", tracking=True)
    user_ids = fields.Many2many("res.users", string="Salespeople", domain="[('share', '=', False)]")
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
    date_from = fields.Date("Start", required=True, tracking=True)
    date_to = fields.Date("End", required=True, tracking=True)
    state = fields.Selection(PLAN_STATES, required=True, default="draft", tracking=True, copy=False, index=True)
    allow_negative = fields.Boolean(
        "Allow negative payouts",
        help="Penalties may take a rule's payout below zero (a deduction from other pay); otherwise it stops at 0.")
    rule_ids = fields.One2many("sales.target.incentive.rule", "plan_id", string="Rules", copy=True)
    tier_ids = fields.One2many("sales.target.incentive.tier", "plan_id", string="Shared tiers",
                               domain=[("rule_id", "=", False)], copy=True,
                               help="Tiers of the rules that have none of their own.")
    gate_ids = fields.One2many("sales.target.incentive.gate", "plan_id", string="Gates", copy=True)
    penalty_ids = fields.One2many("sales.target.incentive.penalty", "plan_id", string="Penalties", copy=True)
    recognition_ids = fields.One2many("sales.target.incentive.recognition", "plan_id", string="Recognitions")
    statement_ids = fields.One2many("sales.target.incentive.statement", "plan_id", string="Statements")
    statement_count = fields.Integer(compute="_compute_statement_count")
    note = fields.Html()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from > plan.date_to:
                raise ValidationError(self.env._(
                    "Period of incentive plan %(plan)s: the start must not be after the end.", plan=plan.name))

    def _compute_statement_count(self):
        counts = dict(self.env["sales.target.incentive.statement"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"])) if self.ids else {}
        for plan in self:
            plan.statement_count = counts.get(plan, 0)

    def _periods(self):
        """The ``(start, end)`` periods of the plan, of its period type."""
        self.ensure_one()
        return periods.split(self.date_from, self.date_to, self.period_type)

    def _period_of(self, day):
        """The plan's period holding ``day``; refused outside the plan's dates."""
        self.ensure_one()
        for start, end in self._periods():
            if start <= day <= end:
                return start, end
        raise UserError(self.env._(
            "Period: %(day)s is outside incentive plan %(plan)s (%(start)s → %(end)s).",
            day=day, plan=self.name, start=self.date_from, end=self.date_to))

    def _assignees(self):
        self.ensure_one()
        return self.user_ids if self.applies_to == "users" else self.team_ids

    # ------------------------------------------------------------------ workflow
    def action_activate(self):
        for plan in self:
            if not plan.rule_ids:
                raise UserError(self.env._("Incentive plan %(plan)s has no rule.", plan=plan.name))
            if not plan._assignees():
                raise UserError(self.env._("Incentive plan %(plan)s applies to nobody: choose its salespeople "
                                           "or teams.", plan=plan.name))
            plan.rule_ids._check_tiers()
        self.write({"state": "active"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_open_compute(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_sales_target.sales_target_incentive_compute_action")
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_view_statements(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_incentive_statement_action",
                             [("plan_id", "=", self.id)])


class SalesTargetIncentiveRule(models.Model):
    _name = "sales.target.incentive.rule"
    _description = "Incentive Rule"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="Base KPI", required=True, ondelete="restrict",
                             help="The rule pays on the actual of the target of this KPI (revenue, margin or any "
                                  "other), by tiers on that target's attainment.")
    weight = fields.Float("Weight (%)", default=100.0,
                          help="Share of the shared tiers' payout this rule pays; ignored when the rule has "
                               "tiers of its own.")
    tier_ids = fields.One2many("sales.target.incentive.tier", "rule_id", string="Own tiers", copy=True)
    cap_amount = fields.Monetary("Cap", currency_field="currency_id",
                                 help="Most this rule pays in a period, before penalties; 0 for no cap.")
    floor_amount = fields.Monetary("Floor", currency_field="currency_id",
                                   help="Least this rule pays in a period when its gates pass, before penalties.")

    @api.constrains("weight", "cap_amount", "floor_amount")
    def _check_amounts(self):
        for rule in self:
            if rule.weight < 0 or rule.cap_amount < 0 or rule.floor_amount < 0:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: the weight, cap and floor must not be negative.", rule=rule.name))
            if rule.cap_amount and rule.floor_amount > rule.cap_amount:
                raise ValidationError(self.env._(
                    "Rule %(rule)s: the floor must not be above the cap.", rule=rule.name))

    def _effective_tiers(self):
        """The rule's own tiers, else the plan's shared ones (recordset, by lower bound)."""
        self.ensure_one()
        tiers = self.tier_ids or self.plan_id.tier_ids.filtered(lambda t: not t.rule_id)
        return tiers.sorted(lambda t: (t.lower, t.id))

    def _check_tiers(self):
        for rule in self:
            tiers = rule._effective_tiers()
            if not tiers:
                raise UserError(self.env._("Rule %(rule)s has no tiers: give it its own or the plan shared ones.",
                                           rule=rule.name))
            tiers._check_ladder()


class SalesTargetIncentiveTier(models.Model):
    _name = "sales.target.incentive.tier"
    _description = "Incentive Tier"
    _order = "plan_id, rule_id, lower, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", compute="_compute_plan_id", store=True, readonly=False,
                              required=True, ondelete="cascade", index=True, precompute=True)
    rule_id = fields.Many2one("sales.target.incentive.rule", ondelete="cascade", index="btree_not_null")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    lower = fields.Float("From (%)", required=True, help="Attainment from which the tier applies (included).")
    upper = fields.Float("To (%)", help="Attainment at which the next tier starts (excluded); 0 for the last tier, "
                                        "open-ended.")
    kind = fields.Selection([("rate", "Rate of the base"), ("fixed", "Fixed amount")], required=True,
                            default="rate")
    rate = fields.Float("Rate (%)", help="Percentage of the achieved base amount paid.")
    amount = fields.Monetary("Fixed amount", currency_field="currency_id")
    multiplier = fields.Float(default=1.0, help="Above 1 an accelerator, below 1 a decelerator.")
    name = fields.Char(compute="_compute_name")

    @api.depends("rule_id.plan_id")
    def _compute_plan_id(self):
        for tier in self:
            if tier.rule_id:
                tier.plan_id = tier.rule_id.plan_id

    @api.depends("lower", "upper")
    def _compute_name(self):
        for tier in self:
            tier.name = f"{tier.lower:g} % – {tier.upper:g} %" if tier.upper else f"≥ {tier.lower:g} %"

    def _as_tool(self):
        return [incentive.Tier(t.lower, t.upper or None, t.kind, t.rate if t.kind == "rate" else t.amount,
                               t.multiplier) for t in self]

    @api.constrains("lower", "upper", "rate", "amount", "multiplier", "rule_id", "plan_id")
    def _check_tier(self):
        for tier in self:
            if tier.lower < 0 or tier.rate < 0 or tier.amount < 0 or tier.multiplier < 0:
                raise ValidationError(self.env._(
                    "Tier %(tier)s: the bounds, rate, amount and multiplier must not be negative.", tier=tier.name))
        groups = {(t.plan_id, t.rule_id) for t in self}
        for plan, rule in groups:
            tiers = rule.tier_ids if rule else plan.tier_ids.filtered(lambda t: not t.rule_id)
            tiers.sorted(lambda t: (t.lower, t.id))._check_ladder()

    def _check_ladder(self):
        """Refuse tiers (of one rule, or the shared ones of a plan) with gaps or overlaps."""
        if not self:
            return
        try:
            incentive.validate_tiers(self._as_tool())
        except incentive.TierError as error:
            owner = self[:1].rule_id.name or self[:1].plan_id.name
            a, b = format(error.a or 0.0, "g"), format(error.b or 0.0, "g")
            messages = {
                "gap": self.env._("Tiers of %(owner)s: nothing covers attainments from %(a)s %% to %(b)s %%; each "
                                  "tier must start where the previous one ends.", owner=owner, a=a, b=b),
                "overlap": self.env._("Tiers of %(owner)s: attainments from %(a)s %% to %(b)s %% fall in two "
                                      "tiers; each tier must start where the previous one ends.",
                                      owner=owner, a=a, b=b),
                "open": self.env._("Tiers of %(owner)s: only the last tier may be open-ended (To = 0); the one "
                                   "from %(a)s %% is not the last.", owner=owner, a=a),
                "empty": self.env._("Tiers of %(owner)s: the tier from %(a)s %% must end above its start.",
                                    owner=owner, a=a),
            }
            raise ValidationError(messages[error.code]) from error


class SalesTargetIncentiveGate(models.Model):
    _name = "sales.target.incentive.gate"
    _description = "Incentive Gate"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    rule_id = fields.Many2one("sales.target.incentive.rule", string="Rule", ondelete="cascade",
                              domain="[('plan_id', '=', plan_id)]", help="Leave empty to gate every rule.")
    gate_type = fields.Selection([
        ("attainment", "Minimum attainment of the rule's KPI"),
        ("kpi_actual", "Minimum actual of a KPI"),
        ("assessment", "Assessment result"),
    ], string="Type", required=True, default="attainment")
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", ondelete="restrict",
                             help="The KPI whose actual must reach the minimum (e.g. customer satisfaction).")
    minimum = fields.Float(required=True)

    @api.constrains("gate_type", "kpi_id")
    def _check_kpi(self):
        for gate in self:
            if gate.gate_type == "kpi_actual" and not gate.kpi_id:
                raise ValidationError(self.env._("KPI of a gate on a minimum actual: choose the KPI."))

    def _label(self):
        self.ensure_one()
        if self.gate_type == "kpi_actual":
            return self.kpi_id.name
        return dict(self._fields["gate_type"]._description_selection(self.env))[self.gate_type]


class SalesTargetIncentivePenalty(models.Model):
    _name = "sales.target.incentive.penalty"
    _description = "Incentive Penalty"
    _order = "plan_id, threshold, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    rule_id = fields.Many2one("sales.target.incentive.rule", string="Rule", ondelete="cascade",
                              domain="[('plan_id', '=', plan_id)]", help="Leave empty to apply to every rule.")
    threshold = fields.Float("Below attainment (%)", required=True, default=50.0,
                             help="The deduction applies when the rule's attainment is under this percentage.")
    kind = fields.Selection([("rate", "Rate of the shortfall"), ("fixed", "Fixed amount")], required=True,
                            default="rate")
    rate = fields.Float("Rate (%)", help="Percentage of the shortfall (the target's value times the missing "
                                         "percentage points) deducted.")
    amount = fields.Monetary("Fixed amount", currency_field="currency_id")
    cap_amount = fields.Monetary("Cap", currency_field="currency_id", required=True,
                                 help="Most this penalty deducts in a period.")

    @api.constrains("threshold", "rate", "amount", "cap_amount")
    def _check_values(self):
        for penalty in self:
            if min(penalty.threshold, penalty.rate, penalty.amount) < 0 or penalty.cap_amount <= 0:
                raise ValidationError(self.env._(
                    "Penalty below %(threshold)s %%: the threshold, rate and amount must not be negative and "
                    "the cap must be above 0.", threshold=format(penalty.threshold, "g")))

    def _as_tool(self):
        return [incentive.Penalty(p.threshold, p.kind, p.rate if p.kind == "rate" else p.amount, p.cap_amount)
                for p in self]
