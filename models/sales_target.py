import copy
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import dimensions
from . import measures

def window_action(env, xmlid, domain, context=None):
    """The window action ``xmlid`` restricted to ``domain``, with ``context`` instead of its own."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    action["domain"] = domain
    action["context"] = context or {}
    return action


STATUSES = [
    ("not_started", "Not started"), ("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track"),
    ("achieved", "Achieved"), ("missed", "Missed"),
]
#: defaults of the fields a batch of created targets leaves out, by set of given fields, while
#: ``_prepare_create_values`` runs (see ``_add_missing_default_values``)
_DEFAULTS_MEMO = ContextVar("sales_target_defaults_memo", default=None)
#: figures only the refresh writes (in SQL), refused in create and write
MEASURED_FIELDS = frozenset(("actual_value", "actuals_date", "attainment", "expected_value", "gap_value",
                             "run_rate_needed", "status", "actual_numerator", "actual_denominator",
                             "traffic_light"))
#: the roll-up figures of a target without sub-targets
LEAF_FIGURES = {"children_value": 0.0, "mismatch_value": 0.0, "mismatch_pct": 0.0, "consistency": "leaf"}
CUSTOMER_TYPES = [("new", "New customers"), ("existing", "Existing customers"), ("potential", "Potential customers")]
#: target field -> cube columns a measure must carry for it
DIMENSION_COLUMNS = dimensions.COLUMNS


class SalesTarget(models.Model):
    _name = "sales.target"
    _description = "Sales Target"
    _order = "date_from, plan_id, team_id, user_id, id"
    _parent_store = True
    _check_company_auto = True

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True)
    plan_state = fields.Selection(related="plan_id.state", store=True, string="Plan status")
    # computed in batch at the flush, with the pacing figures (precompute=True would build one
    # draft record per created target to compute them, a third of a decomposition's storing)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="restrict", index=True,
                             check_company=True)
    unit = fields.Selection(related="kpi_id.unit")
    direction = fields.Selection(related="kpi_id.direction")
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True,
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
    gap_value = fields.Monetary("Gap", currency_field="currency_id", compute="_compute_pacing", store=True,
                                help="What is still missing to reach the target; 0 once it is reached.")
    surplus_value = fields.Monetary("Surplus", currency_field="currency_id", compute="_compute_surplus",
                                    help="How far the target is beaten; 0 while it is not.")
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
        units = {kpi.id: kpi.unit for kpi in self.kpi_id}
        self._assign_grouped(self, [
            {"currency_id": target.plan_id.currency_id.id if units.get(target.kpi_id.id) == "currency" else False}
            for target in self])

    @api.model
    def _assign_grouped(self, records, values):
        """Assign ``values[i]`` (a dict of computed fields) to the i-th of ``records``, one
        assignment per distinct dict and currency: the ORM sets a value on many records at
        once much faster than record by record, and the sub-targets of a decomposition share
        most of their computed values."""
        monetary = any(self._fields[fname].type == "monetary" for vals in values[:1] for fname in vals)
        groups = {}
        for record, vals in zip(records, values):
            # a monetary value is rounded in its currency: one currency per assignment
            key = (record.currency_id.id if monetary else None, tuple(vals.items()))
            groups.setdefault(key, []).append(record._ids[0])
        for (_currency, items), ids in groups.items():
            self.browse(ids).update(dict(items))

    @api.depends("target_value", "actual_value", "actuals_date", "date_from", "date_to", "kpi_id.direction",
                 "company_id.sales_target_on_track_threshold", "company_id.sales_target_at_risk_threshold")
    def _compute_pacing(self):
        from ..tools import pacing
        # today in each company's time zone, as the refresh counts it
        todays = {company.id: company._sales_target_today() for company in self.company_id}
        # thresholds and directions read once per company and KPI, not once per target: a
        # decomposition computes thousands of targets of one company and KPI at once
        thresholds = {company.id: (company.sales_target_on_track_threshold, company.sales_target_at_risk_threshold)
                      for company in self.company_id}
        directions = {kpi.id: kpi.direction or "higher" for kpi in self.kpi_id}
        # adjusted targets keep the pace of their former values on the days already elapsed
        segments = self._adjustment_segments()
        values = []
        for target in self:
            if not (target.date_from and target.date_to):
                values.append({"attainment": 0.0, "expected_value": 0.0, "gap_value": 0.0,
                               "run_rate_needed": 0.0, "status": "not_started"})
                continue
            on_track, at_risk = thresholds.get(target.company_id.id, (0.0, 0.0))
            values.append(pacing.evaluate(
                target.actual_value, target.target_value, target.date_from, target.date_to,
                todays.get(target.company_id.id) or fields.Date.context_today(self),
                direction=directions.get(target.kpi_id.id, "higher"), on_track_pct=on_track, at_risk_pct=at_risk,
                segments=segments.get(target._origin.id)))
        self._assign_grouped(self, values)

    @api.depends("actual_value", "target_value", "kpi_id.direction")
    def _compute_surplus(self):
        from ..tools import pacing
        for target in self:
            target.surplus_value = pacing.surplus(target.actual_value, target.target_value,
                                                  target.kpi_id.direction or "higher")

    @api.depends("target_value", "child_ids.target_value", "kpi_id.rollup",
                 "company_id.sales_target_consistency_tolerance")
    def _compute_consistency(self):
        # the sub-targets of stored targets are summed in one query: a parent of 120,000
        # sub-targets is recomputed after each batch of a decomposition without loading them
        stored = self.filtered("id")
        sums = {parent.id: (total, count) for parent, total, count in self._read_group(
            [("parent_id", "in", stored.ids)], ["parent_id"], ["target_value:sum", "__count"])} if stored else {}
        tolerances = {company.id: company.sales_target_consistency_tolerance for company in self.company_id}
        leaves = []
        for target in self:
            if target.id:
                total, count = sums.get(target.id, (0.0, 0))
            else:  # a record being edited (form): its sub-targets are in memory
                values = target.child_ids.mapped("target_value")
                total, count = sum(values), len(values)
            if not count:
                leaves.append(target)
                continue
            rolled = total / count if target.kpi_id.rollup == "average" else total
            mismatch = rolled - target.target_value
            if target.currency_id:
                mismatch = target.currency_id.round(mismatch)
            pct = mismatch / target.target_value * 100.0 if target.target_value else (100.0 if mismatch else 0.0)
            tolerance = tolerances.get(target.company_id.id, 0.0)
            target.update({
                "children_value": rolled, "mismatch_value": mismatch, "mismatch_pct": pct,
                "consistency": "mismatch" if abs(pct) > tolerance else "consistent",
            })
        self._assign_grouped(leaves, [LEAF_FIGURES] * len(leaves))

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
    @api.depends_context("lang")
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
                parts.append(target._period_label())
            target.display_name = " · ".join(p for p in parts if p)

    def _auto_init(self):
        res = super()._auto_init()
        # room in each page lets the refresh update rows in place (HOT updates: none of the 15
        # indexes is touched); a refresh that changes every figure needs room for a second
        # version of every row until the page is pruned
        self.env.cr.execute(SQL("ALTER TABLE sales_target SET (fillfactor = 60)"))
        return res

    def _prepare_create_values(self, vals_list):
        token = _DEFAULTS_MEMO.set({})
        try:
            return super()._prepare_create_values(vals_list)
        finally:
            _DEFAULTS_MEMO.reset(token)

    @api.model
    def _add_missing_default_values(self, values):
        # Odoo computes the defaults of every field a row leaves out, row by row: a fifth of
        # the time a decomposition takes to store 100,000 sub-targets. They depend on the
        # context and the user, never on the row: within one create, once per set of fields.
        memo = _DEFAULTS_MEMO.get()
        if memo is None:
            return super()._add_missing_default_values(values)
        key = frozenset(values)
        if key not in memo:
            result = super()._add_missing_default_values(values)
            memo[key] = {name: value for name, value in result.items() if name not in values}
            return result
        return {**copy.deepcopy(memo[key]), **values}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_not_measured(vals)
        targets = super().create(vals_list)
        targets._on_created()
        return targets

    def _on_created(self):
        """What follows the creation of the targets ``self``, by ``create`` or in bulk
        (``_create_bulk``): extended by the features that watch new targets."""
        return True

    def _check_not_measured(self, vals):
        """Measured figures come from the documents only (``_refresh_actuals``), never from a
        client: a typed actual would be a figure nobody can trace."""
        names = self._given_labels(vals, MEASURED_FIELDS)
        if names:
            raise UserError(self.env._(
                "%(fields)s: measured from the company's documents by the refresh; they cannot be set by hand.",
                fields=names))

    def _given_labels(self, vals, fnames):
        """The labels of the fields among ``fnames`` that ``vals`` sets, joined for a message."""
        return ", ".join(sorted(self._fields[f].get_description(self.env)["string"] for f in fnames & set(vals)))

    def write(self, vals):
        self._check_not_measured(vals)
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
        # per KPI, the dimensions its measure lacks: only those are looked at on each target
        lacking = {}
        for kpi in self.kpi_id:
            available = set(measures.get(kpi.measure).dimensions)
            lacking[kpi.id] = [fname for fname, columns in DIMENSION_COLUMNS.items() if not set(columns) <= available]
        for target in self:
            for fname in lacking.get(target.kpi_id.id, ()):
                if target[fname]:
                    raise ValidationError(self.env._(
                        "%(field)s of target %(target)s: the KPI %(kpi)s does not measure by %(field)s.",
                        field=self._fields[fname].get_description(self.env)["string"],
                        target=target.display_name, kpi=target.kpi_id.name))

    def _check_company(self, fnames=None):
        # the check depends only on the company and the linked records: each distinct
        # combination is checked once (the sub-targets of a decomposition share a handful)
        linked = [name for name, field in self._fields.items() if field.relational and field.check_company]
        representatives = {}
        for target in self:
            key = (target.company_id.id, *(tuple(target[name].ids) for name in linked))
            representatives.setdefault(key, target._ids[0])
        return super(SalesTarget, self.browse(list(representatives.values())))._check_company(fnames)

    @api.constrains("kpi_id", "customer_type")
    def _check_customer_type(self):
        labels = dict(self._fields["customer_type"]._description_selection(self.env))
        for target in self.filtered("customer_type"):
            measure = measures.get(target.kpi_id.measure)
            if target.customer_type not in measure.customer_types:
                raise ValidationError(self.env._(
                    "Customer Type of target %(target)s: the KPI %(kpi)s counts %(measure)s, so "
                    "\"%(type)s\" would always read 0; choose another customer type or KPI.",
                    target=target.display_name, kpi=target.kpi_id.name, measure=str(measure.label),
                    type=labels[target.customer_type]))

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
        }
        for fname in dimensions.TARGET_FIELDS:
            vals[fname] = self._fields[fname].convert_to_write(self[fname], self)
        vals.update(overrides)
        return vals

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.plan_id and not self.date_from:
            self.date_from, self.date_to = self.plan_id.date_from, self.plan_id.date_to
