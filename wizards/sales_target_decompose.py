"""The decomposition wizard: split targets along one or two dimensions, preview, apply.

The wizard fetches what it needs in bulk (members of each dimension, their history,
pipeline or capacity), calls the pure functions of ``tools.allocation`` and writes the
sub-targets in one batch, or hands a large batch to a background job.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_target import window_action
from ..tools import allocation, periods

DIMENSIONS = [
    ("period", "Period"), ("user", "Salesperson"), ("team", "Sales Team"),
    ("product_categ", "Product Category"), ("product", "Product"), ("region", "Region"),
    ("customer_type", "Customer Type"),
]
METHODS = [
    ("even", "Even"), ("weights", "Manual weights"), ("history", "By history"),
    ("seasonality", "By seasonality"), ("pipeline", "By pipeline"), ("capacity", "By capacity"),
]
#: dimension -> field of sales.target it sets
DIMENSION_FIELD = {
    "user": "user_id", "team": "team_id", "product_categ": "product_categ_id", "product": "product_id",
    "region": "region_id", "customer_type": "customer_type",
}
#: more lines than this are not shown one by one in the preview
PREVIEW_LIMIT = 2000
#: more sub-targets than this are stored by a background job, in batches
BACKGROUND_THRESHOLD = 5000


class SalesTargetDecompose(models.TransientModel):
    _name = "sales.target.decompose"
    _description = "Decompose Sales Targets"

    target_ids = fields.Many2many("sales.target", string="Targets to split", required=True)
    plan_id = fields.Many2one("sales.target.plan", compute="_compute_plan_id")
    dimension_1 = fields.Selection(DIMENSIONS, string="Split by", required=True, default="period")
    method_1 = fields.Selection(METHODS, string="Method", required=True, default="even")
    dimension_2 = fields.Selection(DIMENSIONS, string="And by",
                                   help="A second dimension gives a matrix whose row and column totals both match.")
    method_2 = fields.Selection(METHODS, string="Method (second)", default="even")
    dimension_3 = fields.Selection(DIMENSIONS, string="Then by",
                                   help="A third dimension splits each cell of the matrix by its own weights.")
    method_3 = fields.Selection(METHODS, string="Method (third)", default="even")
    period_unit = fields.Selection(
        [("month", "Months"), ("quarter", "Quarters"), ("week", "Weeks"), ("child_plans", "Sub-plans")],
        string="Periods", default="month", required=True)
    history_basis = fields.Selection(
        [("last_months", "Last months"), ("last_year", "Same period last year")],
        default="last_months", required=True)
    history_months = fields.Integer("Months of history", default=12)
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
    line_ids = fields.One2many("sales.target.decompose.line", "wizard_id", string="Preview")
    line_count = fields.Integer(compute="_compute_totals")
    total_value = fields.Float("Total to split", compute="_compute_totals")
    preview_total = fields.Float("Total of the preview", compute="_compute_totals")
    info = fields.Html("Notes", readonly=True)
    state = fields.Selection([("setup", "Set up"), ("preview", "Preview")], default="setup")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "target_ids" in fields_list and not values.get("target_ids"):
            if context.get("active_model") == "sales.target" and context.get("active_ids"):
                values["target_ids"] = [fields.Command.set(context["active_ids"])]
            elif context.get("active_model") == "sales.target.plan" and context.get("active_id"):
                plan = self.env["sales.target.plan"].browse(context["active_id"])
                values["target_ids"] = [fields.Command.set(plan.target_ids.filtered(lambda t: not t.parent_id).ids)]
        return values

    @api.depends("target_ids")
    def _compute_plan_id(self):
        for wizard in self:
            wizard.plan_id = wizard.target_ids.plan_id[:1]

    @api.depends("target_ids.target_value", "line_ids.value")
    def _compute_totals(self):
        for wizard in self:
            wizard.total_value = sum(wizard.target_ids.mapped("target_value"))
            wizard.preview_total = sum(wizard.line_ids.mapped("value"))
            wizard.line_count = len(wizard.line_ids)

    # ------------------------------------------------------------------ checks
    def _check_setup(self):
        self.ensure_one()
        _ = self.env._
        if not self.target_ids:
            raise UserError(_("Targets to split: choose at least one target."))
        if self.dimension_2 and self.dimension_2 == self.dimension_1:
            raise UserError(_("And by: the second dimension must differ from the first."))
        if self.dimension_3 and (not self.dimension_2 or self.dimension_3 in (self.dimension_1, self.dimension_2)):
            raise UserError(_("Then by: the third dimension needs a second one and must differ from both."))
        if self.history_months < 1:
            raise UserError(_("Months of history: use at least one month."))
        plans = self.target_ids.plan_id
        for plan in plans:
            if plan.state in ("published", "closed"):
                raise UserError(_(
                    "Plan %(plan)s is %(state)s: its targets can no longer be decomposed here. "
                    "Change published targets through an adjustment instead.",
                    plan=plan.name, state=dict(plan._fields["state"]._description_selection(self.env))[plan.state]))
            if plan.state == "cancelled":
                raise UserError(_("Plan %(plan)s is cancelled.", plan=plan.name))
        can_manage = self.env.user.has_group("crm_sales_target.crm_sales_target_group_manager")
        for target in self.target_ids:
            if not can_manage and target.team_id.user_id != self.env.user:
                raise UserError(_(
                    "Target %(target)s: only the leader of its team or a sales target manager can decompose it.",
                    target=target.display_name))
            for dimension, method in self._dimensions():
                fname = DIMENSION_FIELD.get(dimension)
                # a category target still splits into its sub-categories
                if fname and target[fname] and dimension != "product_categ":
                    raise UserError(_(
                        "Split by: target %(target)s is already for one %(dimension)s; choose another dimension.",
                        target=target.display_name, dimension=dict(DIMENSIONS)[dimension]))
                if dimension == "period" and self.period_unit == "child_plans" and not target.plan_id.child_ids:
                    raise UserError(_("Periods: plan %(plan)s has no sub-plans.", plan=target.plan_id.name))
                if method == "seasonality" and dimension != "period":
                    raise UserError(_("Method: seasonality only splits along periods."))
                if method == "capacity" and dimension not in ("user", "team"):
                    raise UserError(_("Method: capacity only splits among salespeople or teams."))
                if method == "pipeline" and dimension not in ("user", "team", "period"):
                    raise UserError(_("Method: the pipeline only splits among salespeople, teams or periods."))

    def _dimensions(self):
        self.ensure_one()
        dims = [(self.dimension_1, self.method_1)]
        if self.dimension_2:
            dims.append((self.dimension_2, self.method_2 or "even"))
            if self.dimension_3:
                dims.append((self.dimension_3, self.method_3 or "even"))
        return dims

    # ------------------------------------------------------------------ members
    def _members(self, dimension, target):
        """The parts a target splits into along ``dimension``: list of dicts with a
        ``label`` and the sub-target ``vals`` they set."""
        _ = self.env._
        company = target.company_id
        if dimension == "period":
            if self.period_unit == "child_plans":
                spans = [(max(p.date_from, target.date_from), min(p.date_to, target.date_to), p)
                         for p in target.plan_id.child_ids.sorted("date_from")]
                return [{"label": p.name, "vals": {"date_from": a, "date_to": b, "plan_id": p.id}}
                        for a, b, p in spans if a <= b]
            return [{"label": f"{a} → {b}", "vals": {"date_from": a, "date_to": b}}
                    for a, b in periods.split(target.date_from, target.date_to, self.period_unit)]
        if dimension == "user":
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
        if dimension == "team":
            teams = self.team_ids or self.env["crm.team"].search([("company_id", "in", (company.id, False))])
            outsiders = teams.filtered(lambda t: t.company_id and t.company_id != company)
            if outsiders:
                raise UserError(_("Sales Teams: %(teams)s belong to another company.",
                                  teams=", ".join(outsiders.mapped("name"))))
            return [{"label": t.name, "vals": {"team_id": t.id}} for t in teams]
        if dimension == "product_categ":
            categs = self.categ_ids or self.env["product.category"].search(
                [("parent_id", "=", target.product_categ_id.id)])
            return [{"label": c.complete_name, "vals": {"product_categ_id": c.id}} for c in categs]
        if dimension == "product":
            return [{"label": p.display_name, "vals": {"product_id": p.id}} for p in self.product_ids]
        if dimension == "region":
            regions = self.region_ids or self.env["sales.target.region"].search(
                [("company_id", "in", (company.id, False))])
            return [{"label": r.name, "vals": {"region_id": r.id}} for r in regions]
        if dimension == "customer_type":
            types = dict(target._fields["customer_type"]._description_selection(self.env))
            keys = ("new", "existing") if self.customer_types == "new_existing" else ("potential", "existing")
            return [{"label": types[k], "vals": {"customer_type": k}} for k in keys]
        raise UserError(_("Split by: unknown dimension %(dimension)s.", dimension=dimension))

    # ------------------------------------------------------------------ weights
    def _weights(self, dimension, method, target, members):
        """``(weights, history values or None)`` of ``members`` for ``target``."""
        _ = self.env._
        n = len(members)
        if method in ("even", "weights"):
            return [1.0] * n, None
        if method == "seasonality":
            indices, fallback = target._seasonality()[target.id]
            spans = [(m["vals"]["date_from"], m["vals"]["date_to"]) for m in members]
            self._note_seasonality(target, indices, fallback)
            return periods.seasonal_weights(spans, indices), None
        if method == "history":
            history = self._history(dimension, target, members)
            if not any(history):
                self._note(_("%(target)s: no history to split by; split evenly.", target=target.display_name))
                return [1.0] * n, history
            return history, history
        if method == "pipeline":
            return self._pipeline(dimension, target, members), None
        if method == "capacity":
            return self._capacity(dimension, target, members), None
        raise UserError(_("Method: unknown method %(method)s.", method=method))

    def _history_window(self, target, start, end):
        if self.history_basis == "last_year":
            return start - relativedelta(years=1), end - relativedelta(years=1)
        return (target.date_from - relativedelta(months=self.history_months), target.date_from - relativedelta(days=1))

    def _history(self, dimension, target, members):
        """History of the target's measure for each member, measured in one bulk call."""
        specs = []
        for i, member in enumerate(members):
            vals = member["vals"]
            if dimension == "period":
                # each period is compared with the same period a year earlier
                start, end = vals["date_from"] - relativedelta(years=1), vals["date_to"] - relativedelta(years=1)
            else:
                start, end = self._history_window(target, target.date_from, target.date_to)
            overrides = {k: v for k, v in vals.items() if k in DIMENSION_FIELD.values()}
            specs.append(target._spec_for(id=i, date_from=start, date_to=end, **overrides))
        values = self.env["sales.target"]._measure_specs(specs)
        return [max(values.get(i, 0.0), 0.0) for i in range(len(members))]

    def _pipeline(self, dimension, target, members):
        """Weighted open opportunities (expected revenue × probability) of each member."""
        domain = [("type", "=", "opportunity"), ("probability", "<", 100), ("company_id", "=", target.company_id.id)]
        if target.team_id:
            domain.append(("team_id", "=", target.team_id.id))
        if target.user_id:
            domain.append(("user_id", "=", target.user_id.id))
        if dimension == "period":
            groups = self.env["crm.lead"]._read_group(
                domain + [("date_deadline", ">=", target.date_from), ("date_deadline", "<=", target.date_to)],
                ["date_deadline:day"], ["prorated_revenue:sum"])
            by_day = {fields.Date.to_date(day): value for day, value in groups}
            weights = [sum(v for d, v in by_day.items() if m["vals"]["date_from"] <= d <= m["vals"]["date_to"])
                       for m in members]
        else:
            fname = DIMENSION_FIELD[dimension]
            ids = [m["vals"][fname] for m in members]
            groups = self.env["crm.lead"]._read_group(domain + [(fname, "in", ids)], [fname], ["prorated_revenue:sum"])
            by_member = {record.id: value for record, value in groups}
            weights = [by_member.get(i, 0.0) for i in ids]
        if not any(weights):
            raise UserError(self.env._(
                "Method: target %(target)s has no open pipeline to split by.", target=target.display_name))
        return weights

    def _capacity(self, dimension, target, members):
        """Lead capacity of each salesperson in the target's team, or headcount of each team."""
        if dimension == "team":
            teams = self.env["crm.team"].browse([m["vals"]["team_id"] for m in members])
            weights = [len(team.member_ids) for team in teams]
        else:
            memberships = self.env["crm.team.member"].search([("crm_team_id", "=", target.team_id.id)])
            capacity = {m.user_id.id: m.assignment_max for m in memberships}
            weights = [capacity.get(m["vals"]["user_id"], 0) for m in members]
        if not any(weights):
            raise UserError(self.env._(
                "Method: no capacity is known for the parts of %(target)s.", target=target.display_name))
        return weights

    def _note(self, text):
        self.info = (self.info or "") + f"<p>{text}</p>"

    def _note_seasonality(self, target, indices, fallback):
        _ = self.env._
        if fallback:
            self._note(_("%(target)s: too little history for seasonality; split evenly.", target=target.display_name))
        else:
            shown = ", ".join(f"{i + 1}: {x:.2f}" for i, x in enumerate(indices))
            self._note(_("%(target)s: monthly seasonality indices %(indices)s.", target=target.display_name,
                         indices=shown))

    # ------------------------------------------------------------------ computation
    def _compute_lines(self):
        """Every sub-target of every target, as line values, in memory."""
        self.ensure_one()
        self._check_setup()
        self.info = False
        lines = []
        for target in self.target_ids:
            base = {"parent_target_id": target.id, "date_from": target.date_from, "date_to": target.date_to,
                    "plan_id": target.plan_id.id}
            total = target.target_value
            dims = self._dimensions()
            members_1, weights_1, history_1 = self._axis(target, 1, *dims[0])
            if len(dims) == 1:
                values = target._split_values(target.target_value, weights_1)
                total_w = sum(weights_1)
                for i, member in enumerate(members_1):
                    lines.append(self._line_vals(base, member, None, values[i], weights_1[i],
                                                 weights_1[i] / total_w, history_1[i] if history_1 else 0.0, i, 0))
                continue
            members_2, weights_2, _history_2 = self._axis(target, 2, *dims[1])
            rows = target._split_values(target.target_value, weights_1)
            cols = target._split_values(target.target_value, weights_2)
            seed = self._matrix_seed(target, dims, members_1, members_2, weights_1, weights_2)
            if target.kpi_id.rollup == "average":
                matrix = [[target.target_value] * len(members_2) for _ in members_1]
            else:
                matrix = allocation.allocate_matrix(target.target_value, rows, cols, seed=seed,
                                                    step=target._rounding_step())
            members_3, weights_3 = [None], [1.0]
            if len(dims) == 3:
                members_3, weights_3, _history_3 = self._axis(target, 3, *dims[2])
            for i, m1 in enumerate(members_1):
                for j, m2 in enumerate(members_2):
                    cell = [matrix[i][j]] if len(dims) == 2 else target._split_values(matrix[i][j], weights_3)
                    for k, m3 in enumerate(members_3):
                        share = cell[k] / total if total else 0.0
                        lines.append(self._line_vals(base, m1, m2, cell[k], seed[i][j] * weights_3[k], share,
                                                     seed[i][j], i, j, member_3=m3, sub=k))
        return lines

    def _axis(self, target, index, dimension, method):
        """``(members, weights, history)`` of the ``index``-th dimension of the split."""
        members = self._members(dimension, target)
        if not members:
            label = self._fields[f"dimension_{index}"].get_description(self.env)["string"]
            raise UserError(self.env._("%(field)s: %(dimension)s gives no part for %(target)s.", field=label,
                                       dimension=dict(DIMENSIONS)[dimension], target=target.display_name))
        weights, history = self._weights(dimension, method, target, members)
        self._check_weights(weights, target)
        return members, weights, history

    def _matrix_seed(self, target, dims, members_1, members_2, weights_1, weights_2):
        """History of every cell when a method uses history, else the product of the weights."""
        if {dims[0][1], dims[1][1]} & {"history", "seasonality"}:
            cells = [{"vals": {**a["vals"], **b["vals"]}} for a in members_1 for b in members_2]
            dimension = "period" if "period" in (dims[0][0], dims[1][0]) else dims[0][0]
            history = self._history(dimension, target, cells)
            if any(history):
                n = len(members_2)
                # a little of the even product keeps cells without history alive
                return [[history[i * n + j] + 1e-6 * weights_1[i] * weights_2[j] for j in range(n)]
                        for i in range(len(members_1))]
        return [[a * b for b in weights_2] for a in weights_1]

    def _check_weights(self, weights, target):
        for w in weights:
            if w is None or w < 0:
                raise UserError(self.env._(
                    "Weights of %(target)s: a weight is negative; weights must be zero or more.",
                    target=target.display_name))
        if not sum(weights) > 0:
            raise UserError(self.env._(
                "Weights of %(target)s: the weights add up to zero; nothing can be split by them.",
                target=target.display_name))

    def _line_vals(self, base, member_1, member_2, value, weight, share, history, row, col,
                   member_3=None, sub=0):
        """One preview line; ``base`` holds what all lines of a target share (read once)."""
        vals = {**base, "label_1": member_1["label"],
                "label_2": member_2["label"] if member_2 else False,
                "label_3": member_3["label"] if member_3 else False,
                "value": value, "weight": weight, "share": share * 100.0, "history_value": history,
                "row": row, "col": col, "sub": sub}
        vals.update(member_1["vals"])
        if member_2:
            vals.update(member_2["vals"])
        if member_3:
            vals.update(member_3["vals"])
        return vals

    # ------------------------------------------------------------------ actions
    def action_preview(self):
        self.ensure_one()
        lines = self._compute_lines()
        self.line_ids.unlink()
        if len(lines) > PREVIEW_LIMIT:
            self._note(self.env._("%(count)s sub-targets: too many to list; they are computed again when applied.",
                                  count=len(lines)))
        else:
            self.line_ids = [fields.Command.create(vals) for vals in lines]
        self.state = "preview"
        return self._reopen()

    def action_redistribute(self):
        """Keep locked lines, spread the rest of each target over the unlocked lines by
        their weights, so that each target's total stays the same."""
        self.ensure_one()
        by_target = self.line_ids.grouped("parent_target_id")
        for target in self.target_ids:
            lines = by_target.get(target, self.env["sales.target.decompose.line"])
            lines = lines.sorted(lambda ln: (ln.row, ln.col, ln.sub))
            if not lines:
                continue
            locked = {i: line.value for i, line in enumerate(lines) if line.locked}
            weights = [line.weight for i, line in enumerate(lines)]
            if any(w < 0 for w in weights):
                raise UserError(self.env._("Weights of %(target)s: a weight is negative.", target=target.display_name))
            try:
                values = target._split_values(target.target_value, weights, locked=locked)
            except allocation.AllocationError as exc:
                raise UserError(self.env._("Preview of %(target)s: %(error)s.",
                                           target=target.display_name, error=str(exc))) from exc
            for line, value in zip(lines, values):
                if line.value != value:
                    line.value = value
        return self._reopen()

    def action_apply(self):
        """Create the sub-targets, replacing earlier ones: all of them or none."""
        self.ensure_one()
        self._check_setup()
        if self.line_ids:
            lines = [line._child_vals() for line in self.line_ids]
        else:
            lines = [self.env["sales.target.decompose.line"]._vals_to_child(vals) for vals in self._compute_lines()]
        self._check_lines(lines)
        previous = self.target_ids.child_ids
        if len(lines) > BACKGROUND_THRESHOLD:
            job = self.env["sales.target.decomposition"].create({
                "plan_id": self.plan_id.id, "parent_ids": [fields.Command.set(self.target_ids.ids)],
            })
            job._set_payload(lines, replace=previous)
            return {"type": "ir.actions.act_window", "res_model": "sales.target.plan", "res_id": self.plan_id.id,
                    "view_mode": "form", "target": "current"}
        previous.unlink()
        children = self.env["sales.target"].create(lines)
        return window_action(self.env, "crm_sales_target.sales_target_action", [("id", "in", children.ids)])

    def _check_lines(self, lines):
        _ = self.env._
        by_parent = {}
        for vals in lines:
            by_parent.setdefault(vals["parent_id"], []).append(vals)
            if vals["target_value"] < 0:
                raise UserError(_("Preview: a value is negative."))
        for target in self.target_ids:
            children = by_parent.get(target.id, [])
            plan = self.env["sales.target.plan"].browse({v["plan_id"] for v in children})
            for vals in children:
                child_plan = plan.browse(vals["plan_id"])
                if vals["date_from"] < child_plan.date_from or vals["date_to"] > child_plan.date_to:
                    raise UserError(_("Periods: %(start)s → %(end)s lies outside the plan %(plan)s.",
                                      start=vals["date_from"], end=vals["date_to"], plan=child_plan.name))
            if target.kpi_id.rollup == "average":
                continue
            step = target._rounding_step()
            total = sum(allocation.to_units(v["target_value"], step) for v in children)
            if total != allocation.to_units(target.target_value, step):
                raise UserError(_(
                    "Preview of %(target)s: the parts add up to %(parts)s instead of %(total)s; "
                    "redistribute before applying.",
                    target=target.display_name, parts=round(total * step, 6), total=target.target_value))

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": self.env._("Decompose Targets")}


