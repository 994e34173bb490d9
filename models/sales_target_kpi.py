from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval, time

from ..tools import pacing
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
    threshold_good = fields.Float(
        "Good from (%)", default=100.0,
        help="A target of this KPI whose attainment reaches this percentage shows green. Attainment "
             "already follows the KPI's direction (for lower-is-better KPIs, 100 % means at or under target).")
    threshold_bad = fields.Float(
        "Bad below (%)", default=80.0,
        help="A target of this KPI whose attainment is under this percentage shows red; in between, amber.")
    description = fields.Text(translate=True)
    target_count = fields.Integer(compute="_compute_target_count")
    refresh_error = fields.Text(
        "Last measuring error", readonly=True, copy=False,
        help="Why the actuals of this KPI could not be measured at the last refresh; its targets kept "
             "their previous figures. Cleared by the next refresh that succeeds.")
    refresh_error_date = fields.Datetime("Failed on", readonly=True, copy=False)

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

    @api.constrains("threshold_good", "threshold_bad")
    def _check_thresholds(self):
        for kpi in self:
            if not 0.0 <= kpi.threshold_bad <= kpi.threshold_good:
                raise ValidationError(self.env._(
                    "Thresholds of KPI %(kpi)s: \"Bad below\" (%(bad)s %%) must be between 0 and "
                    "\"Good from\" (%(good)s %%).", kpi=kpi.name, bad=kpi.threshold_bad, good=kpi.threshold_good))

    def _traffic_light(self, attainment):
        """``"good"``, ``"warning"`` or ``"bad"``: where ``attainment`` (%, direction already
        applied) stands against this KPI's thresholds."""
        self.ensure_one()
        return pacing.traffic_light(attainment, self.threshold_good, self.threshold_bad)

    @api.constrains("domain", "measure")
    def _check_domain(self):
        for kpi in self:
            try:
                domain = kpi._get_domain()
                # as when measuring: the filter's form, whatever this user may read
                companies = kpi.company_id or self.env.companies
                measures.filter_query(self.env, kpi.source_model, domain, companies.ids)
            except Exception as exc:  # any parsing or field error means a bad filter
                raise ValidationError(self.env._(
                    "Filter of KPI %(kpi)s: it must be a valid domain on %(model)s (%(error)s).",
                    kpi=kpi.name, model=kpi.source_model, error=exc)) from exc

    def write(self, vals):
        if "measure" in vals:
            changed = self.filtered(lambda k: k.measure != vals["measure"])
            if changed:
                # an integrity check, like the foreign key that keeps used KPIs: targets of every
                # company count, seen or not by this user
                self.env["sales.target"].flush_model(["kpi_id"])
                self.env.cr.execute(SQL("SELECT kpi_id, COUNT(*) FROM sales_target WHERE kpi_id IN %s GROUP BY kpi_id",
                                        tuple(changed.ids)))
                for kpi_id, count in self.env.cr.fetchall():
                    raise UserError(self.env._(
                        "Measure of KPI %(kpi)s: %(count)s targets use it and would change meaning; "
                        "create a new KPI instead.", kpi=self.browse(kpi_id).name, count=count))
        return super().write(vals)

    def _domain_eval_context(self):
        """What a filter may use, as in Odoo's own filters: ``uid``, ``user``,
        ``context_today()`` (in the company's time zone), ``datetime``, ``relativedelta``
        and ``time``."""
        company = self.company_id or self.env.company
        return {
            "uid": self.env.uid, "user": self.env.user,
            "context_today": company._sales_target_today,
            "datetime": safe_datetime, "relativedelta": dateutil.relativedelta.relativedelta, "time": time,
        }

    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]", self._domain_eval_context())
        if not isinstance(domain, (list, tuple)):
            raise ValueError(self.env._("a domain is a list"))
        return list(domain)

    def _record_refresh_errors(self, errors):
        """Show on each KPI of ``self`` the error of the last refresh (``{kpi id: message}``),
        or clear it; only on the KPIs the current user may write."""
        now = fields.Datetime.now()
        kpis = self._filtered_access("write") if not self.env.su else self
        for kpi in kpis:
            message = errors.get(kpi.id)
            if message and kpi.refresh_error != message:
                kpi.write({"refresh_error": message, "refresh_error_date": now})
            elif not message and kpi.refresh_error:
                kpi.write({"refresh_error": False, "refresh_error_date": False})

    def action_view_targets(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_action", [("kpi_id", "=", self.id)],
                             {"default_kpi_id": self.id})
