"""Targets inside the CRM pipeline: the salesperson's panel, the coverage of a target's
remaining gap by the weighted open pipeline, and the current revenue target that the deal
shares of ``crm.lead`` are measured against.

*Current revenue target* of a salesperson in a company (``_current_revenue_targets_query``):
the salesperson's leaf target (no sub-targets) in a published plan of that company, whose
period contains the company's today, of a KPI counting revenue in the company's currency
(``REVENUE_MEASURES``, without filter) and set on no other dimension than the salesperson and
the team. Ordered revenue comes first, then won, then invoiced; then the shortest period
(the month before the quarter), then the oldest target.

*Weighted open pipeline*: the prorated revenue (expected revenue x probability / 100) of the
open opportunities (active, not in a won stage) of the target's salesperson, or of its team
for a team target, in the target's company.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import dimensions, pgarray

#: measures whose gap an opportunity's revenue can fill, in order of preference
REVENUE_MEASURES = ("ordered_revenue", "won_revenue", "invoiced_revenue")
#: dimensions a current revenue target may not be set on (it is the salesperson's or team's whole revenue)
OTHER_DIMENSIONS = tuple(f for f in dimensions.TARGET_FIELDS if f not in ("user_id", "team_id"))
#: what the panel shows of each target
PANEL_FIELDS = ("target_value", "actual_value", "attainment", "gap_value", "surplus_value", "run_rate_needed",
                "expected_value", "status", "date_from", "date_to", "unit", "pipeline_weighted", "pipeline_coverage")


class SalesTarget(models.Model):
    _inherit = "sales.target"

    pipeline_weighted = fields.Monetary(
        "Weighted pipeline", currency_field="currency_id", compute="_compute_pipeline_coverage",
        help="Expected revenue x probability of the open opportunities of the target's salesperson (or of its "
             "team for a team target); revenue targets only.")
    pipeline_coverage = fields.Float(
        "Pipeline coverage (%)", compute="_compute_pipeline_coverage",
        help="Weighted open pipeline in percent of the remaining gap; 0 once the target is reached.")

    def _is_revenue_target(self):
        self.ensure_one()
        return (self.kpi_id.unit == "currency" and self.kpi_id.measure in REVENUE_MEASURES
                and self.kpi_id.domain in (False, "", "[]"))

    @api.depends("gap_value", "user_id", "team_id", "kpi_id")
    def _compute_pipeline_coverage(self):
        revenue = self.filtered(lambda t: t.id and t._is_revenue_target() and (t.user_id or t.team_id))
        sums = self._weighted_pipeline(
            {(t.company_id.id, t.user_id.id or None, None if t.user_id else t.team_id.id) for t in revenue})
        for target in self:
            if target not in revenue:
                target.pipeline_weighted = target.pipeline_coverage = 0.0
                continue
            key = (target.company_id.id, target.user_id.id or None, None if target.user_id else target.team_id.id)
            weighted = sums.get(key, 0.0)
            target.pipeline_weighted = weighted
            target.pipeline_coverage = round(weighted / target.gap_value * 100.0, 2) if target.gap_value > 0 else 0.0

    @api.model
    def _weighted_pipeline(self, keys):
        """``{(company, user or None, team or None): weighted open pipeline}`` for ``keys``, in
        one query. The pipeline is summed in SQL, not read through the leads: the coverage is a
        figure of the target, the same for whoever may read the target (a salesperson reads only
        their own opportunities, not the team's that a team target is covered by); no lead is
        returned."""
        if not keys:
            return {}
        self.env["crm.lead"].flush_model(["prorated_revenue", "active", "type", "stage_id", "user_id", "team_id",
                                          "company_id"])
        self.env["crm.stage"].flush_model(["is_won"])
        companies = [k[0] for k in keys]
        users = [k[1] for k in keys]
        teams = [k[2] for k in keys]
        self.env.cr.execute(SQL("""
            SELECT k.company_id, k.user_id, k.team_id, COALESCE(SUM(l.prorated_revenue), 0)
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS k(company_id, user_id, team_id)
              JOIN crm_lead l ON l.company_id = k.company_id
                             AND (l.user_id = k.user_id OR (k.user_id IS NULL AND l.team_id = k.team_id))
              LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity' AND NOT COALESCE(s.is_won, FALSE)
          GROUP BY 1, 2, 3""", companies, users, teams))
        return {(c, u, t): float(total) for c, u, t, total in self.env.cr.fetchall()}

    @api.model
    def _current_revenue_targets_query(self, user_ids):
        """SQL of ``(user_id, company_id, target id, gap)``: the current revenue target (see the
        module docstring) of each of ``user_ids`` in each company, today in the company's time
        zone."""
        companies = self.env["res.company"].sudo().search([])  # sudo: the time zones of all companies, not data
        days = [(c.id, c._sales_target_today()) for c in companies]
        return SQL("""
            SELECT DISTINCT ON (t.user_id, t.company_id) t.user_id, t.company_id, t.id AS target_id, t.gap_value
              FROM sales_target t
              JOIN sales_target_kpi k ON k.id = t.kpi_id
              JOIN sales_target_plan p ON p.id = t.plan_id
              JOIN unnest(%(companies)s::int[], %(days)s::date[]) AS d(company_id, today) ON d.company_id = t.company_id
             WHERE t.user_id = ANY(%(users)s) AND p.state = 'published'
               AND t.date_from <= d.today AND t.date_to >= d.today
               AND k.unit = 'currency' AND k.measure = ANY(%(measures)s) AND COALESCE(k.domain, '[]') = '[]'
               AND %(no_dims)s
               AND NOT EXISTS (SELECT 1 FROM sales_target c WHERE c.parent_id = t.id)
          ORDER BY t.user_id, t.company_id, array_position(%(measures)s, k.measure::text),
                   t.date_to - t.date_from, t.id""",
            companies=[c for c, _d in days], days=[d for _c, d in days], users=list(user_ids),
            measures=list(REVENUE_MEASURES),
            no_dims=SQL(" AND ").join(SQL("t.%s IS NULL", SQL.identifier(f)) for f in OTHER_DIMENSIONS))

    @api.model
    def _current_revenue_gaps(self, user_ids):
        """``{(user id, company id): remaining gap}`` of the current revenue targets of ``user_ids``."""
        if not user_ids:
            return {}
        self.flush_model()
        self.env["sales.target.kpi"].flush_model(["unit", "measure", "domain"])
        self.env["sales.target.plan"].flush_model(["state"])
        self.env.cr.execute(self._current_revenue_targets_query(user_ids))
        return {(user, company): float(gap or 0.0) for user, company, _tid, gap in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ deal shares follow the gaps
    def _write_figures(self, ids, values, now):
        result = super()._write_figures(ids, values, now)
        # the gaps changed: the deal shares of the salespeople of those of these targets that can
        # be current (published plan, revenue KPI without filter: see the module docstring)
        self.env.cr.execute(SQL("""
            SELECT DISTINCT t.user_id
              FROM sales_target t
              JOIN sales_target_plan p ON p.id = t.plan_id
              JOIN sales_target_kpi k ON k.id = t.kpi_id
             WHERE t.id = ANY(%s::int[]) AND t.user_id IS NOT NULL AND p.state = 'published'
               AND k.unit = 'currency' AND k.measure = ANY(%s) AND COALESCE(k.domain, '[]') = '[]'""",
                                pgarray.literal(ids), list(REVENUE_MEASURES)))
        self.env["crm.lead"]._update_sales_target_gap_share([row[0] for row in self.env.cr.fetchall()])
        return result

    def _gap_share_users(self):
        """The salespeople of those of ``self`` that can be current revenue targets (published
        plan, revenue KPI without filter): only their gaps weigh on deal shares."""
        return self.filtered(lambda t: t.user_id and t.plan_id.state == "published"
                             and t._is_revenue_target()).user_id

    def _on_created(self):
        res = super()._on_created()
        # only a published plan's targets are current: a draft plan's wait for its publication
        running = self.filtered(lambda t: t.user_id and t.plan_id.state == "published")
        if running:
            self.env["crm.lead"]._update_sales_target_gap_share(running.user_id.ids)
        return res

    def write(self, vals):
        # ``sales_target_defer_gap_share``: the caller writes in a loop and updates the deal
        # shares once after it (see the adjustments' ``_apply``)
        watched = {"target_value", "user_id", "date_from", "date_to", "kpi_id", "parent_id", "plan_id"} & set(vals) \
            and not self.env.context.get("sales_target_defer_gap_share")
        users = self._gap_share_users() if watched else None
        result = super().write(vals)
        if watched:
            users |= self._gap_share_users()
            if users:
                self.env["crm.lead"]._update_sales_target_gap_share(users.ids)
        return result

    # ------------------------------------------------------------------ the pipeline panel
    @api.model
    @api.readonly
    def get_pipeline_panel(self):
        """The current targets of the user for the panel above the CRM pipeline: their own leaf
        targets first, then their teams' own targets (no salesperson nor other dimension), of
        published plans whose period contains today in the current company's time zone; only
        the targets the user may read. Reads only: it may run on a read-only replica.

        Returns ``{"today": date, "targets": [{...}]}``, each target a dict of ``PANEL_FIELDS``
        plus its ``id``, ``name``, ``kpi``, ``scope`` (``user`` or ``team``), ``team``,
        ``status_label``, ``currency_id`` and ``ratio`` (a rate: no run-rate)."""
        today = self.env.company._sales_target_today()
        running = [("company_id", "in", self.env.companies.ids), ("plan_id.state", "=", "published"),
                   ("date_from", "<=", today), ("date_to", ">=", today)]
        order = "kpi_id, date_from desc, date_to, id"
        mine = self.search([*running, ("user_id", "=", self.env.uid), ("child_ids", "=", False)], order=order)
        teams = self.env["crm.team.member"].search([("user_id", "=", self.env.uid)]).crm_team_id
        team_targets = self.search([*running, ("user_id", "=", False), ("team_id", "in", teams.ids),
                                    *[(f, "=", False) for f in OTHER_DIMENSIONS]], order=order) if teams else self
        statuses = dict(self._fields["status"]._description_selection(self.env))
        rows = []
        for scope, targets in (("user", mine), ("team", team_targets)):
            for target in targets:
                row = {fname: target[fname] for fname in PANEL_FIELDS}
                row.update({
                    "id": target.id, "name": target.display_name, "kpi": target.kpi_id.name, "scope": scope,
                    "team": target.team_id.name or "", "status_label": statuses.get(target.status, ""),
                    "currency_id": target.currency_id.id, "ratio": target.kpi_id.is_ratio,
                })
                rows.append(row)
        return {"today": today, "targets": rows}


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            # a plan published (or withdrawn) makes its targets current (or not) for the deal shares
            users = self.env["sales.target"].search([("plan_id", "in", self.ids), ("user_id", "!=", False)]).user_id
            self.env["crm.lead"]._update_sales_target_gap_share(users.ids)
        return result
