"""Refresh of measured actuals, in bulk.

For a set of targets the number of queries is bounded by the number of distinct (measure,
filter, set of dimensions) among their KPIs and filters, never by the number of targets: one
aggregation query per such triple, a few look-ups shared by all (categories, regions,
customer history), and one UPDATE per batch of targets.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round

from ..tools import cube, pacing
from . import measures

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
#: memory for the aggregation queries of a refresh
CUBE_WORK_MEM = "64MB"
STORED_FIGURES = ("attainment", "expected_value", "gap_value", "run_rate_needed", "status")


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _actuals_spec(self):
        """Plain data describing each target, read in one query (after the access check):
        reading them through 10,000 records costs several times more than the whole query."""
        if not self:
            return []
        self.check_access("read")
        fnames = ["company_id", "kpi_id", "date_from", "date_to", "customer_type", "target_value", "currency_id",
                  *cube.KEY_DIMENSIONS]
        self.flush_recordset(fnames)
        self.env.cr.execute(SQL("SELECT id, %s FROM sales_target WHERE id IN %s",
                                SQL(", ").join(SQL.identifier(fname) for fname in fnames), tuple(self.ids)))
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        return [{"id": tid, **{fname: value or False for fname, value in zip(fnames, rows[tid])}}
                for tid in self.ids if tid in rows]

    @api.model
    def _measure_specs(self, specs):
        """Measure plain target descriptions in bulk: ``{spec id: value}``.

        ``specs`` are dicts as returned by ``_actuals_spec`` (``id``, ``kpi_id``,
        ``company_id``, ``date_from``, ``date_to`` and the dimension filters); they need not
        be stored targets, which lets the decomposition measure the history of targets it
        has not created yet.
        """
        if not specs:
            return {}
        kpis = self.env["sales.target.kpi"].browse({s["kpi_id"] for s in specs})
        by_source = defaultdict(list)
        for spec in specs:
            kpi = kpis.browse(spec["kpi_id"])
            month_aligned = spec["date_from"].day == 1 and (spec["date_to"] + _ONE_DAY).day == 1
            by_source[kpi.measure, kpi.domain if kpi.domain not in (False, "", "[]") else "[]",
                      "month" if month_aligned else "day"].append(spec)

        # the look-ups and aggregations below read the tables directly
        self.env.flush_all()
        categ_ancestors = self._categ_ancestors() if any(s.get("product_categ_id") for s in specs) else {}
        company_ids = sorted({s["company_id"] for s in specs})
        region_of = (self.env["sales.target.region"]._get_region_resolver(company_ids)
                     if any(s.get("region_id") for s in specs) else None)
        history = self._customer_history(company_ids) if any(s.get("customer_type") for s in specs) else {}

        result = {}
        for (measure_key, domain_text, granularity), group in by_source.items():
            measure = measures.get(measure_key)
            domain = None
            if domain_text != "[]":
                domain = next(k for k in kpis if k.measure == measure_key and k.domain == domain_text)._get_domain()
            # one cube per set of dimensions (a cube by the union of all of them would have
            # as many rows as the product of their cardinalities), all from one scan
            by_columns = defaultdict(list)
            for spec in group:
                by_columns[tuple(sorted(cube.required_columns([spec])))].append(spec)
            for dim_sets in measure.partition(list(by_columns)):
                query, union = measure.cube_query(
                    self.env, sorted({s["company_id"] for s in group}),
                    min(s["date_from"] for s in group), max(s["date_to"] for s in group),
                    dim_sets, granularity=granularity, domain=domain)
                rows = self._fetch_cube(query)
                for dims in dim_sets:
                    if len(dim_sets) == 1:
                        dims_rows = rows  # dims is the union, sorted alike
                    else:
                        mask = measures.grouping_mask(union, dims)
                        keep = [2 + union.index(d) for d in dims]
                        dims_rows = [(r[0], r[1], *(r[i] for i in keep), r[-2]) for r in rows if r[-1] == mask]
                    result.update(cube.match(dims_rows, list(dims), by_columns[dims],
                                             categ_ancestors=categ_ancestors, region_of=region_of,
                                             history=history))
        return result

    def _fetch_cube(self, query):
        """Run an aggregation with enough memory to hash its groups instead of sorting a
        million rows on disk; the setting is restored right after."""
        cr = self.env.cr
        cr.execute(SQL("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", CUBE_WORK_MEM))
        previous = cr.fetchone()[0]
        try:
            cr.execute(query)
            return cr.fetchall()
        finally:
            cr.execute(SQL("SELECT set_config('work_mem', %s, true)", previous))

    def _categ_ancestors(self):
        self.env.cr.execute(SQL("SELECT id, parent_path FROM product_category"))
        return {cid: tuple(int(p) for p in (path or "").split("/") if p) for cid, path in self.env.cr.fetchall()}

    def _customer_history(self, company_ids):
        """``(company, commercial partner) -> (first confirmed order date, first lead date)``."""
        history = defaultdict(lambda: [None, None])
        self.env["sale.order"].flush_model(["state", "date_order", "company_id", "partner_id"])
        self.env["crm.lead"].flush_model(["company_id", "partner_id", "create_date"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(SQL("""
            SELECT so.company_id, p.commercial_partner_id, MIN(so.date_order)::date
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id IN %s
          GROUP BY 1, 2""", tuple(company_ids)))
        for company, partner, first in self.env.cr.fetchall():
            history[company, partner][0] = first
        # a lead proves interest even once lost (archived): all leads count here
        self.env.cr.execute(SQL("""
            SELECT l.company_id, p.commercial_partner_id, MIN(l.create_date)::date
              FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id IN %s
          GROUP BY 1, 2""", tuple(company_ids)))
        for company, partner, first in self.env.cr.fetchall():
            history[company, partner][1] = first
        return {key: tuple(value) for key, value in history.items()}

    def _refresh_actuals(self, today=None):
        """Measure and store the actuals of ``self`` and every figure derived from them."""
        targets = self.exists()
        if not targets:
            return
        self.env.flush_all()
        today = today or fields.Date.context_today(self)
        now = fields.Datetime.now()
        specs = targets._actuals_spec()
        actuals = targets._measure_specs(specs)
        # what the pacing needs, read once per KPI, company and currency rather than per target
        kpis = self.env["sales.target.kpi"].browse({s["kpi_id"] for s in specs})
        directions = {kpi.id: kpi.direction for kpi in kpis}
        companies = self.env["res.company"].browse({s["company_id"] for s in specs})
        thresholds = {c.id: (c.sales_target_on_track_threshold, c.sales_target_at_risk_threshold) for c in companies}
        currencies = self.env["res.currency"].browse({s["currency_id"] for s in specs if s["currency_id"]})
        roundings = {c.id: c.rounding for c in currencies}
        ids, values = [], {name: [] for name in ("actual_value", *STORED_FIGURES)}
        for spec in specs:
            actual = actuals.get(spec["id"], 0.0)
            if spec["currency_id"]:
                actual = float_round(actual, precision_rounding=roundings[spec["currency_id"]])
            on_track, at_risk = thresholds[spec["company_id"]]
            figures = pacing.evaluate(actual, spec["target_value"] or 0.0, spec["date_from"], spec["date_to"], today,
                                      direction=directions[spec["kpi_id"]] or "higher",
                                      on_track_pct=on_track, at_risk_pct=at_risk)
            ids.append(spec["id"])
            values["actual_value"].append(actual)
            for name in STORED_FIGURES:
                values[name].append(figures[name])
        self.env.cr.execute(SQL("""
            UPDATE sales_target t
               SET actual_value = v.actual_value, attainment = v.attainment,
                   expected_value = v.expected_value, gap_value = v.gap_value,
                   run_rate_needed = v.run_rate_needed, status = v.status,
                   actuals_date = %s, write_date = %s, write_uid = %s
              FROM unnest(%s::int[], %s::numeric[], %s::float8[], %s::numeric[], %s::numeric[],
                          %s::numeric[], %s::varchar[])
                   AS v(id, actual_value, attainment, expected_value, gap_value, run_rate_needed, status)
             WHERE t.id = v.id""",
            now, now, self.env.uid, ids, values["actual_value"], values["attainment"],
            values["expected_value"], values["gap_value"], values["run_rate_needed"], values["status"]))
        targets.invalidate_recordset(["actual_value", "actuals_date", "write_date", "write_uid",
                                      *STORED_FIGURES])
        targets.plan_id.invalidate_recordset()
        return True

    def action_refresh_actuals(self):
        # refreshing writes the measured figures: only those who manage the targets may ask
        self.check_access("write")
        for batch in self._split(BATCH_SIZE):
            batch._refresh_actuals()
        return True

    def _split(self, size):
        return [self[i:i + size] for i in range(0, len(self), size)]

    @api.model
    def _cron_refresh_actuals(self, batch_size=BATCH_SIZE):
        """Refresh the targets of running plans, batch by batch, committing progress."""
        today = fields.Date.context_today(self)
        targets = self.search([
            ("plan_id.state", "in", ("approved", "published")),
            ("date_from", "<=", today), ("date_to", ">=", fields.Date.subtract(today, days=7)),
        ])
        done = 0
        cron = self.env["ir.cron"]
        for batch in targets._split(batch_size):
            batch._refresh_actuals(today=today)
            done += len(batch)
            cron._notify_progress(done=done, remaining=len(targets) - done)
            if self.env.context.get("ir_cron_progress_id"):
                self.env.cr.commit()  # pylint: disable=invalid-commit  # run by the cron: keep the progress
        _logger.info("Refreshed the actuals of %d sales targets", done)
        self.env["crm.team"]._sync_invoiced_target()


_ONE_DAY = timedelta(days=1)
