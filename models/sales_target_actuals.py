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
from odoo.tools import SQL

from ..tools import cube
from . import measures

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
STORED_FIGURES = ("attainment", "expected_value", "gap_value", "run_rate_needed", "status")


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _actuals_spec(self):
        """Plain data describing each target, read in one query."""
        self.fetch(["company_id", "kpi_id", "date_from", "date_to", "target_value", "currency_id", *cube.KEY_DIMENSIONS,
                    "customer_type"])
        if not self:
            return []
        # the plain values straight from the table (checked and flushed): reading them through
        # 10,000 records costs several times more than the whole query
        fnames = ["company_id", "kpi_id", "date_from", "date_to", "customer_type", *cube.KEY_DIMENSIONS]
        self.flush_recordset(fnames)
        self.env.cr.execute(SQL("SELECT id, %s FROM sales_target WHERE id IN %s",
                                SQL(", ").join(SQL.identifier(fname) for fname in fnames), tuple(self.ids)))
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        specs = []
        for target in self:
            # a record deleted meanwhile raises as the ORM does
            row = rows.get(target.id) or [target[fname] for fname in fnames]
            spec = {"id": target.id, **{fname: value or False for fname, value in zip(fnames, row)}}
            specs.append(spec)
        return specs

    def _compute_actual_values(self):
        """``{target id: actual}`` for ``self``, measured from the documents in bulk."""
        return self._measure_specs(self._actuals_spec())

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
            # one cube per set of dimensions too: a cube by the union of all the targets'
            # dimensions would have as many rows as the product of their cardinalities
            by_source[kpi.measure, kpi.domain if kpi.domain not in (False, "", "[]") else "[]",
                      frozenset(cube.required_columns([spec]))].append(spec)

        # the look-ups and aggregations below read the tables directly
        self.env.flush_all()
        categ_ancestors = self._categ_ancestors() if any(s.get("product_categ_id") for s in specs) else {}
        company_ids = sorted({s["company_id"] for s in specs})
        region_of = (self.env["sales.target.region"]._get_region_resolver(company_ids)
                     if any(s.get("region_id") for s in specs) else None)
        history = self._customer_history(company_ids) if any(s.get("customer_type") for s in specs) else {}

        result = {}
        for (measure_key, domain_text, _columns), group in by_source.items():
            measure = measures.get(measure_key)
            domain = None
            if domain_text != "[]":
                domain = next(k for k in kpis if k.measure == measure_key and k.domain == domain_text)._get_domain()
            dims = sorted(cube.required_columns(group))
            month_aligned = all(s["date_from"].day == 1 and (s["date_to"] + _ONE_DAY).day == 1 for s in group)
            query = measure.cube_query(
                self.env, sorted({s["company_id"] for s in group}),
                min(s["date_from"] for s in group), max(s["date_to"] for s in group),
                dims, granularity="month" if month_aligned else "day", domain=domain)
            self.env.cr.execute(query)
            rows = self.env.cr.fetchall()
            result.update(cube.match(rows, dims, group, categ_ancestors=categ_ancestors,
                                     region_of=region_of, history=history))
        return result

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
        actuals = targets._compute_actual_values()
        ids, values = [], {name: [] for name in ("actual_value", *STORED_FIGURES)}
        for target in targets:
            actual = actuals.get(target.id, 0.0)
            if target.currency_id:
                actual = target.currency_id.round(actual)
            figures = target._evaluate(actual, today)
            ids.append(target.id)
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
