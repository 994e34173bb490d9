"""History of a target's measure, used to split targets realistically."""

from dateutil.relativedelta import relativedelta

from odoo import api, models

from ..tools import cube, periods, seasonality


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _spec_for(self, **overrides):
        """Plain description of this target (see ``_measure_specs``), with overrides."""
        self.ensure_one()
        spec = {"id": self.id, "kpi_id": self.kpi_id.id, "company_id": self.company_id.id,
                "date_from": self.date_from, "date_to": self.date_to,
                "customer_type": self.customer_type or False}
        for fname in cube.KEY_DIMENSIONS:
            spec[fname] = self[fname].id
        spec.update(overrides)
        return spec

    @api.model
    def _monthly_specs(self, specs, months=36):
        """``(monthly specs, {monthly spec id: (spec id, (year, month))})``: one spec per
        whole month of the ``months`` before each spec's start."""
        monthly, keys = [], {}
        for spec in specs:
            first = spec["date_from"].replace(day=1) - relativedelta(months=months)
            for start, end in periods.split(first, spec["date_from"].replace(day=1) - relativedelta(days=1), "month"):
                key = len(monthly)
                keys[key] = (spec["id"], (start.year, start.month))
                monthly.append({**spec, "id": key, "date_from": start, "date_to": end})
        return monthly, keys

    @api.model
    def _monthly_history(self, specs, months=36, measure=None):
        """``{spec id: {(year, month): value}}`` over the ``months`` whole months before each
        spec's start, measured in bulk (one query per measure) by ``measure`` (specs ->
        ``{spec id: value}``; ``_measure_specs`` by default)."""
        monthly, keys = self._monthly_specs(specs, months)
        values = (measure or self._measure_specs)(monthly)
        history = {spec["id"]: {} for spec in specs}
        for key, (spec_id, month) in keys.items():
            history[spec_id][month] = values.get(key, 0.0)
        return history

    def _seasonality(self, months=36, measure=None):
        """``{target id: (twelve monthly indices, is_even_fallback)}`` from each target's own
        history of its measure and dimensions."""
        history = self._monthly_history([t._spec_for() for t in self], months=months, measure=measure)
        return {tid: seasonality.indices(values) for tid, values in history.items()}
