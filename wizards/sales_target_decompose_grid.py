"""The decomposition preview a manager reads: a split along two dimensions as a grid with
its row, column and grand totals, rounded to a step the manager chooses; the seasonality
indices as a bar chart; a legend saying what the weight and the share are; and, once
applied, a notification of how many sub-targets were made.

The arithmetic (smoothing of the seed, rounding to the step, the chart) is in ``tools.grid``
and ``tools.bar_chart``; here the wizard's lines are laid out and the words translated.
"""

from babel.dates import get_month_names
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import babel_locale_parse, format_date, formatLang

from ..tools import bar_chart, dimensions, grid

ROUNDING_STEPS = [("base", "No rounding"), ("1", "1"), ("10", "10"), ("100", "100"), ("1000", "1,000")]
#: methods whose split reads history: their matrix is seeded by the cells' history
HISTORY_METHODS = ("history", "seasonality")
#: the parts brought down to 0 by a step that a note names one by one
ZEROS_SHOWN = 5


class SalesTargetDecompose(models.TransientModel):
    _inherit = "sales.target.decompose"

    rounding_step = fields.Selection(
        ROUNDING_STEPS, string="Round to", default="base", required=True,
        help="Sub-targets are rounded to this many currency units (units of the KPI for counts); every row "
             "and column still adds up exactly, and what the total holds below one step goes to the largest part.")
    history_strength = fields.Float(
        "History strength", default=grid.HISTORY_STRENGTH, digits=(3, 2),
        help="When two dimensions are split by history or seasonality, how much each cell's own history counts "
             "(0 to 1); the rest follows the product of its row share and column share, so that one year's noise "
             "is not copied into the targets. 1 copies the history as it is; 0 gives every row the columns' "
             "shares. A cell with less than a fifth of the history its shares predict follows the shares.")
    grid_html = fields.Html("Grid", compute="_compute_grid_html", sanitize=False)
    chart_html = fields.Html("Seasonality", readonly=True, sanitize=False)
    legend_html = fields.Html("How to read the preview", readonly=True, sanitize=False)

    # ------------------------------------------------------------------ set up
    def _check_setup(self):
        result = super()._check_setup()
        if not 0 <= self.history_strength <= 1:
            raise UserError(self.env._("History strength: use a number from 0 to 1."))
        return result

    def _compute_lines(self):
        self.chart_html = False
        lines = super()._compute_lines()
        self.legend_html = self._legend()
        return lines

    def _smooth_seed(self, target, history):
        """The seed of ``target``'s matrix from the ``history`` of its cells (rows of values)."""
        return grid.smooth_seed(history, strength=self.history_strength)

    def _round_to_step(self, target, matrix, row_labels, col_labels):
        """``matrix`` (rows of values of ``target``'s parts) rounded to the chosen step, the
        parts it brings down to 0 named in a note; as it is without a step."""
        if self.rounding_step == "base":
            return matrix
        step, base = int(self.rounding_step), target._rounding_step()
        if step <= base:
            return matrix
        rounded, zeros = grid.round_to_step(matrix, step, base)
        if zeros:
            two = len(row_labels) > 1
            names = [f"{row_labels[r]} / {col_labels[c]}" if two else col_labels[c] for r, c in zeros]
            shown = ", ".join(names[:ZEROS_SHOWN]) + (", …" if len(names) > ZEROS_SHOWN else "")
            self._note(escape(self.env._(
                "%(target)s: rounded to %(step)s, %(count)s parts become 0 (%(parts)s); choose a smaller step "
                "to keep them.", target=target.display_name, step=self._step_label(), count=len(zeros),
                parts=shown)))
        return rounded

    def _step_label(self):
        return dict(self._fields["rounding_step"]._description_selection(self.env))[self.rounding_step]

    # ------------------------------------------------------------------ seasonality chart
    def _note_seasonality(self, target, indices, fallback):
        """The indices as a bar chart, the months on the axis and a line at 100."""
        if fallback:
            return super()._note_seasonality(target, indices, fallback)
        months = get_month_names("abbreviated", locale=babel_locale_parse(self.env.lang or "en_US"))
        title = self.env._("%(target)s: monthly seasonality indices (100 = an average month)",
                           target=target.display_name)
        values = [x * 100.0 for x in indices]
        svg = bar_chart.bars_svg(values, [months[m] for m in range(1, 13)], reference=100.0, title=title,
                                 value_labels=[formatLang(self.env, v, digits=0) for v in values])
        chart = Markup('<div class="o_decompose_chart"><p class="mb-1 fw-bold">%s</p>%s</div>') % (
            title, Markup(svg))  # bars_svg escapes every text it draws
        self.chart_html = (self.chart_html or Markup()) + chart

    # ------------------------------------------------------------------ legend
    def _legend(self):
        """What the weight and the share of the preview are, and where they come from."""
        _ = self.env._
        items = []
        methods = dict(self._fields["method_1"]._description_selection(self.env))
        axes = self._dimensions()
        seeded = len(axes) > 1 and {axes[0][1], axes[1][1]} & set(HISTORY_METHODS)
        for dimension, method in axes:
            items.append(_("%(dimension)s: %(method)s. %(why)s", dimension=self._dimension_label(dimension),
                           method=methods[method], why=self._method_explained(method)))
        if any(method in ("history", "seasonality") for _d, method in axes) or seeded:
            items.append(self._history_explained())
        if len(axes) > 1:
            if seeded:
                items.append(_(
                    "Weight of a cell: its own history, counted for %(strength)s, blended with the product of "
                    "its row share and column share for the rest; a cell with less than %(thin)s of the history "
                    "its shares predict follows the shares. Rows and columns are then fitted to their totals.",
                    strength=self._percent(self.history_strength), thin=self._percent(grid.THIN_SHARE)))
            else:
                items.append(_("Weight of a cell: its row's weight times its column's weight; rows and columns "
                               "are then fitted to their totals."))
        items.append(_("Share: the part of its target that each line gets, as a percentage."))
        if self.rounding_step != "base":
            items.append(_("Rounded to %(step)s: rows and columns still add up exactly; what the total holds "
                           "below one step goes to the largest part.", step=self._step_label()))
        return Markup('<ul class="mb-0 o_decompose_legend">%s</ul>') % Markup().join(
            Markup("<li>%s</li>") % item for item in items)

    def _method_explained(self, method):
        _ = self.env._
        return {
            "even": _("Weight: 1 for every part."),
            "weights": _("Weight: the number typed on each line."),
            "history": _("Weight: the part's own history of the KPI."),
            "seasonality": _("Weight: the seasonality index of each month (see the chart) times its length."),
            "pipeline": _("Weight: the open pipeline, expected revenue × probability."),
            "capacity": _("Weight: the lead capacity of each salesperson, or the headcount of each team."),
        }[method]

    def _history_explained(self):
        _ = self.env._
        start = min(self.target_ids.mapped("date_from"))
        if self.history_basis == "last_year":
            return _("History: the same period one year earlier. Seasonality: the 36 months before %(start)s.",
                     start=format_date(self.env, start))
        return _("History: the %(months)s months before %(start)s (for periods, the same months of each past "
                 "year within them). Seasonality: the 36 months before %(start)s.",
                 months=self.history_months, start=format_date(self.env, start))

    def _percent(self, ratio):
        return f"{formatLang(self.env, ratio * 100.0, digits=0)}%"

    # ------------------------------------------------------------------ grid
    @api.depends("line_ids.value", "dimension_1", "dimension_2", "period_unit")
    def _compute_grid_html(self):
        for wizard in self:
            wizard.grid_html = wizard._grid() if wizard.dimension_2 and wizard.line_ids else False

    def _grid(self):
        """One table per target: its first dimension down, its second across, cells adding
        up the third dimension if any, with row, column and grand totals."""
        self.ensure_one()
        tables = []
        for target, lines in self.line_ids.grouped("parent_target_id").items():
            rows, cols, cells = {}, {}, {}
            for line in lines:
                rows.setdefault(line.row, self._axis_label(line, 1))
                cols.setdefault(line.col, self._axis_label(line, 2))
                cells[line.row, line.col] = cells.get((line.row, line.col), 0.0) + line.value
            tables.append(self._grid_table(target, sorted(rows.items()), sorted(cols.items()), cells))
        return Markup().join(tables)

    def _axis_label(self, line, index):
        if self[f"dimension_{index}"] == "period" and self.period_unit == "month" and line.date_from:
            return format_date(self.env, line.date_from, date_format="MMM y")
        return line[f"label_{index}"] or ""

    def _grid_table(self, target, rows, cols, cells):
        _ = self.env._
        values = list(cells.values())
        digits = 0 if all(float(v).is_integer() for v in values) else self._digits(target)

        def fmt(value):
            return formatLang(self.env, value, digits=digits)

        row_totals = {r: sum(cells.get((r, c), 0.0) for c, _l in cols) for r, _l in rows}
        col_totals = {c: sum(cells.get((r, c), 0.0) for r, _l in rows) for c, _l in cols}
        corner = _("%(rows)s × %(columns)s", rows=self._dimension_label(dimensions.BY_KEY[self.dimension_1]),
                   columns=self._dimension_label(dimensions.BY_KEY[self.dimension_2]))
        total = _("Total")
        num = Markup('<td class="text-end text-nowrap%s">%s</td>')
        head = Markup("").join(Markup('<th class="text-end text-nowrap">%s</th>') % label for _c, label in cols)
        body = []
        for r, label in rows:
            row_cells = Markup("").join(
                num % (" text-muted" if not cells.get((r, c)) else "", fmt(cells.get((r, c), 0.0))) for c, _l in cols)
            body.append(Markup('<tr><th class="text-nowrap">%s</th>%s%s</tr>') % (
                label, row_cells, num % (" fw-bold", fmt(row_totals[r]))))
        foot = Markup("").join(num % (" fw-bold", fmt(col_totals[c])) for c, _l in cols)
        return Markup(
            '<div class="o_decompose_grid mb-3"><p class="mb-1 fw-bold">%s</p><div class="table-responsive">'
            # the HTML field lays bordered tables out in equal columns: the names need their width
            '<table class="table table-sm table-bordered mb-0" style="table-layout: auto;"><thead><tr><th>%s</th>%s'
            '<th class="text-end">%s</th></tr></thead><tbody>%s</tbody><tfoot><tr><th>%s</th>%s%s</tr></tfoot>'
            "</table></div></div>") % (
            target.display_name, corner, head, total, Markup("").join(body), total, foot,
            num % (" fw-bold o_decompose_grand_total", fmt(sum(row_totals.values()))))

    @staticmethod
    def _digits(target):
        step = target._rounding_step()
        digits = 0
        while digits < 6 and round(step, digits) != step:
            digits += 1
        return digits

    # ------------------------------------------------------------------ apply
    def _applied_action(self, count, next_action, background=False):
        """A notification of the ``count`` sub-targets made (or being made), then ``next_action``."""
        _ = self.env._
        shown = formatLang(self.env, count, digits=0)
        if background:
            message = _("%(count)s sub-targets are being created in the background; the plan shows the progress.",
                        count=shown)
        else:
            message = _("%(count)s sub-targets created.", count=shown)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": _("Decomposition applied"), "message": message, "type": "success", "sticky": False,
            "next": next_action}}
