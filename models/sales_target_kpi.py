from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

from . import measures
from .sales_target import window_action


class SalesTargetKpi(models.Model):
    _name = "sales.target.kpi"
    _description = "Sales Target KPI"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, used in exports and integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the KPI with every company.")
    measure = fields.Selection(
        selection="_selection_measure", required=True,
        help="How the actual value is measured from the company's documents.")
    domain = fields.Char(
        string="Filter", default="[]",
        help="Optional domain on the measure's source records (sale order lines, invoice lines, "
             "leads or sale orders) restricting what counts.")
    source_model = fields.Char(compute="_compute_source_model")
    unit = fields.Selection(
        [("currency", "Currency"), ("quantity", "Quantity"), ("count", "Count"), ("percent", "Percent")],
        required=True, default="currency")
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True, default="higher")
    rollup = fields.Selection(
        [("sum", "Sum of the sub-targets"), ("average", "Average of the sub-targets")],
        string="Roll-up", compute="_compute_rollup", store=True, readonly=False, required=True, precompute=True,
        help="How sub-targets add up to their parent. Amounts, quantities and counts add up; "
             "ratios (percentages, averages) do not: their parent is compared with the average "
             "of its sub-targets.")
    description = fields.Text(translate=True)
    target_count = fields.Integer(compute="_compute_target_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A KPI code must be unique per company."),
    ]

    @api.model
    def _selection_measure(self):
        return [(key, str(measure.label)) for key, measure in measures.MEASURES.items()]

    @api.depends("unit")
    def _compute_rollup(self):
        for kpi in self:
            kpi.rollup = "average" if kpi.unit == "percent" else (kpi.rollup or "sum")

    @api.depends("measure")
    def _compute_source_model(self):
        for kpi in self:
            kpi.source_model = measures.get(kpi.measure).model if kpi.measure else False

    def _compute_target_count(self):
        counts = dict(self.env["sales.target"]._read_group(
            [("kpi_id", "in", self.ids)], ["kpi_id"], ["__count"]))
        for kpi in self:
            kpi.target_count = counts.get(kpi, 0)

    @api.onchange("measure")
    def _onchange_measure(self):
        if self.measure:
            self.unit = measures.get(self.measure).unit

    @api.constrains("measure", "unit")
    def _check_unit(self):
        for kpi in self:
            expected = measures.get(kpi.measure).unit
            if kpi.unit != expected:
                unit_labels = dict(self._fields["unit"]._description_selection(self.env))
                raise ValidationError(self.env._(
                    "Unit of KPI %(kpi)s: the measure %(measure)s is expressed in %(unit)s, "
                    "not in %(given)s.",
                    kpi=kpi.name, measure=str(measures.get(kpi.measure).label),
                    unit=unit_labels[expected], given=unit_labels[kpi.unit]))

    @api.constrains("domain", "measure")
    def _check_domain(self):
        for kpi in self:
            try:
                domain = kpi._get_domain()
                # only the filter's form is checked here, not whether this user may read the documents
                self.env[kpi.source_model]._where_calc(domain, active_test=False)
            except Exception as exc:  # any parsing or field error means a bad filter
                raise ValidationError(self.env._(
                    "Filter of KPI %(kpi)s: it must be a valid domain on %(model)s (%(error)s).",
                    kpi=kpi.name, model=kpi.source_model, error=exc)) from exc

    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]")
        if not isinstance(domain, (list, tuple)):
            raise ValueError(self.env._("a domain is a list"))
        return list(domain)

    def action_view_targets(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action", [("kpi_id", "=", self.id)],
                             {"default_kpi_id": self.id})
