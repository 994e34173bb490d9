"""Refresh of measured actuals, in bulk.

For a set of targets the number of queries is bounded by the number of distinct (measure,
filter, set of dimensions) among their KPIs and filters, never by the number of targets: one
aggregation query per such triple (for non-additive measures, measured over each target's
exact period, one per triple and distinct period), a few look-ups shared by all (categories, regions,
customer history), one read of the applied adjustments and one UPDATE per batch of targets.
"""

import logging
import functools
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_round

from ..tools import cube, pacing, pgarray
from . import measures

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
#: memory for the aggregation queries of a refresh
CUBE_WORK_MEM = "64MB"
STORED_FIGURES = ("attainment", "expected_value", "gap_value", "run_rate_needed", "status", "traffic_light")
#: what a refresh writes, in the order of the UPDATE below
MEASURED = ("actual_value", "actual_numerator", "actual_denominator", *STORED_FIGURES)


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
        self.flush_recordset([*fnames, *MEASURED])
        # the figures stored now come along, to write only those that change (``stored``)
        self.env.cr.execute(SQL("SELECT id, %s, actuals_date IS NOT NULL, %s FROM sales_target "
                                "WHERE id = ANY(%s::int[])",
                                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                                SQL(", ").join(SQL.identifier(fname) for fname in MEASURED), pgarray.literal(self.ids)))
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        n = len(fnames)
        return [{"id": tid, **{fname: value or False for fname, value in zip(fnames, rows[tid][:n])},
                 "stored": rows[tid][n + 1:] if rows[tid][n] else None}
                for tid in self.ids if tid in rows]

    @api.model
    def _measure_specs(self, specs, cache=None, errors=None, parts=False):
        """Measure plain target descriptions in bulk: ``{spec id: value}``; with ``parts``,
        the value of a ratio measure is ``(numerator, denominator)``.

        ``specs`` are dicts as returned by ``_actuals_spec`` (``id``, ``kpi_id``,
        ``company_id``, ``date_from``, ``date_to`` and the dimension filters); they need not
        be stored targets, which lets the decomposition measure the history of targets it
        has not created yet.

        ``cache`` (a dict) keeps the shared look-ups (categories, regions, customer history)
        between calls of one refresh. A KPI whose measure fails (a filter broken in the
        database) is skipped: its specs are absent from the result and ``errors`` (a dict,
        when given) receives ``{kpi id: message}``; the other KPIs are still measured. The
        specs of a measure not available here (``Measure.available``) are left out.
        """
        if not specs:
            return {}
        cache = {} if cache is None else cache
        kpis = self.env["sales.target.kpi"].browse({s["kpi_id"] for s in specs})
        company_ids = sorted({s["company_id"] for s in specs})
        tz_of = {c.id: c.sales_target_tz or "UTC" for c in self.env["res.company"].browse(company_ids)}
        source_of = {kpi.id: (kpi.measure, kpi.domain if kpi.domain not in (False, "", "[]") else "[]")
                     for kpi in kpis}
        by_source = defaultdict(list)
        unavailable = {kid for kid, (key, _domain) in source_of.items()
                       if key not in measures.MEASURES
                       or not measures.get(key).available(self.env)}
        for spec in specs:
            if spec["kpi_id"] in unavailable:
                continue
            month_aligned = spec["date_from"].day == 1 and (spec["date_to"] + _ONE_DAY).day == 1
            # companies in different time zones have their months start at different instants
            by_source[(*source_of[spec["kpi_id"]], "month" if month_aligned else "day",
                       tz_of[spec["company_id"]])].append(spec)

        # the look-ups and aggregations below read the tables directly
        self.env.flush_all()
        categ_ancestors, region_of, history = {}, None, {}
        if any(s.get("product_categ_id") for s in specs):
            categ_ancestors = self._cached(cache, "categ", self._categ_ancestors)
        if any(s.get("region_id") for s in specs):
            region_of = self._cached(cache, ("region", tuple(company_ids)), lambda: self.env[
                "sales.target.region"]._get_region_resolver(company_ids))
        if any(s.get("customer_type") for s in specs):
            history = self._cached(cache, ("history", tuple(company_ids)), lambda: self._customer_history(company_ids))

        result = {}
        for (measure_key, domain_text, granularity, tz), group in by_source.items():
            group_kpis = kpis.browse([kid for kid, source in source_of.items() if source == (measure_key, domain_text)])
            try:
                with self.env.cr.savepoint(flush=False):
                    values = self._measure_group(measure_key, group_kpis[:1], group, granularity, tz,
                                                 categ_ancestors, region_of, history)
            except Exception as exc:  # one broken KPI must not stop the others
                _logger.warning("Sales targets: measuring KPI %s failed: %s", ", ".join(group_kpis.mapped("name")),
                                exc, exc_info=True)
                if errors is not None:
                    for kpi in group_kpis:
                        errors[kpi.id] = str(exc) or exc.__class__.__name__
                continue
            result.update(values)
        if not parts:
            kpi_of = {spec["id"]: spec["kpi_id"] for spec in specs}
            for key, value in result.items():
                if isinstance(value, tuple):
                    result[key] = _ratio(value, measures.get(source_of[kpi_of[key]][0]).scale)
        return result

    def _measure_group(self, measure_key, kpi, group, granularity, tz, categ_ancestors, region_of, history):
        """Measure the specs of one (measure, filter, granularity, time zone): ``{spec id:
        value}``, ``(numerator, denominator)`` for ratio measures.

        Additive measures are aggregated once by month (or day) over the specs' whole span;
        non-additive ones once per distinct period of the specs, over that exact period."""
        measure = measures.get(measure_key)
        domain = kpi._get_domain() if kpi.domain not in (False, "", "[]") else None
        if measure.additive:
            periods = [group]
        else:
            by_period = defaultdict(list)
            for spec in group:
                by_period[spec["date_from"], spec["date_to"]].append(spec)
            periods, granularity = list(by_period.values()), "period"
        width = 2 if measure.ratio else 1  # value columns of a cube row
        result = {}
        for specs in periods:
            # one cube per set of dimensions (a cube by the union of all of them would have
            # as many rows as the product of their cardinalities), all from one scan
            by_columns = defaultdict(list)
            for spec in specs:
                by_columns[tuple(sorted(cube.required_columns([spec])))].append(spec)
            for dim_sets in measure.partition(list(by_columns)):
                query, union = measure.cube_query(
                    self.env, sorted({s["company_id"] for s in specs}),
                    min(s["date_from"] for s in specs), max(s["date_to"] for s in specs),
                    dim_sets, granularity=granularity, domain=domain, tz=tz)
                rows = self._fetch_cube(query, measure.planner_settings(set(union)))
                for dims in dim_sets:
                    if len(dim_sets) == 1:
                        dims_rows = rows  # dims is the union, sorted alike
                    else:
                        mask = measures.grouping_mask(union, dims)
                        keep = [2 + union.index(d) for d in dims]
                        dims_rows = [(r[0], r[1], *(r[i] for i in keep), *r[-1 - width:-1])
                                     for r in rows if r[-1] == mask]
                    match = functools.partial(cube.match, columns=list(dims), targets=by_columns[dims],
                                              categ_ancestors=categ_ancestors, region_of=region_of, history=history)
                    if width == 1:
                        result.update(match(dims_rows))
                        continue
                    # a ratio: numerators and denominators summed apart, each like a measure
                    numerators = match([r[:-1] for r in dims_rows])
                    denominators = match([(*r[:-2], r[-1]) for r in dims_rows])
                    result.update({sid: (value, denominators[sid]) for sid, value in numerators.items()})
        return result

    @staticmethod
    def _cached(cache, key, compute):
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _fetch_cube(self, query, settings=None):
        """Run an aggregation with enough memory to hash its groups instead of sorting a
        million rows on disk, and the measure's own planner ``settings`` (``{name: value}``,
        see ``Measure.planner_settings``); the settings are restored right after. (A failed
        query aborts the transaction: rolling back to the caller's savepoint restores them.)"""
        cr = self.env.cr
        settings = {"work_mem": CUBE_WORK_MEM, **(settings or {})}
        names = list(settings)
        cr.execute(SQL("SELECT %s", SQL(", ").join(
            SQL("current_setting(%s), set_config(%s, %s, true)", name, name, settings[name]) for name in names)))
        previous = cr.fetchone()[::2]
        cr.execute(query)
        rows = cr.fetchall()
        cr.execute(SQL("SELECT %s", SQL(", ").join(
            SQL("set_config(%s, %s, true)", name, value) for name, value in zip(names, previous))))
        return rows

    def _categ_ancestors(self):
        self.env.cr.execute(SQL("SELECT id, parent_path FROM product_category"))
        return {cid: tuple(int(p) for p in (path or "").split("/") if p) for cid, path in self.env.cr.fetchall()}

    def _customer_history(self, company_ids):
        """``(company, commercial partner) -> (first confirmed order date, first lead date)``,
        dates in the company's time zone."""
        history = defaultdict(lambda: [None, None])
        self.env["sale.order"].flush_model(["state", "date_order", "company_id", "partner_id"])
        self.env["crm.lead"].flush_model(["company_id", "partner_id", "create_date"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["res.company"].flush_model(["sales_target_tz"])
        self.env.cr.execute(SQL("""
            SELECT first.company_id, first.partner,
                   ((first.at AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(c.sales_target_tz, 'UTC'))::date
              FROM (SELECT so.company_id, p.commercial_partner_id AS partner, MIN(so.date_order) AS at
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND so.company_id IN %s
                  GROUP BY 1, 2) first
              JOIN res_company c ON c.id = first.company_id""", tuple(company_ids)))
        for company, partner, first in self.env.cr.fetchall():
            history[company, partner][0] = first
        # a lead proves interest even once lost (archived): all leads count here
        self.env.cr.execute(SQL("""
            SELECT first.company_id, first.partner,
                   ((first.at AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(c.sales_target_tz, 'UTC'))::date
              FROM (SELECT l.company_id, p.commercial_partner_id AS partner, MIN(l.create_date) AS at
                      FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id IN %s
                  GROUP BY 1, 2) first
              JOIN res_company c ON c.id = first.company_id""", tuple(company_ids)))
        for company, partner, first in self.env.cr.fetchall():
            history[company, partner][1] = first
        return {key: tuple(value) for key, value in history.items()}

    def _refresh_actuals(self, today=None, cache=None, errors=None):
        """Measure and store the actuals of ``self`` and every figure derived from them.

        Only rows whose figures changed are written. ``today`` defaults to today in each
        company's time zone; ``cache`` and ``errors`` are passed to ``_measure_specs``: the
        targets of a KPI that fails keep their figures and the KPI is named in ``errors``.
        Returns the number of targets whose figures changed.
        """
        targets = self.exists()
        if not targets:
            return 0
        self.env.flush_all()
        now = fields.Datetime.now()
        specs = targets._actuals_spec()
        actuals = targets._measure_specs(specs, cache=cache, errors=errors, parts=True)
        # what the pacing needs, read once per KPI, company and currency rather than per target
        kpis = self.env["sales.target.kpi"].browse({s["kpi_id"] for s in specs})
        directions = {kpi.id: kpi.direction for kpi in kpis}
        lights = {kpi.id: (kpi.threshold_good, kpi.threshold_bad) for kpi in kpis}
        # a KPI whose measure is not registered here is not measured (see ``_measure_specs``)
        scales = {kpi.id: measures.get(kpi.measure).scale for kpi in kpis if kpi.measure in measures.MEASURES}
        companies = self.env["res.company"].browse({s["company_id"] for s in specs})
        thresholds = {c.id: (c.sales_target_on_track_threshold, c.sales_target_at_risk_threshold) for c in companies}
        todays = {c.id: today or c._sales_target_today() for c in companies}
        currencies = self.env["res.currency"].browse({s["currency_id"] for s in specs if s["currency_id"]})
        roundings = {c.id: c.rounding for c in currencies}
        segments = targets._adjustment_segments()  # one query: the applied adjustments' values
        ids, values = [], {name: [] for name in MEASURED}
        for spec in specs:
            if spec["id"] not in actuals:
                continue  # its KPI failed (or is not available): keep what is stored
            actual = actuals[spec["id"]]
            numerator = denominator = None
            if isinstance(actual, tuple):
                numerator, denominator = actual
                actual = _ratio(actual, scales[spec["kpi_id"]])
            if spec["currency_id"]:
                actual = float_round(actual, precision_rounding=roundings[spec["currency_id"]])
            on_track, at_risk = thresholds[spec["company_id"]]
            good, bad = lights[spec["kpi_id"]]
            # a rate does not accumulate (its target is expected all along); an empty
            # denominator measures nothing: no light (see ``pacing.evaluate_rate``)
            figures = pacing.stored_figures(
                actual, spec["target_value"] or 0.0, spec["date_from"], spec["date_to"], todays[spec["company_id"]],
                direction=directions[spec["kpi_id"]] or "higher", on_track_pct=on_track, at_risk_pct=at_risk,
                good=good, bad=bad, rate=numerator is not None, measured=numerator is None or bool(denominator),
                segments=segments.get(spec["id"]))
            new = (actual, numerator, denominator, *(figures[name] for name in STORED_FIGURES))
            if spec["stored"] is not None and _same(spec["stored"], new):
                continue  # unchanged: no new row version, no write date
            ids.append(spec["id"])
            for name, value in zip(MEASURED, new):
                values[name].append(value)
        if ids:
            self._write_figures(ids, values, now)
        if self.env.su:
            # alerts are the system's: raised by the cron (and other system refreshes) for the
            # targets at risk or off track not alerted yet in their period, whoever refreshed
            # their figures last
            targets._notify_status_changes()
        return len(ids)

    def _write_figures(self, ids, values, now):
        """One UPDATE of the measured figures of the targets ``ids``, whose cached figures are
        then forgotten; overrides follow what depends on them (after ``super()``)."""
        self.env.cr.execute(SQL("""
            UPDATE sales_target t
               SET actual_value = v.actual_value, actual_numerator = v.actual_numerator,
                   actual_denominator = v.actual_denominator, attainment = v.attainment,
                   expected_value = v.expected_value, gap_value = v.gap_value,
                   run_rate_needed = v.run_rate_needed, status = v.status, traffic_light = v.traffic_light,
                   actuals_date = %s, write_date = %s, write_uid = %s
              FROM unnest(%s::int[], %s::numeric[], %s::float8[], %s::float8[], %s::float8[], %s::numeric[],
                          %s::numeric[], %s::numeric[], %s::varchar[], %s::varchar[])
                   AS v(id, actual_value, actual_numerator, actual_denominator, attainment, expected_value,
                        gap_value, run_rate_needed, status, traffic_light)
             WHERE t.id = v.id""",
            now, now, self.env.uid, pgarray.literal(ids),
            *(pgarray.literal(values[name]) for name in MEASURED)))
        self.browse(ids).invalidate_recordset(["actuals_date", "write_date", "write_uid", *MEASURED])
        # the plans' figures read their targets: forgotten without reading which plans
        # these are (their plan_id, cold after a long refresh, costs 0.2 s per 7,000 targets)
        self.env["sales.target.plan"].invalidate_model()

    def action_refresh_actuals(self):
        # refreshing writes the measured figures: only those who manage the targets may ask
        self.check_access("write")
        return self._refresh_and_report()

    def _refresh_and_report(self):
        """Refresh ``self`` batch by batch; a KPI that cannot be measured is recorded on the
        KPI and named in a warning, the others are refreshed."""
        cache, errors = {}, {}
        for batch in self._split(BATCH_SIZE):
            batch._refresh_actuals(cache=cache, errors=errors)
        kpis = self.env["sales.target.kpi"].browse(list(errors))
        self.kpi_id._record_refresh_errors(errors)
        if not errors:
            return True
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "type": "warning", "sticky": True,
                "title": self.env._("Some actuals could not be measured"),
                "message": self.env._(
                    "The targets of %(kpis)s keep their previous figures: %(error)s",
                    kpis=", ".join(kpis.mapped("display_name")), error="; ".join(set(errors.values()))),
            },
        }

    def _split(self, size):
        return [self[i:i + size] for i in range(0, len(self), size)]

    @api.model
    def _cron_refresh_domain(self, company, today):
        """Targets the cron refreshes in ``company``: those of running plans whose period is
        under way or ended in the last week (late documents), and those whose period ended
        but whose status still says it is running. Closed plans are final."""
        week_ago = fields.Date.subtract(today, days=7)
        return [
            ("company_id", "=", company.id),
            ("plan_id.state", "in", ("approved", "published")),
            ("date_from", "<=", today),
            "|", ("date_to", ">=", week_ago),
            ("status", "in", ("not_started", "on_track", "at_risk", "off_track")),
        ]

    @api.model
    def _cron_refresh_actuals(self, batch_size=BATCH_SIZE):
        """Refresh the targets of running plans, company by company and batch by batch,
        committing progress. A company or a KPI that fails is logged, recorded on the KPI and
        skipped; the others are refreshed."""
        commit = bool(self.env.context.get("ir_cron_progress_id"))
        companies = self.env["res.company"].search([])
        todo = {company: self.search(self._cron_refresh_domain(company, company._sales_target_today()))
                for company in companies}
        total, done = sum(len(t) for t in todo.values()), 0
        cron = self.env["ir.cron"]
        all_errors, measured_kpis = {}, self.env["sales.target.kpi"]
        for company, targets in todo.items():
            cache, errors = {}, {}
            try:
                for batch in targets._split(batch_size):
                    with self.env.cr.savepoint():
                        batch._refresh_actuals(cache=cache, errors=errors)
                    done += len(batch)
                    cron._notify_progress(done=done, remaining=total - done)
                    if commit:
                        self.env.cr.commit()  # pylint: disable=invalid-commit  # run by the cron: keep the progress
            except Exception:  # one company's failure must not stop the others
                _logger.exception("Sales targets: refreshing the actuals of %s failed", company.name)
                continue
            measured_kpis |= targets.kpi_id
            all_errors.update(errors)
        measured_kpis._record_refresh_errors(all_errors)
        _logger.info("Refreshed the actuals of %d sales targets (%d KPIs failed)", done, len(all_errors))
        self.env["crm.team"]._sync_invoiced_target()


_ONE_DAY = timedelta(days=1)


def _ratio(parts, scale):
    """A ratio measure's value from its ``(numerator, denominator)``: 0 without denominator,
    which is no figure: such a target is not measured (``pacing.evaluate_rate``)."""
    numerator, denominator = parts
    return numerator / denominator * scale if denominator else 0.0


def _same(stored, new):
    """Whether the figures ``stored`` (as read back from their columns) equal ``new``: numbers
    within a millionth (numeric columns give back what float rounding put in), status equal."""
    return all(a == b if isinstance(b, str) or isinstance(a, str) or a is None or b is None
               else abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
               for a, b in zip(stored, new))
