from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sales_target_governance import _same


class SalesTargetAdjust(models.TransientModel):
    _name = "sales.target.adjust"
    _description = "Adjust Targets"

    line_ids = fields.One2many("sales.target.adjust.line", "wizard_id", string="Targets")
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    reason_id = fields.Many2one("sales.target.adjustment.reason", string="Reason", required=True)
    justification = fields.Text(required=True)
    retroactive = fields.Boolean(
        help="The new values count from the start of each target's period; otherwise the days already "
             "elapsed keep the former values' pace.")
    effective_date = fields.Date(
        "Effective from", required=True, default=lambda self: self.env.company._sales_target_today())
    rebalance_siblings = fields.Boolean(
        "Re-balance the sibling targets",
        help="When a sub-target changes, its siblings take the opposite difference in proportion to their "
             "values, so the parent target is unchanged; otherwise the parent takes the difference.")
    has_parent = fields.Boolean(compute="_compute_tree_flags")
    has_children = fields.Boolean(compute="_compute_tree_flags")
    has_allocation = fields.Boolean(compute="_compute_tree_flags")
    redistribute_by = fields.Selection(
        [("allocation", "The last allocation's weights"), ("values", "Current values")],
        string="Redistribute by", compute="_compute_redistribute_by", store=True, readonly=False,
        help="How the sub-targets of an adjusted target share its new value: by the weights (and locks) of "
             "the allocation that made them, or in proportion to their current values.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "line_ids" in fields_list and context.get("active_model") == "sales.target" and context.get("active_ids"):
            targets = self.env["sales.target"].browse(context["active_ids"])
            values["line_ids"] = [fields.Command.create({
                "target_id": target.id, "old_value": target.target_value, "new_value": target.target_value,
            }) for target in targets]
            if targets.company_id[:1]:
                values["effective_date"] = targets.company_id[:1]._sales_target_today()
        return values

    @api.depends("line_ids.target_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.line_ids.target_id.company_id[:1] or self.env.company

    @api.depends("line_ids.target_id")
    def _compute_tree_flags(self):
        for wizard in self:
            wizard.has_parent = bool(wizard.line_ids.target_id.parent_id)
            wizard.has_children = bool(wizard.line_ids.target_id.child_ids)
            wizard.has_allocation = any(target._last_allocation() for target in wizard.line_ids.target_id)

    @api.depends("line_ids.target_id")
    def _compute_redistribute_by(self):
        for wizard in self:
            wizard.redistribute_by = "allocation" if wizard.has_allocation else "values"

    def _line_date(self, target):
        if self.retroactive:
            return target.date_from
        return min(max(self.effective_date, target.date_from), target.date_to)

    def _prepare_adjustment_vals(self):
        """Values of the adjustment: the lines asked for, then the targets they carry along."""
        self.ensure_one()
        targets = self.line_ids.target_id
        if not targets:
            raise UserError(self.env._("Adjust Targets: choose at least one target."))
        if len(targets.company_id) > 1:
            raise UserError(self.env._("Adjust Targets: the targets must belong to one company."))
        today = self.company_id._sales_target_today()
        if not self.retroactive and self.effective_date > today:
            raise UserError(self.env._(
                "Effective from: %(date)s is in the future; an adjustment takes effect today at the latest "
                "(or from the start of the period when retroactive).", date=self.effective_date))
        not_published = targets.filtered(lambda t: t.plan_id.state != "published")
        if not_published:
            raise UserError(self.env._(
                "Target %(target)s: only the targets of published plans are adjusted.",
                target=not_published[0].display_name))
        asked = {line.target_id: line.new_value for line in self.line_ids
                 if not _same(line.target_id, line.new_value, line.old_value)}
        if not asked:
            raise UserError(self.env._("Adjust Targets: no new value differs from the current one."))
        for target, value in asked.items():
            if value < 0:
                raise UserError(self.env._("New value of %(target)s: it must not be negative.",
                                           target=target.display_name))
        report = {} if self.redistribute_by == "allocation" else None
        values, kinds = targets._adjustment_plan(asked, rebalance_siblings=self.rebalance_siblings,
                                                 allocation_report=report)
        justification = self.justification
        report = report or {}
        fallbacks = report.get("fallbacks")
        if fallbacks:
            # the manager reads why a locked sub-target moved all the same
            note = self.env._(
                "The locked sub-targets of %(targets)s could not keep their values within the new value: "
                "they were redistributed by the allocation's weights alone.",
                targets=", ".join(target.display_name for target in fallbacks))
            justification = f"{justification}\n\n{note}"
        # the values the user saw when opening the wizard: the version checked when applying
        opened = {line.target_id: line.old_value for line in self.line_ids}
        lines = [fields.Command.create({
            "target_id": target.id, "kind": kinds[target], "new_value": value,
            "old_value": opened.get(target, target.target_value), "effective_date": self._line_date(target),
        }) for target, value in values.items()]
        return {
            "company_id": targets.company_id.id, "reason_id": self.reason_id.id,
            "justification": justification, "retroactive": self.retroactive,
            "effective_date": self.effective_date, "line_ids": lines,
            "allocation_ids": [fields.Command.set(report["allocations"].ids)] if report.get("allocations") else [],
        }

    def action_apply(self):
        self.ensure_one()
        adjustment = self.env["sales.target.adjustment"].create(self._prepare_adjustment_vals())
        adjustment.action_submit()
        return {
            "type": "ir.actions.act_window", "res_model": "sales.target.adjustment", "res_id": adjustment.id,
            "view_mode": "form", "target": "current",
        }
