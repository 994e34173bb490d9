"""Re-allocation: adjusting a parent target redistributes it by its last allocation's weights.

An allocation's lines follow the order in which the decomposition created the sub-targets
(lines by parent, row, column, sub-line; sub-targets created in that order), so the n-th line
of a parent is its n-th sub-target by id. An allocation is followed only while the parent's
current sub-targets are exactly those it made; applying the adjustment records the new split
as the allocation's next version.
"""

from odoo import fields, models

from ..tools import allocation as alloc_tools
from .sales_target_allocation import SETTINGS


class SalesTargetAllocation(models.Model):
    _inherit = "sales.target.allocation"

    adjustment_id = fields.Many2one("sales.target.adjustment", string="Adjustment", readonly=True,
                                    ondelete="restrict", index="btree_not_null",
                                    help="The adjustment whose redistribution this version records.")

    def _line_children(self):
        """``[(line, sub-target)]`` of the recorded lines, or None when the lines and the
        sub-targets no longer match one to one."""
        self.ensure_one()
        lines = self._lines()
        if not lines:
            return None
        pairs = []
        for parent in self.parent_ids:
            parent_lines = [line for line in lines if line["target_id"] == parent.id]
            children = self.child_ids.filtered(lambda c, p=parent: c.parent_id == p).sorted("id")
            if len(parent_lines) != len(children):
                return None
            pairs.extend(zip(parent_lines, children))
        return pairs if len(pairs) == len(lines) else None

    def _record_version(self, adjustment):
        """The next version of this allocation: the same settings and sub-targets, each line
        with its sub-target's value as the applied ``adjustment`` left it."""
        self.ensure_one()
        pairs = self._line_children() or []
        lines = [{**line, "value": child.target_value} for line, child in pairs]
        return self._create_version(self.parent_ids, self.plan_id, self.child_ids, lines,
                                    **{fname: self[fname] for fname in SETTINGS}, adjustment_id=adjustment.id)


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _last_allocation(self):
        """``(allocation, [(line, sub-target)])`` of this target's last allocation when it
        made exactly its current sub-targets, with usable weights; else None."""
        self.ensure_one()
        Allocation = self.env["sales.target.allocation"]
        if not self.child_ids or not isinstance(self.id, int) or not Allocation.has_access("read"):
            return None
        last = Allocation.search([("parent_ids", "in", self.ids)], limit=1)
        if not last or last.child_ids.filtered(lambda c: c.parent_id == self) != self.child_ids:
            return None
        pairs = last._line_children()
        if not pairs:
            return None
        own = [(line, child) for line, child in pairs if line["target_id"] == self.id]
        if not any(line["weight"] for line, _child in own):
            return None
        return last, own

    def _reallocation_split(self, value, report):
        """``[(sub-target, value)]`` of ``value`` split by the last allocation's weights, its
        locked sub-targets keeping their current values when the rest allows; None without
        such an allocation. ``report`` collects the allocations followed and the targets whose
        locks could not be kept (split by the weights alone)."""
        self.ensure_one()
        found = self._last_allocation()
        if not found:
            return None
        last, pairs = found
        weights = [line["weight"] for line, _child in pairs]
        children = [child for _line, child in pairs]
        locked = {i: child.target_value for i, (line, child) in enumerate(pairs) if line.get("locked")}
        if self.kpi_id.rollup == "average":
            values = self._split_values(value, weights)
        else:
            try:
                values = self._split_values(value, weights, locked=locked)
            except alloc_tools.AllocationError:
                if not locked:
                    return None
                # the locked values cannot be kept: the weights alone decide
                values = self._split_values(value, weights)
                report.setdefault("fallbacks", []).append(self)
        report["allocations"] = report.get("allocations", last.browse()) | last
        return list(zip(children, values))


class SalesTargetAdjustment(models.Model):
    _inherit = "sales.target.adjustment"

    allocation_ids = fields.Many2many(
        "sales.target.allocation", "sales_target_adjustment_allocation_rel", "adjustment_id", "allocation_id",
        string="Allocations followed", readonly=True,
        help="The allocations whose weights redistributed the sub-targets; applying the adjustment records "
             "a new version of each.")

    def _apply(self, approver=None):
        result = super()._apply(approver=approver)
        for allocation in self.allocation_ids:
            allocation._record_version(self)
        return result
