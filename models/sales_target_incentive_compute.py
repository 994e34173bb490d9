"""Computing the statements of one period of an incentive plan: fetch the figures of every
assignee's targets in bulk (frozen snapshots of closed plans, else live), call
``tools.incentive.payout`` per rule, write all statements in one create."""

from odoo import api, fields, models

from ..tools import dimensions, incentive

#: plans whose targets count: the published ones (live, an estimate) and the closed ones (frozen)
COUNTED_PLAN_STATES = ("published", "closed")


class SalesTargetIncentivePlan(models.Model):
    _inherit = "sales.target.incentive.plan"

    # ------------------------------------------------------------------ figures
    def _figures(self, date_from, date_to, kpis):
        """``{(assignee id, kpi id): figures}`` of the targets of ``kpis`` over exactly
        ``date_from..date_to`` for the plan's assignees, with no other dimension. Figures
        are a dict: target, target_value, actual, attainment, version (0: live), estimate.
        The attainment is rounded once, here, to ``incentive.ATTAINMENT_DIGITS``: tiers, gates
        and recognitions then compare the same figure (5,800 of 10,000 is 58 %, not
        57.99999999999999). A closed plan's snapshot wins over a live target of the same KPI
        and period."""
        self.ensure_one()
        by_team = self.applies_to == "teams"
        assignees = self._assignees()
        domain = [
            ("company_id", "=", self.company_id.id), ("kpi_id", "in", kpis.ids),
            ("date_from", "=", date_from), ("date_to", "=", date_to),
            ("plan_id.state", "in", COUNTED_PLAN_STATES),
            ("team_id", "in", assignees.ids) if by_team else ("user_id", "in", assignees.ids),
        ]
        if by_team:
            domain.append(("user_id", "=", False))
        domain += [(fname, "=", False) for fname in dimensions.TARGET_FIELDS if fname not in ("user_id", "team_id")]
        targets = self.env["sales.target"].search(domain, order="id")
        closed = targets.filtered(lambda t: t.plan_id.state == "closed")
        snapshots = {}
        if closed:
            for snapshot in self.env["sales.target.snapshot"].search(
                    [("target_id", "in", closed.ids)], order="version desc, id desc"):
                snapshots.setdefault(snapshot.target_id.id, snapshot)
        figures = {}
        for target in targets:
            key = ((target.team_id if by_team else target.user_id).id, target.kpi_id.id)
            snapshot = snapshots.get(target.id)
            source = snapshot or target
            entry = {
                "target": target, "target_value": source.target_value, "actual": source.actual_value,
                "attainment": round(source.attainment, incentive.ATTAINMENT_DIGITS),
                "version": snapshot.version if snapshot else 0,
                "estimate": not snapshot, "team": target.team_id,
            }
            current = figures.get(key)
            if current is None or (current["estimate"] and not entry["estimate"]):
                figures[key] = entry
        return figures

    # ------------------------------------------------------------------ gates
    def _gate_assessment(self, user, date_from, date_to, minimum):
        """``(passed, reason)`` of an assessment gate for ``user`` over the period: a hook for the
        assessments of salespeople (issue 8, assessment part); passes until they exist."""
        return True, ""

    def _gate_results(self, rule, assignee, figures, date_from, date_to):
        """``(tools gates, labels)`` of the plan's gates on ``rule`` for ``assignee``."""
        gates, labels = [], []
        for gate in self.gate_ids.filtered(lambda g: not g.rule_id or g.rule_id == rule):
            label = gate._label()
            if gate.gate_type == "attainment":
                figure = figures.get((assignee.id, rule.kpi_id.id))
                actual = figure["attainment"] if figure else 0.0
            elif gate.gate_type == "kpi_actual":
                figure = figures.get((assignee.id, gate.kpi_id.id))
                actual = figure["actual"] if figure else 0.0
            else:
                user = assignee if assignee._name == "res.users" else assignee.user_id
                passed, reason = self._gate_assessment(user, date_from, date_to, gate.minimum)
                if reason:
                    label = f"{label} ({reason})"
                actual = gate.minimum if passed else float("-inf")
            gates.append(incentive.Gate(label, actual, gate.minimum))
            shown = "—" if actual == float("-inf") else format(round(actual, 2), "g")
            labels.append(f"{label}: {shown} ≥ {gate.minimum:g} {'✓' if actual >= gate.minimum else '✗'}")
        return gates, labels

    # ------------------------------------------------------------------ lines
    def _prepare_line_vals(self, rule, assignee, figures, date_from, date_to):
        """Values of the statement line of ``rule`` for ``assignee`` (the full payout)."""
        figure = figures.get((assignee.id, rule.kpi_id.id))
        tiers = rule._effective_tiers()
        gates, gate_labels = self._gate_results(rule, assignee, figures, date_from, date_to)
        penalties = self.penalty_ids.filtered(lambda p: not p.rule_id or p.rule_id == rule)
        base = figure["actual"] if figure else 0.0
        target_value = figure["target_value"] if figure else 0.0
        attainment = figure["attainment"] if figure else 0.0
        result = incentive.payout(
            tiers._as_tool(), base, target_value, attainment, weight=100.0 if rule.tier_ids else rule.weight,
            floor=rule.floor_amount or None, cap=rule.cap_amount or None, gates=gates,
            penalties=penalties._as_tool(), allow_negative=self.allow_negative)
        currency = self.currency_id
        penalty_note = ""
        if result.penalty:
            penalty_note = self.env._("Below %(threshold)s %% attainment: %(amount)s deducted (capped).",
                                      threshold=format(max(penalties.mapped("threshold")), "g"),
                                      amount=format(currency.round(result.penalty), ",.2f"))
        note = "" if figure else self.env._("No target of this KPI for the period.")
        if not result.gates_passed:
            note = self.env._("Gate failed, nothing paid: %(reason)s", reason=result.reason)
        payout = currency.round(result.amount)
        return {
            "sequence": rule.sequence, "rule_id": rule.id, "kpi_id": rule.kpi_id.id,
            "target_id": figure["target"].id if figure else False,
            "snapshot_version": figure["version"] if figure else 0,
            "base_amount": base, "target_value": target_value, "attainment": attainment,
            "tier_label": tiers[result.tier].name if result.tier is not None else False,
            "rate": result.rate, "multiplier": result.multiplier,
            "gross_amount": currency.round(result.gross), "penalty_amount": currency.round(result.penalty),
            "payout_amount": payout, "amount": payout, "gates_passed": result.gates_passed,
            "gate_result": "; ".join(gate_labels) or False, "penalty_note": penalty_note or False,
            "note": note or False,
        }

    # ------------------------------------------------------------------ statements
    def _compute_statements(self, date_from, date_to):
        """Compute the statements of ``date_from..date_to`` for every assignee of the plan, all
        or nothing: drafts of the period are replaced; where confirmed statements exist, a
        draft correction holds the differences per rule. Returns the statements created."""
        self.ensure_one()
        Statement = self.env["sales.target.incentive.statement"]
        for rule in self.rule_ids:
            rule._check_tiers()
        kpis = self.rule_ids.kpi_id | self.gate_ids.kpi_id | self.recognition_ids.kpi_id
        figures = self._figures(date_from, date_to, kpis)
        by_team = self.applies_to == "teams"
        existing = Statement.search([("plan_id", "=", self.id), ("date_from", "=", date_from),
                                     ("date_to", "=", date_to)])
        vals_list = []
        for assignee in self._assignees():
            mine = existing.filtered(lambda s, a=assignee: (s.team_id if by_team else s.user_id) == a)
            settled = mine.filtered(lambda s: s.state != "draft")
            lines = [self._prepare_line_vals(rule, assignee, figures, date_from, date_to) for rule in self.rule_ids]
            if settled:
                lines = self._correction_lines(lines, settled)
                if not lines:
                    continue
            team = assignee if by_team else next(
                (f["team"] for (who, _kpi), f in figures.items() if who == assignee.id and f["team"]),
                assignee.sale_team_id)
            vals_list.append({
                "plan_id": self.id, "date_from": date_from, "date_to": date_to,
                "user_id": False if by_team else assignee.id, "team_id": team.id,
                "is_estimate": any(not line["snapshot_version"] for line in lines),
                "correction_of_id": settled.sorted("id")[-1:].id if settled else False,
                "line_ids": [fields.Command.create(line) for line in lines],
            })
        existing.filtered(lambda s: s.state == "draft").unlink()
        statements = Statement.create(vals_list)
        self.recognition_ids._grant(date_from, date_to, figures)
        return statements

    @api.model
    def _correction_lines(self, lines, settled):
        """The lines whose payout differs from what ``settled`` statements hold for their rule,
        each paying the difference."""
        held = {}
        for line in settled.line_ids:
            held[line.rule_id.id] = held.get(line.rule_id.id, 0.0) + line.amount
        corrections = []
        currency = settled[:1].currency_id
        for line in lines:
            already = held.get(line["rule_id"], 0.0)
            difference = currency.round(line["payout_amount"] - already)
            if not currency.is_zero(difference):
                corrections.append({**line, "settled_amount": already, "amount": difference})
        return corrections
