"""Feasibility of targets (handbook ch. 3): a score from 0 to 100 and its reasons, one line
per check, each a comparison with its figures. Computed on demand (a button on the plan and
the target) and by the daily cron, in bulk: the figures come from
``_feasibility_inputs``, the arithmetic from ``tools.feasibility``, and the scores are
written in one UPDATE per batch."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import feasibility

CHECKS = [("growth", "Growth against history"), ("market", "Market potential"),
          ("pipeline", "Pipeline coverage"), ("capacity", "Capacity"), ("consistency", "Consistency"),
          ("risk", "Open risks")]
LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
FEASIBILITY_FIELDS = frozenset(("feasibility_score", "feasibility_level", "feasibility_date"))
BATCH_SIZE = 2000


def _n(value):
    """An amount for a sentence: thousands separated, no decimals."""
    return format(value or 0.0, ",.0f")


def _p(value):
    """A percentage for a sentence: one decimal, signed."""
    return format(value or 0.0, "+.1f")


class SalesTargetFeasibilityReason(models.Model):
    _name = "sales.target.feasibility.reason"
    _description = "Sales Target Feasibility Reason"
    _order = "target_id, sequence, id"

    target_id = fields.Many2one("sales.target", string="Target", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="target_id.company_id", store=True, index=True)
    sequence = fields.Integer()
    check = fields.Selection(CHECKS, required=True)
    score = fields.Integer(help="The check's score, from 0 (out of reach) to 100, when it applies.")
    applies = fields.Boolean(help="The check applies to this target and counts in its score.")
    weight = fields.Integer(help="The check's weight in the target's score (out of 100 when every check applies).")
    text = fields.Char("Reason", required=True)


class SalesTarget(models.Model):
    _inherit = "sales.target"

    feasibility_score = fields.Integer(
        "Feasibility", readonly=True, copy=False, aggregator="avg",
        help="From 0 (out of reach) to 100: the weighted mean of the feasibility checks that apply, "
             "computed by Compute Feasibility and every night.")
    feasibility_level = fields.Selection(LEVELS, readonly=True, copy=False, index=True,
                                         help="Low under 50, high from 75.")
    feasibility_date = fields.Datetime("Feasibility computed on", readonly=True, copy=False)
    feasibility_reason_ids = fields.One2many("sales.target.feasibility.reason", "target_id",
                                             string="Feasibility reasons", readonly=True)
    # activity targets are not sub-targets (parent_id): their KPI differs, they do not add up
    funnel_source_id = fields.Many2one(
        "sales.target", string="Activity target for", index="btree_not_null", ondelete="set null", copy=False,
        help="The revenue target whose reverse funnel set this activity target.")

    def _check_not_measured(self, vals):
        res = super()._check_not_measured(vals)
        names = self._given_labels(vals, FEASIBILITY_FIELDS)
        if names:
            raise UserError(self.env._(
                "%(fields)s: computed by the feasibility checks; they cannot be set by hand.", fields=names))
        return res

    # ------------------------------------------------------------------ entry points
    def action_compute_feasibility(self):
        """Compute the feasibility of the targets of ``self`` the user manages."""
        targets = self._filtered_access("write")
        if not targets:
            raise UserError(self.env._("Compute Feasibility: none of these targets is yours to manage."))
        targets._compute_feasibility()
        return True

    @api.model
    def _cron_compute_feasibility(self, today=None):
        """Every night: the targets still running of plans neither closed nor cancelled, batch by batch."""
        day = today or fields.Date.context_today(self)
        targets = self.search([("plan_id.state", "not in", ("closed", "cancelled")), ("date_to", ">=", day)])
        for start in range(0, len(targets), BATCH_SIZE):
            targets[start:start + BATCH_SIZE]._compute_feasibility(today)

    def _compute_feasibility(self, today=None):
        """Score the targets of ``self`` as of ``today`` (each company's today by default);
        returns ``{target id: (score, [reason values])}``."""
        if not self:
            return {}
        inputs = self._feasibility_inputs(today)
        results, asked = {}, {}
        for target in self:
            entry = inputs[target.id]
            checks = {}
            for name in ("growth", "market", "pipeline", "capacity", "risk"):
                kwargs = entry.get(name)
                checks[name] = getattr(feasibility, name)(**kwargs) if kwargs is not None else None
            asked[target.id] = checks["growth"][1].get("asked")
            results[target.id] = checks
        for target in self:
            # siblings compared by the growth they are asked, when they are scored together
            siblings = [asked[s.id] for s in target.parent_id.child_ids - target
                        if s.id in asked and asked[s.id] is not None]
            results[target.id]["consistency"] = feasibility.consistency(
                **inputs[target.id]["consistency"], asked=asked[target.id],
                siblings_asked=sum(siblings) / len(siblings) if siblings else None)
        written = {}
        for target in self:
            checks = results[target.id]
            score = feasibility.overall({name: (c[0] if c else None) for name, c in checks.items()})
            reasons = []
            for sequence, (name, _label) in enumerate(CHECKS):
                check_score, data = checks[name] or (None, {"case": "not_applicable"})
                reasons.append({
                    "target_id": target.id, "sequence": sequence, "check": name,
                    "score": check_score or 0, "applies": check_score is not None,
                    "weight": feasibility.WEIGHTS[name],
                    "text": target._feasibility_text(name, data, inputs[target.id]),
                })
            written[target.id] = (score, reasons)
        self._write_feasibility(written)
        return written

    def _write_feasibility(self, written):
        """Store the scores in one UPDATE and replace the reasons in one create."""
        ids = list(written)
        scores = [written[tid][0] for tid in ids]
        self.env.cr.execute(SQL(
            """UPDATE sales_target t SET feasibility_score = v.score, feasibility_level = v.level,
                                         feasibility_date = %s
                 FROM unnest(%s::int[], %s::int[], %s::varchar[]) AS v(id, score, level)
                WHERE t.id = v.id""",
            fields.Datetime.now(), ids, scores, [feasibility.level(s) or None for s in scores]))
        self.browse(ids).invalidate_recordset(list(FEASIBILITY_FIELDS))
        Reason = self.env["sales.target.feasibility.reason"]
        Reason.search([("target_id", "in", ids)]).unlink()
        Reason.create([vals for tid in ids for vals in written[tid][1]])

    # ------------------------------------------------------------------ reasons
    def _feasibility_text(self, check, data, entry):
        """The sentence of one check, with the figures compared."""
        self.ensure_one()
        _ = self.env._
        case = data.get("case")
        if case == "not_applicable":
            if check == "market":
                return _("No market segment of the plan covers this target's region or product category, "
                         "or its KPI is not an amount.")
            if check == "pipeline":
                return _("The pipeline is compared with amounts to reach only.")
            return _("Not assessed: no team to compare with, or a KPI where lower is better.")
        if check == "growth":
            if case == "no_history":
                return _("No history of this measure for the same period a year earlier: growth not assessed.")
            return _("Asks %(asked)s %% over the same period a year earlier (%(last)s → %(target)s); the last "
                     "12 months grew %(trend)s %% over the 12 before: %(excess)s points above the trend.",
                     asked=_p(data["asked"]), last=_n(data["last"]), target=_n(self.target_value),
                     trend=_p(data["trend"]), excess=format(data["excess"], ".1f"))
        if check == "market":
            if case == "no_market":
                return _("The market segment %(segment)s has no market size or expected share.",
                         segment=entry["segment"].display_name)
            return _("Market %(segment)s: %(size)s a year × expected share %(share)s %% = %(potential)s over "
                     "this period; the target is %(ratio)s %% of it.",
                     segment=entry["segment"].display_name, size=_n(data["size"]),
                     share=format(data["share"], ".1f"), potential=_n(data["potential"]),
                     ratio=format(data["ratio"], ".1f"))
        if check == "pipeline":
            if case == "reached":
                return _("The target is already reached.")
            if case == "ended":
                return _("The period is over: no pipeline left to count.")
            return _("Open pipeline expected to close %(expected)s (weighted by probability and the win rate "
                     "of the last 12 months) against %(needed)s to win within one sales cycle of "
                     "%(cycle)s days (days left: %(days)s): coverage %(coverage)s %%.",
                     expected=_n(data["expected"]), needed=_n(data["needed"]), cycle=format(data["cycle"], ".0f"),
                     days=data["days"], coverage=format(data["coverage"], ".1f"))
        if check == "capacity":
            if case == "no_capacity":
                return _("No history per head nor lead capacity to compare with.")
            if data["leads"] is not None:
                return _("A headcount of %(headcount)s can reach %(people)s at the pace per head of the last "
                         "12 months, and its lead capacity %(leads)s at the win rate and deal size of the last "
                         "12 months; the target is %(ratio)s %% of the lower, %(ceiling)s.",
                         headcount=format(data["headcount"], "g"), people=_n(data["people"]),
                         leads=_n(data["leads"]), ratio=format(data["ratio"], ".1f"), ceiling=_n(data["ceiling"]))
            return _("A headcount of %(headcount)s can reach %(people)s at the pace per head of the last 12 "
                     "months; the target is %(ratio)s %% of it.", headcount=format(data["headcount"], "g"),
                     people=_n(data["people"]), ratio=format(data["ratio"], ".1f"))
        if check == "consistency":
            if case == "alone":
                return _("No parent target and no sub-targets to be consistent with.")
            parts = []
            if data["own"] is not None:
                parts.append(_("sub-targets off by %(pct)s %%", pct=_p(data["own"])))
            if data["parent"] is not None:
                parts.append(_("the parent's sub-targets off by %(pct)s %%", pct=_p(data["parent"])))
            if data["asked"] is not None and data["siblings"] is not None:
                parts.append(_("asks %(asked)s %% growth, its siblings %(siblings)s %% on average",
                               asked=_p(data["asked"]), siblings=_p(data["siblings"])))
            return _("Consistency: %(parts)s; %(penalty)s points off (tolerance %(tolerance)s %%).",
                     parts="; ".join(parts) or _("nothing to compare"), penalty=data["penalty"],
                     tolerance=format(entry["consistency"]["tolerance"], "g"))
        return _("%(open)s open high risks and %(mitigating)s being mitigated in the plan (score 15 or more).",
                 open=data["open"], mitigating=data["mitigating"])


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    def action_compute_feasibility(self):
        self.target_ids.action_compute_feasibility()
        return True

    def action_view_low_feasibility(self):
        action = self.action_view_targets()
        action["domain"] = [("plan_id", "=", self.id), ("feasibility_level", "=", "low")]
        return action
