"""Weights of the parts of a target: even, history, seasonality, pipeline, capacity.

History is read in bulk: every measurement one target's split needs (the history of each
axis, the monthly history behind its seasonality and the history of every matrix cell) is
gathered first and measured in one call (``_prefetch_history``), one scan per measure.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.sales_target_allocation import HISTORY_BASES
from ..tools import cube, periods

#: method -> the dimensions it can split along (methods absent here split along any)
METHOD_DIMENSIONS = {"seasonality": ("period",), "capacity": ("user", "team"), "pipeline": ("user", "team", "period")}
#: what tells two history measurements apart
SPEC_KEY = ("kpi_id", "company_id", "date_from", "date_to", "customer_type", *cube.KEY_DIMENSIONS)


def _spec_key(spec):
    return tuple(spec.get(k) or False for k in SPEC_KEY)


class SalesTargetDecomposeWeights(models.AbstractModel):
    _name = "sales.target.decompose.weights"
    _description = "Weights of a decomposition"

    history_basis = fields.Selection(
        HISTORY_BASES,
        default="last_months", required=True,
        help="Last months: the months before the target's start (for periods, each period in the past "
             "years that fall within those months). Same period last year: each part a year earlier.")
    history_months = fields.Integer("Months of history", default=12)

    def _weights(self, dimension, method, target, members, memo):
        """``(weights, history values or None)`` of ``members`` for ``target``; ``memo``
        holds the history measured by ``_prefetch_history``."""
        _ = self.env._
        n = len(members)
        if method in ("even", "weights"):
            return [1.0] * n, None
        if method == "seasonality":
            indices, fallback = self._seasonality(target, memo)
            spans = [(m["vals"]["date_from"], m["vals"]["date_to"]) for m in members]
            self._note_seasonality(target, indices, fallback)
            return periods.seasonal_weights(spans, indices), None
        if method == "history":
            history = self._history(dimension, target, members, memo)
            if not any(history):
                self._note(_("%(target)s: no history to split by; split evenly.", target=target.display_name))
                return [1.0] * n, history
            return history, history
        if method == "pipeline":
            return self._pipeline(dimension, target, members), None
        if method == "capacity":
            return self._capacity(dimension, target, members), None
        raise UserError(_("Method: unknown method %(method)s.", method=method))

    # ------------------------------------------------------------------ history
    def _history_spans(self, dimension, target, vals):
        """The ``(start, end)`` spans whose measure is the history of one part."""
        if dimension.key == "period":
            start, end = vals["date_from"], vals["date_to"]
            if self.history_basis == "last_year":
                return [(start - relativedelta(years=1), end - relativedelta(years=1))]
            # the same period in each past year, counted only inside the window of history
            window_start = target.date_from - relativedelta(months=self.history_months)
            window_end = target.date_from - relativedelta(days=1)
            spans, years = [], 1
            while end - relativedelta(years=years) >= window_start:
                a = max(start - relativedelta(years=years), window_start)
                b = min(end - relativedelta(years=years), window_end)
                if a <= b:
                    spans.append((a, b))
                years += 1
            return spans
        if self.history_basis == "last_year":
            return [(target.date_from - relativedelta(years=1), target.date_to - relativedelta(years=1))]
        return [(target.date_from - relativedelta(months=self.history_months),
                 target.date_from - relativedelta(days=1))]

    def _history_specs(self, dimension, target, members):
        """For each member, the specs whose measures add up to its history."""
        base = target._spec_for()
        spans_of = {}  # the spans depend on a part's dates only: thousands of cells share a dozen
        result = []
        for member in members:
            vals = member["vals"]
            dates = (vals.get("date_from"), vals.get("date_to"))
            if dates not in spans_of:
                spans_of[dates] = self._history_spans(dimension, target, vals)
            overrides = {k: v for k, v in vals.items() if k in SPEC_KEY}
            result.append([{**base, **overrides, "date_from": a, "date_to": b} for a, b in spans_of[dates]])
        return result

    def _history(self, dimension, target, members, memo):
        """History of the target's measure for each member (never negative)."""
        return [max(sum(self._measured(specs, target, memo)), 0.0)
                for specs in self._history_specs(dimension, target, members)]

    def _seasonality(self, target, memo):
        indices = target._seasonality(measure=lambda specs: dict(zip(
            (s["id"] for s in specs), self._measured(specs, target, memo))))
        return indices[target.id]

    def _measured(self, specs, target, memo):
        """The measure of each of ``specs``, from ``memo``; what it lacks is measured now."""
        missing = [s for s in specs if _spec_key(s) not in memo]
        if missing:
            self._measure_into(missing, target, memo)
        return [memo[_spec_key(s)] for s in specs]

    def _measure_into(self, specs, target, memo):
        unique = {}
        for spec in specs:
            unique.setdefault(_spec_key(spec), spec)
        keys = list(unique)
        errors = {}
        values = self.env["sales.target"]._measure_specs(
            [{**spec, "id": i} for i, spec in enumerate(unique.values())], errors=errors)
        if errors:
            raise UserError(self.env._(
                "KPI %(kpi)s: its history could not be measured (%(error)s); correct the KPI's filter or "
                "split %(target)s by another method.",
                kpi=target.kpi_id.name, error="; ".join(errors.values()), target=target.display_name))
        for i, key in enumerate(keys):
            memo[key] = values.get(i, 0.0)

    def _prefetch_history(self, target, axes, seed_cells=None):
        """Measure in one call all the history the split of ``target`` reads: ``axes`` are
        ``(dimension, method, members)``; ``seed_cells`` ``(dimension, cells)`` when the
        matrix is seeded by history. Returns the memo ``{spec key: value}``."""
        specs = []
        for dimension, method, members in axes:
            if method == "history":
                specs += [s for member_specs in self._history_specs(dimension, target, members) for s in member_specs]
            elif method == "seasonality":
                specs += target._monthly_specs([target._spec_for()])[0]
        if seed_cells:
            dimension, cells = seed_cells
            specs += [s for cell in self._history_specs(dimension, target, cells) for s in cell]
        memo = {}
        if specs:
            self._measure_into(specs, target, memo)
        return memo

    # ------------------------------------------------------------------ pipeline and capacity
    def _pipeline(self, dimension, target, members):
        """Weighted open opportunities (expected revenue × probability) of each member."""
        domain = [("type", "=", "opportunity"), ("probability", "<", 100), ("company_id", "=", target.company_id.id)]
        if target.team_id:
            domain.append(("team_id", "=", target.team_id.id))
        if target.user_id:
            domain.append(("user_id", "=", target.user_id.id))
        if dimension.key == "period":
            groups = self.env["crm.lead"]._read_group(
                domain + [("date_deadline", ">=", target.date_from), ("date_deadline", "<=", target.date_to)],
                ["date_deadline:day"], ["prorated_revenue:sum"])
            by_day = {fields.Date.to_date(day): value for day, value in groups}
            weights = [sum(v for d, v in by_day.items() if m["vals"]["date_from"] <= d <= m["vals"]["date_to"])
                       for m in members]
        else:
            fname = dimension.field
            ids = [m["vals"][fname] for m in members]
            groups = self.env["crm.lead"]._read_group(domain + [(fname, "in", ids)], [fname], ["prorated_revenue:sum"])
            by_member = {record.id: value for record, value in groups}
            weights = [by_member.get(i, 0.0) for i in ids]
        if not any(weights):
            raise UserError(self.env._(
                "Method: target %(target)s has no open pipeline to split by.",
                target=target.display_name))
        return weights

    def _capacity(self, dimension, target, members):
        """Lead capacity of each salesperson in the target's team, or headcount of each team."""
        if dimension.key == "team":
            teams = self.env["crm.team"].browse([m["vals"]["team_id"] for m in members])
            weights = [len(team.member_ids) for team in teams]
        else:
            memberships = self.env["crm.team.member"].search([("crm_team_id", "=", target.team_id.id)])
            capacity = {m.user_id.id: m.assignment_max for m in memberships}
            weights = [capacity.get(m["vals"]["user_id"], 0) for m in members]
        if not any(weights):
            raise UserError(self.env._(
                "Method: no capacity is known for the parts of %(target)s.",
                target=target.display_name))
        return weights

    # ------------------------------------------------------------------ notes
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
