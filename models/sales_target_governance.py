"""Targets of published and closed plans are frozen: an adjustment is the only way to change them.

The adjustment's apply path marks its writes with ``_ADJUSTING``, an object that lives in
this process only: a client can put any key in the context of an RPC call, but never this
object, so ``is`` tells the apply path from everything else.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import allocation, pgarray
from .sales_target import window_action

FROZEN_STATES = ("published", "closed")
_ADJUSTING = object()
_ADJUSTING_KEY = "sales_target_adjusting"


def _adjusting(records):
    """``records`` in the environment allowed to change frozen targets; for the apply path only."""
    return records.with_context(**{_ADJUSTING_KEY: _ADJUSTING})


class SalesTarget(models.Model):
    _inherit = "sales.target"

    # computed, not a one2many: the applied lines only, as the reader may see them
    adjustment_line_ids = fields.Many2many(
        "sales.target.adjustment.line", string="Version history", compute="_compute_adjustment_history")
    adjustment_count = fields.Integer("Adjustments", compute="_compute_adjustment_history")

    def _compute_adjustment_history(self):
        lines = self.env["sales.target.adjustment.line"].search(
            [("target_id", "in", self._origin.ids), ("state", "=", "applied")])
        by_target = {}
        for line in lines:
            by_target.setdefault(line.target_id.id, []).append(line.id)
        for target in self:
            ids = by_target.get(target._origin.id, [])
            target.adjustment_line_ids = [fields.Command.set(ids)]
            target.adjustment_count = len(ids)

    # ------------------------------------------------------------------ the freeze
    def _is_adjusting(self):
        return self.env.context.get(_ADJUSTING_KEY) is _ADJUSTING

    def _frozen_free_fields(self):
        """Fields that stay writable on frozen targets (none here; an extension that keeps,
        say, a monitoring mark on targets adds its field)."""
        return set()

    def _may_change_frozen(self):
        # the superuser is server code (crons, install, tests' set-up), never an RPC caller
        return self.env.su or self._is_adjusting()

    def _raise_frozen(self, targets):
        states = dict(self.env["sales.target.plan"]._fields["state"]._description_selection(self.env))
        plan = targets.plan_id[:1]
        raise UserError(self.env._(
            "Target %(target)s belongs to plan %(plan)s, which is %(state)s: its targets can no longer be "
            "created, edited or deleted. Use Adjust on the target to change its value.",
            target=targets[:1].display_name, plan=plan.name, state=states.get(plan.state, plan.state)))

    def _on_created(self):
        res = super()._on_created()
        if not self._may_change_frozen():
            # after the creation, so that record rules answer first for those without access
            frozen = self.filtered(lambda t: t.plan_id.state in FROZEN_STATES)
            if frozen:
                self._raise_frozen(frozen)
        return res

    def write(self, vals):
        if self._may_change_frozen() or not set(vals) - self._frozen_free_fields():
            return super().write(vals)
        frozen = self.filtered(lambda t: t.plan_id.state in FROZEN_STATES)
        if frozen:
            frozen.check_access("write")  # no access at all: the access error, not this one
            self._raise_frozen(frozen)
        res = super().write(vals)
        if "plan_id" in vals and self.env["sales.target.plan"].browse(vals["plan_id"]).state in FROZEN_STATES:
            self._raise_frozen(self)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if self._may_change_frozen():
            return
        frozen = self.filtered(lambda t: t.plan_id.state in FROZEN_STATES)
        if frozen:
            self._raise_frozen(frozen)

    # ------------------------------------------------------------------ values in force
    def _adjustment_segments(self):
        """``{target id: value segments}`` (``tools.pacing.value_segments``) of the targets of
        ``self`` that applied adjustments changed, records being edited included (by their
        origin); one query."""
        from ..tools import pacing
        changes = self._origin._adjustment_changes()
        if not changes:
            return {}
        if all(isinstance(tid, int) for tid in self._ids):
            # stored records (a refresh): only the adjusted ones are read
            dates = {target.id: target.date_from for target in self.browse(list(changes))}
        else:
            dates = {target._origin.id: target.date_from for target in self if target._origin.id in changes}
        return {tid: pacing.value_segments(changes[tid][0], dates[tid], changes[tid][1]) for tid in dates}

    def _adjustment_changes(self):
        """``{target id: (value before the first adjustment, [(effective day, new value), ...])}``
        of the applied adjustments of ``self``, in the order they were applied, read in one query."""
        ids = [tid for tid in self._ids if isinstance(tid, int)]
        if not ids:
            return {}
        self.env["sales.target.adjustment.line"].flush_model(
            ["target_id", "adjustment_id", "old_value", "new_value", "effective_date"])
        self.env["sales.target.adjustment"].flush_model(["state", "applied_date"])
        self.env.cr.execute(SQL("""
            SELECT l.target_id, l.old_value, l.new_value, l.effective_date
              FROM sales_target_adjustment_line l
              JOIN sales_target_adjustment a ON a.id = l.adjustment_id
             WHERE l.target_id = ANY(%s::int[]) AND a.state = 'applied'
          ORDER BY l.target_id, a.applied_date, a.id, l.id""", pgarray.literal(ids)))
        changes = {}
        for tid, old, new, day in self.env.cr.fetchall():
            changes.setdefault(tid, (old, []))[1].append((day, new))
        return changes

    # ------------------------------------------------------------------ adjusting
    def action_open_adjust(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjust Targets"),
            "res_model": "sales.target.adjust",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "sales.target", "active_ids": self.ids},
        }

    def action_view_adjustments(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_adjustment_action",
                             [("line_ids.target_id", "=", self.id)])

    def _adjustment_plan(self, new_values, rebalance_siblings=False, allocation_report=None):
        """The values an adjustment gives: ``{target: new value}`` for the targets asked in
        ``new_values`` (``{target: value}``) and those it carries along to stay consistent:

        * the sub-targets of an adjusted target, in proportion to their current values
          (largest remainder), down the whole tree; with ``allocation_report`` (a dict),
          by the weights and locks of the target's last allocation when it made the current
          sub-targets (``_reallocation_split``), the dict collecting the allocations followed
          (``allocations``) and the targets whose locks could not be kept (``fallbacks``);
        * with ``rebalance_siblings``, the other sub-targets of an adjusted target's parent
          take the opposite difference, in proportion to theirs, so the parent is unchanged;
          without it, the ancestors take the difference.

        Returns ``(values, kinds)`` where ``kinds`` maps each target to ``requested``,
        ``redistributed``, ``rebalanced`` or ``rolled_up``."""
        values, kinds = {}, {}

        def put(target, value, kind):
            if target in values and not _same(target, values[target], value):
                raise UserError(self.env._(
                    "Target %(target)s would get two different values in this adjustment (%(a)s and %(b)s): "
                    "adjust a target and its relatives in separate adjustments.",
                    target=target.display_name, a=values[target], b=value))
            values[target] = value
            kinds.setdefault(target, kind)
            down(target, value)

        def down(target, value):
            children = target.child_ids
            if not children:
                return
            split = target._reallocation_split(value, allocation_report) if allocation_report is not None else None
            if split is None:
                weights = children.mapped("target_value")
                if not any(weights):
                    weights = [1.0] * len(children)
                split = list(zip(children, target._split_values(value, weights)))
            for child, child_value in split:
                put(child, child_value, "redistributed")

        requested = {t.id for t in new_values}
        for target, value in new_values.items():
            ancestors = {int(a) for a in (target.parent_path or "").split("/")[:-2] if a}
            if ancestors & requested:
                raise UserError(self.env._(
                    "Target %(target)s and one of its parent targets are both adjusted: adjust the parent "
                    "only, its sub-targets follow.", target=target.display_name))
            put(target, value, "requested")
            parent = target.parent_id
            if not parent:
                continue
            delta = value - target.target_value
            if rebalance_siblings:
                siblings = parent.child_ids - target
                if not siblings:
                    raise UserError(self.env._(
                        "Target %(target)s has no sibling to re-balance: its parent's value would change.",
                        target=target.display_name))
                rest = sum(siblings.mapped("target_value")) - delta
                if rest < 0:
                    raise UserError(self.env._(
                        "Target %(target)s: its siblings together hold %(held)s, less than the %(delta)s to "
                        "take from them.", target=target.display_name,
                        held=sum(siblings.mapped("target_value")), delta=delta))
                weights = siblings.mapped("target_value")
                if not any(weights):
                    weights = [1.0] * len(siblings)
                try:
                    shares = allocation.allocate(rest, weights, step=target._rounding_step())
                except allocation.AllocationError as exc:
                    raise UserError(self.env._("Re-balancing the siblings of %(target)s: %(error)s",
                                               target=target.display_name, error=str(exc))) from exc
                for sibling, sibling_value in zip(siblings, shares):
                    put(sibling, sibling_value, "rebalanced")
            else:
                while parent:
                    count = len(parent.child_ids)
                    step = delta / count if parent.kpi_id.rollup == "average" else delta
                    new_parent = values.get(parent, parent.target_value) + step
                    values[parent] = new_parent
                    kinds.setdefault(parent, "rolled_up")
                    delta, parent = step, parent.parent_id
        return values, kinds


def _same(target, a, b):
    if target.currency_id:
        return not target.currency_id.compare_amounts(a, b)
    return abs(a - b) < 1e-9