class SalesTargetDecomposeLine(models.TransientModel):
    _name = "sales.target.decompose.line"
    _description = "Decomposition Preview Line"
    _order = "parent_target_id, row, col, sub, id"

    wizard_id = fields.Many2one("sales.target.decompose", required=True, ondelete="cascade")
    parent_target_id = fields.Many2one("sales.target", string="Target", required=True, ondelete="cascade")
    label_1 = fields.Char("Part", readonly=True)
    label_2 = fields.Char("Sub-part", readonly=True)
    label_3 = fields.Char("Detail", readonly=True)
    row = fields.Integer(readonly=True)
    col = fields.Integer(readonly=True)
    sub = fields.Integer(readonly=True)
    plan_id = fields.Many2one("sales.target.plan", readonly=True)
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    product_categ_id = fields.Many2one("product.category", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    region_id = fields.Many2one("sales.target.region", readonly=True)
    customer_type = fields.Selection(
        [("new", "New customers"), ("existing", "Existing customers"), ("potential", "Potential customers")],
        readonly=True)
    history_value = fields.Float("History", readonly=True)
    weight = fields.Float()
    share = fields.Float("Share (%)", readonly=True)
    value = fields.Float()
    locked = fields.Boolean(help="A locked line keeps its value when the others are redistributed.")

    @api.onchange("value")
    def _onchange_value(self):
        self.locked = True

    def _child_vals(self):
        self.ensure_one()
        vals = self.parent_target_id._prepare_child_vals(
            plan_id=self.plan_id.id or self.parent_target_id.plan_id.id,
            date_from=self.date_from, date_to=self.date_to, target_value=self.value)
        for fname in ("user_id", "team_id", "product_categ_id", "product_id", "region_id"):
            if self[fname]:
                vals[fname] = self[fname].id
        if self.customer_type:
            vals["customer_type"] = self.customer_type
        return vals

    @api.model
    def _vals_to_child(self, line_vals):
        parent = self.env["sales.target"].browse(line_vals["parent_target_id"])
        vals = parent._prepare_child_vals(target_value=line_vals["value"])
        for fname in ("plan_id", "date_from", "date_to", "user_id", "team_id", "product_categ_id", "product_id",
                      "region_id", "customer_type"):
            if line_vals.get(fname):
                vals[fname] = line_vals[fname]
        return vals
