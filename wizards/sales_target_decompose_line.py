"""One line of the decomposition preview: a sub-target before it is created."""

from odoo import api, fields, models

from ..models.sales_target import CUSTOMER_TYPES
from ..tools import dimensions

#: fields a line carries over to its sub-target when set (the split dimensions and the period)
CHILD_FIELDS = ("plan_id", "date_from", "date_to", *dimensions.SPLIT_FIELDS.values())


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
    customer_type = fields.Selection(CUSTOMER_TYPES, readonly=True)
    history_value = fields.Float("History", readonly=True)
    weight = fields.Float(help="Type the weights of the lines, then Redistribute: the unlocked lines share "
                               "what the locked ones leave in proportion to their weights.")
    share = fields.Float("Share (%)", readonly=True)
    value = fields.Float()
    locked = fields.Boolean(help="A locked line keeps its value when the others are redistributed.")

    @api.onchange("value")
    def _onchange_value(self):
        self.locked = True

    def _child_vals(self):
        """Values of the sub-target of each line, in order."""
        return self._children_vals([
            {"parent_target_id": line.parent_target_id.id, "value": line.value,
             **{fname: line._fields[fname].convert_to_write(line[fname], line) for fname in CHILD_FIELDS}}
            for line in self])

    @api.model
    def _vals_to_child(self, line_vals):
        return self._children_vals([line_vals])[0]

    @api.model
    def _children_vals(self, lines):
        """Values of the sub-targets of line values ``lines`` (as ``_compute_lines`` gives
        them): what each parent passes on is read once per parent."""
        parents = {}
        result = []
        for line_vals in lines:
            parent_id = line_vals["parent_target_id"]
            if parent_id not in parents:
                parents[parent_id] = self.env["sales.target"].browse(parent_id)._prepare_child_vals()
            vals = {**parents[parent_id], "target_value": line_vals["value"]}
            for fname in CHILD_FIELDS:
                if line_vals.get(fname):
                    vals[fname] = line_vals[fname]
            result.append(vals)
        return result
