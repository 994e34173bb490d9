"""The decomposition wizard: split targets along one to three dimensions, preview, apply.

Set up (targets, dimensions, methods), preview (every sub-target computed in memory from the
parts of ``sales.target.decompose.members`` and the weights of
``sales.target.decompose.weights``, by the pure functions of ``tools.allocation``), then
apply (the sub-targets written in one batch, or by a background job when there are many).
"""

from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import measures
from ..models.sales_target import window_action
from ..models.sales_target_allocation import LINES_LIMIT, METHODS
from ..tools import allocation, dimensions
from .sales_target_decompose_weights import METHOD_DIMENSIONS

DIMENSIONS = dimensions.selection()
#: dimension -> field of sales.target it sets
#: (label, position) fields of a preview line set by each axis of the split
LINE_AXES = (("label_1", "row"), ("label_2", "col"), ("label_3", "sub"))
#: more lines than this are not shown one by one in the preview
PREVIEW_LIMIT = LINES_LIMIT  # the lines an allocation keeps are those a preview shows
#: more sub-targets than this are stored by a background job, in batches
BACKGROUND_THRESHOLD = 5000


class SalesTargetDecompose(models.TransientModel):
    _name = "sales.target.decompose"
    _description = "Decompose Sales Targets"
    _inherit = ["sales.target.decompose.members", "sales.target.decompose.weights"]

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
                # the plan's own top targets: in a sub-plan their parents lie in the parent plan
                targets = plan.target_ids.filtered(lambda t: t.parent_id.plan_id != plan)
                values["target_ids"] = [fields.Command.set(targets.ids)]
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

    # ------------------------------------------------------------------ set up
    def _dimensions(self):
        """``(dimension, method)`` of each axis of the split, dimensions from ``tools.dimensions``."""
        self.ensure_one()
        dims = [(self.dimension_1, self.method_1)]
        if self.dimension_2:
            dims.append((self.dimension_2, self.method_2 or "even"))
            if self.dimension_3:
                dims.append((self.dimension_3, self.method_3 or "even"))
        return [(dimensions.BY_KEY[key], method) for key, method in dims]

    def _dimension_label(self, dimension):
        return dict(self._fields["dimension_1"]._description_selection(self.env))[dimension.key]

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
        states = dict(self.env["sales.target.plan"]._fields["state"]._description_selection(self.env))
        for plan in self.target_ids.plan_id:
            if plan.state in ("published", "closed"):
                raise UserError(_(
                    "Plan %(plan)s is %(state)s: its targets can no longer be decomposed here. "
                    "Change published targets through an adjustment instead.",
                    plan=plan.name, state=states[plan.state]))
            if plan.state == "cancelled":
                raise UserError(_("Plan %(plan)s is cancelled.", plan=plan.name))
        can_manage = self.env.user.has_group("crm_sales_target.crm_sales_target_group_manager")
        for target in self.target_ids:
            if not can_manage and target.team_id.user_id != self.env.user:
                raise UserError(_(
                    "Target %(target)s: only the leader of its team or a sales target manager can decompose it.",
                    target=target.display_name))
            measured = set(measures.get(target.kpi_id.measure).dimensions)
            for dimension, method in self._dimensions():
                label = self._dimension_label(dimension)
                if dimension.field and target[dimension.field] and not dimension.nested:
                    raise UserError(_(
                        "Split by: target %(target)s is already for one %(dimension)s; choose another dimension.",
                        target=target.display_name, dimension=label))
                if not set(dimension.columns) <= measured:
                    raise UserError(_(
                        "Split by: the KPI %(kpi)s does not measure by %(dimension)s; choose another dimension.",
                        kpi=target.kpi_id.name, dimension=label))
                if dimension.key == "period" and self.period_unit == "child_plans" and not target.plan_id.child_ids:
                    raise UserError(_("Periods: plan %(plan)s has no sub-plans.", plan=target.plan_id.name))
                if dimension.key not in METHOD_DIMENSIONS.get(method, (dimension.key,)):
                    raise UserError({
                        "seasonality": _("Method: seasonality only splits along periods."),
                        "capacity": _("Method: capacity only splits among salespeople or teams."),
                        "pipeline": _("Method: the pipeline only splits among salespeople, teams or periods."),
                    }[method])

    # ------------------------------------------------------------------ preview
    def _compute_lines(self):
        """Every sub-target of every target, as line values, in memory."""
        self.ensure_one()
        self._check_setup()
        self.info = False
        dims = self._dimensions()
        if any(method == "weights" for _d, method in dims):
            self._note(self.env._("Manual weights: type a weight on each line, then Redistribute."))
        lines = []
        for target in self.target_ids:
            with self._allocation_errors(target, self.env._(
                    "Choose other weights, parts or another method, then preview again.")):
                lines += self._target_lines(target, dims)
        return lines

    def _target_lines(self, target, dims):
        """The lines of one target: its parts along each axis, their weights (history read
        in one bulk call), then the values split from the target's."""
        axes = [(dimension, method, self._parts(index, dimension, target))
                for index, (dimension, method) in enumerate(dims, 1)]
        seed_cells = None
        if len(axes) > 1 and {axes[0][1], axes[1][1]} & {"history", "seasonality"}:
            seed_cells = self._seed_cells(axes)
        memo = self._prefetch_history(target, axes, seed_cells)
        weighted = []
        for dimension, method, members in axes:
            weights, history = self._weights(dimension, method, target, members, memo)
            self._check_weights(weights, target)
            weighted.append((members, weights, history))
        base = {"parent_target_id": target.id, "date_from": target.date_from, "date_to": target.date_to,
                "plan_id": target.plan_id.id}
        # what each part gives its lines, merged once per part rather than once per line
        parts = [[{label: m["label"], position: n, **m["vals"]} for n, m in enumerate(members)]
                 for (label, position), (members, _w, _h) in zip(LINE_AXES, weighted)]
        parts[0] = [{**base, "label_2": False, "col": 0, "label_3": False, "sub": 0, **p} for p in parts[0]]
        if len(axes) == 1:
            _members, weights, history = weighted[0]
            values = target._split_values(target.target_value, weights)
            if target.kpi_id.rollup != "average":
                values = self._round_to_step(target, [values], [target.display_name],
                                             [p["label_1"] for p in parts[0]])[0]
            total_w = sum(weights)
            return [{**part, "value": values[i], "weight": weights[i], "share": weights[i] / total_w * 100.0,
                     "history_value": history[i] if history else 0.0} for i, part in enumerate(parts[0])]
        seed, history = self._matrix_seed(target, seed_cells, memo, weighted[0][1], weighted[1][1])
        return self._matrix_lines(target, parts, seed, [w for _m, w, _h in weighted], history)

    def _matrix_lines(self, target, parts, seed, weights, history=None):
        """Lines of a matrix of the first two axes (rows and columns both add up to their
        split of the target), each cell split again along the third axis if any; ``history``
        the cells' own history when it seeded the matrix."""
        total = target.target_value
        weights_1, weights_2 = weights[:2]
        average = target.kpi_id.rollup == "average"
        if average:
            matrix = [[total] * len(weights_2) for _w in weights_1]
        else:
            matrix = allocation.allocate_matrix(total, target._split_values(total, weights_1),
                                                target._split_values(total, weights_2), seed=seed,
                                                step=target._rounding_step())
            matrix = self._round_to_step(target, matrix, [p["label_1"] for p in parts[0]],
                                         [p["label_2"] for p in parts[1]])
        history = history or seed
        share_of = 100.0 / total if total else 0.0
        parts_1, parts_2 = parts[:2]
        lines = []
        if len(parts) == 2:
            for i, part_1 in enumerate(parts_1):
                row, seed_row, history_row = matrix[i], seed[i], history[i]
                for j, part_2 in enumerate(parts_2):
                    lines.append({**part_1, **part_2, "value": row[j], "weight": seed_row[j],
                                  "share": row[j] * share_of, "history_value": history_row[j]})
            return lines
        weights_3 = weights[2]
        cells = [value for row in matrix for value in row]
        if average:
            split = [[value] * len(weights_3) for value in cells]
        else:
            split = allocation.allocate_each(cells, weights_3, step=target._rounding_step())
        parts_3, n_2 = parts[2], len(parts_2)
        for i, part_1 in enumerate(parts_1):
            seed_row, history_row = seed[i], history[i]
            for j, part_2 in enumerate(parts_2):
                cell = {**part_1, **part_2, "history_value": history_row[j]}
                values = split[i * n_2 + j]
                for k, part_3 in enumerate(parts_3):
                    lines.append({**cell, **part_3, "value": values[k], "weight": seed_row[j] * weights_3[k],
                                  "share": values[k] * share_of})
        return lines

    def _parts(self, index, dimension, target):
        """The members of the ``index``-th dimension of the split, refused when there are none."""
        members = self._members(dimension, target)
        if not members:
            label = self._fields[f"dimension_{index}"].get_description(self.env)["string"]
            raise UserError(self.env._("%(field)s: %(dimension)s gives no part for %(target)s.", field=label,
                                       dimension=self._dimension_label(dimension), target=target.display_name))
        return members

    def _seed_cells(self, axes):
        """``(dimension, cells)`` whose history seeds the matrix of the first two axes."""
        (dim_1, _m1, members_1), (dim_2, _m2, members_2) = axes[:2]
        cells = [{"vals": {**a["vals"], **b["vals"]}} for a in members_1 for b in members_2]
        return (dim_1 if dim_1.key == "period" or dim_2.key != "period" else dim_2), cells

    def _matrix_seed(self, target, seed_cells, memo, weights_1, weights_2):
        """``(seed, history of the cells or None)``: the cells' history smoothed towards
        their row and column shares when a method uses history, else the product of the weights."""
        if seed_cells:
            history = self._history(seed_cells[0], target, seed_cells[1], memo)
            if any(history):
                n = len(weights_2)
                cells = [history[i * n:(i + 1) * n] for i in range(len(weights_1))]
                smoothed = self._smooth_seed(target, cells)
                # a little of the even product keeps cells without history alive
                return [[smoothed[i][j] + 1e-6 * w_1 * weights_2[j] for j in range(n)]
                        for i, w_1 in enumerate(weights_1)], cells
        return [[a * b for b in weights_2] for a in weights_1], None

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

    @contextmanager
    def _allocation_errors(self, target, hint):
        """Turn an allocation that cannot be made into a message naming the target and what to change."""
        try:
            yield
        except allocation.AllocationError as exc:
            raise UserError(self.env._("%(target)s cannot be split: %(error)s. %(hint)s",
                                       target=target.display_name, error=str(exc), hint=hint)) from exc

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
        their weights, so that each target's total stays the same; shares follow."""
        self.ensure_one()
        by_target = self.line_ids.grouped("parent_target_id")
        for target in self.target_ids:
            lines = by_target.get(target, self.env["sales.target.decompose.line"])
            lines = lines.sorted(lambda ln: (ln.row, ln.col, ln.sub))
            if not lines:
                continue
            locked = {i: line.value for i, line in enumerate(lines) if line.locked}
            weights = lines.mapped("weight")
            if any(w < 0 for w in weights):
                raise UserError(self.env._("Weights of %(target)s: a weight is negative.",
                                           target=target.display_name))
            with self._allocation_errors(target, self.env._(
                    "Unlock lines, lower the locked values or give the unlocked lines a weight, then redistribute.")):
                values = target._split_values(target.target_value, weights, locked=locked)
            shares = self._shares(target, weights, locked)
            for line, value, share in zip(lines, values, shares):
                if line.value != value or line.share != share:
                    line.write({"value": value, "share": share})
        return self._reopen()

    def _shares(self, target, weights, locked):
        """Share (%) of each line: a locked line its value; the unlocked ones what the locked
        lines leave, in proportion to their weights."""
        total = target.target_value
        if target.kpi_id.rollup == "average" or not total:
            total_w = sum(weights) or 1.0
            return [w / total_w * 100.0 for w in weights]
        free_share = max(total - sum(locked.values()), 0.0) / total
        free_w = sum(w for i, w in enumerate(weights) if i not in locked) or 1.0
        return [locked[i] / total * 100.0 if i in locked else w / free_w * free_share * 100.0
                for i, w in enumerate(weights)]

    # ------------------------------------------------------------------ apply
    def action_apply(self):
        """Create the sub-targets, replacing earlier ones: all of them or none."""
        self.ensure_one()
        self.target_ids.plan_id._check_no_running_decomposition()
        self._check_setup()
        Line = self.env["sales.target.decompose.line"]
        computed = None if self.line_ids else self._compute_lines()
        lines = self.line_ids._child_vals() if self.line_ids else Line._children_vals(computed)
        self._check_lines(lines)
        previous = self.target_ids.child_ids
        Allocation = self.env["sales.target.allocation"]
        if len(lines) > BACKGROUND_THRESHOLD:
            job = self.env["sales.target.decomposition"].create({
                "plan_id": self.plan_id.id, "parent_ids": [fields.Command.set(self.target_ids.ids)],
            })
            job._set_payload(lines, replace=previous)
            Allocation._record(self, job=job, computed=computed)
            return self._applied_action(len(lines), {
                "type": "ir.actions.act_window", "res_model": "sales.target.plan", "res_id": self.plan_id.id,
                "view_mode": "form", "target": "current"}, background=True)
        previous.unlink()
        children = self.env["sales.target"]._create_bulk(lines)
        Allocation._record(self, children=children, computed=computed)
        return self._applied_action(len(children), window_action(
            self.env, "crm_sales_target.sales_target_action", [("id", "in", children.ids)]))

    def _check_lines(self, lines):
        _ = self.env._
        by_parent = {}
        for vals in lines:
            by_parent.setdefault(vals["parent_id"], []).append(vals)
            if vals["target_value"] < 0:
                raise UserError(_("Preview: a value is negative."))
        for target in self.target_ids:
            children = by_parent.get(target.id, [])
            plans = self.env["sales.target.plan"].browse({v["plan_id"] for v in children})
            for vals in children:
                child_plan = plans.browse(vals["plan_id"])
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
