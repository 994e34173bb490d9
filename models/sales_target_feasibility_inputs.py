"""The figures the feasibility checks of targets compare, gathered in bulk.

For a set of targets: the history of their measure (24 months, one aggregation per
measure through ``_monthly_history``, the engine's history), the CRM figures
(``_crm_stats``: five grouped queries), the plans' market segments and open risks, and
the team members (one read each). ``_feasibility_inputs`` returns, per target, the keyword
arguments of each check of ``tools.feasibility``.
"""

from odoo import models

from ..tools import feasibility, periods
from . import measures

MONTH_DAYS = 30.4375


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _feasibility_team(self):
        """The team whose members and history a target is compared with: its own team, else
        its salesperson's."""
        self.ensure_one()
        return self.team_id or self.user_id.sale_team_id

    def _feasibility_members(self, teams):
        """``{team id: {user id: capacity weight}}`` and ``{team id: {user id: leads a month}}``
        of the active members of ``teams``; a member's weight comes from their role when the
        member model weighs capacity (``_capacity_weight``), 1 otherwise."""
        weights, leads = {}, {}
        members = self.env["crm.team.member"].search([("crm_team_id", "in", teams.ids)])
        weigh = hasattr(members, "_capacity_weight")
        for member in members:
            team = member.crm_team_id.id
            weights.setdefault(team, {})[member.user_id.id] = member._capacity_weight() if weigh else 1.0
            leads.setdefault(team, {})[member.user_id.id] = member.assignment_max or 0
        return weights, leads

    def _feasibility_inputs(self, today=None):
        """``{target id: {check: keyword arguments of tools.feasibility.<check> or None}}`` as of
        ``today`` (each company's today by default)."""
        targets = self
        companies = targets.company_id
        todays = {c.id: today or c._sales_target_today() for c in companies}
        # (a) history of each target, and of the team of each salesperson's target (capacity)
        specs = [t._spec_for() for t in targets]
        team_specs, team_key = [], {}
        for target in targets:
            team = target._feasibility_team()
            if target.user_id and team:
                key = (target.kpi_id.id, team.id, target.date_from, target.date_to)
                if key not in team_key:
                    team_key[key] = f"team-{len(team_key)}"
                    blank = dict.fromkeys(("user_id", "product_categ_id", "product_id", "region_id", "partner_id"),
                                          False)
                    team_specs.append({**target._spec_for(**blank), "id": team_key[key], "team_id": team.id,
                                       "customer_type": False})
        history = self._monthly_history(specs + team_specs, months=24)
        # ratios (win rate, average deal size...) and non-additive figures (retention, medians)
        # do not add up over months: their history is a day-weighted mean, and the checks that
        # compare amounts (market, pipeline, capacity) do not apply to them
        averaged = {kpi.id for kpi in targets.kpi_id
                    if (measure := measures.MEASURES.get(kpi.measure)) and (measure.ratio or not measure.additive)}
        kpi_of = {t.id: t.kpi_id.id for t in targets}
        kpi_of.update({sid: kpi_id for (kpi_id, *_rest), sid in team_key.items()})
        figures = {sid: feasibility.history_figures(values, *dates, mean=kpi_of[sid] in averaged)
                   for sid, values, dates in ((s["id"], history[s["id"]], (s["date_from"], s["date_to"]))
                                              for s in specs + team_specs)}
        crm = self._crm_stats(companies.ids, min(todays.values()) if todays else None)
        segments = self.env["sales.target.market.segment"].search([("plan_id", "in", targets.plan_id.ids)])
        risks = self.env["sales.target.risk"].search_fetch(
            [("plan_id", "in", targets.plan_id.ids), ("status", "!=", "closed")], ["plan_id", "status", "score"])
        risks_of = {}
        for risk in risks:
            risks_of.setdefault(risk.plan_id.id, []).append((risk.status, risk.score))
        teams = targets.team_id | targets.user_id.sale_team_id
        weights, lead_caps = self._feasibility_members(teams)

        inputs = {}
        for target in targets:
            today = todays[target.company_id.id]
            lower = target.kpi_id.direction == "lower"
            money = target.kpi_id.unit == "currency"
            amounts = target.kpi_id.id not in averaged  # the figures add up: amounts to compare
            last, last_12, previous_12 = figures[target.id]
            days = periods.days((target.date_from, target.date_to))
            team = target._feasibility_team()
            entry = {
                "growth": {"target": target.target_value, "last_period": last, "last_12": last_12,
                           "previous_12": previous_12, "lower": lower},
                "risk": {"scores": risks_of.get(target.plan_id.id, [])},
                "market": None, "pipeline": None, "capacity": None,
            }
            segment = target._feasibility_segment(segments)
            if segment and money and amounts and not lower:
                entry["market"] = {"target": target.target_value, "market_size": segment.market_size,
                                   "expected_share": segment.expected_share, "period_days": days}
                entry["segment"] = segment
            scope = (("user", target.company_id.id, target.user_id.id) if target.user_id
                     else ("team", target.team_id.id) if target.team_id else ("company", target.company_id.id))
            stats = crm.get(scope, {})
            if money and amounts and not lower:
                closed = stats.get("won", 0) + stats.get("lost", 0)
                left = (target.date_to - max(today, target.date_from)).days + 1 if today <= target.date_to else 0
                entry["pipeline"] = {
                    "remaining": target.target_value - target.actual_value, "weighted": stats.get("weighted", 0.0),
                    "open_amount": stats.get("open", 0.0),
                    "win_rate": stats.get("won", 0) / closed if closed else None,
                    "cycle_days": stats.get("won_days", 0.0) / stats["won"] if stats.get("won") else 0.0,
                    "remaining_days": left}
            if amounts and not lower and team:
                members = weights.get(team.id, {})
                headcount = members.get(target.user_id.id, 1.0) if target.user_id else sum(members.values())
                team_size = sum(members.values())
                team_last_12 = (figures[team_key[(target.kpi_id.id, team.id, target.date_from, target.date_to)]][1]
                                if target.user_id else last_12)
                capacity = {"target": target.target_value, "months": round(days / MONTH_DAYS, 2),
                            "headcount": headcount,
                            "per_head_month": team_last_12 / 12 / team_size if team_size else 0.0}
                if money and stats.get("won") and stats.get("created"):
                    leads = lead_caps.get(team.id, {})
                    capacity.update({
                        "lead_capacity_month": (leads.get(target.user_id.id, 0) if target.user_id
                                                else sum(leads.values())) * MONTH_DAYS / 30.0,
                        "lead_win_rate": stats["won"] / stats["created"],
                        "avg_deal": stats["won_amount"] / stats["won"]})
                entry["capacity"] = capacity
            entry["consistency"] = {
                "own_mismatch": target.mismatch_pct if target.consistency != "leaf" else None,
                "parent_mismatch": (target.parent_id.mismatch_pct
                                    if target.parent_id and target.parent_id.consistency != "leaf" else None),
                "tolerance": target.company_id.sales_target_consistency_tolerance}
            inputs[target.id] = entry
        return inputs

    def _feasibility_segment(self, segments):
        """The market segment of ``segments`` covering this target (``match_segment``)."""
        self.ensure_one()
        return match_segment(segments, self.plan_id, self.region_id, self.product_categ_id)


def match_segment(segments, plan, region, categ):
    """The most specific of ``segments`` of ``plan`` covering ``region`` and product category
    ``categ`` (a segment on a region only covers every category of it), or an empty recordset."""
    best, best_rank = segments.browse(), 0
    if not (region or categ):
        return best
    for segment in segments:
        if segment.plan_id != plan:
            continue
        if segment.region_id and segment.region_id != region:
            continue
        if segment.product_categ_id and segment.product_categ_id != categ:
            continue
        rank = bool(segment.region_id) + bool(segment.product_categ_id)
        if rank > best_rank:
            best, best_rank = segment, rank
    return best
