"""The evaluation pack's sections beyond the targets: scorecards, adjustments, training,
satisfaction, action items and risks. Each is read with the rights of the user printing;
a section whose records the user may not read at all is left out."""

from odoo import models
from odoo.tools.misc import format_date

from ..tools import satisfaction


def _labels(model, fname):
    return dict(model._fields[fname]._description_selection(model.env))


class SalesTargetEvaluation(models.AbstractModel):
    _inherit = "sales.target.evaluation"

    def _sections(self, subject, record, rows, users, date_from, date_to):
        data = super()._sections(subject, record, rows, users, date_from, date_to)
        target_ids = [row["id"] for row in rows]
        plans = self.env["sales.target.plan"].browse({row["plan_id"] for row in rows})
        if subject == "plan":
            plans |= record
        for key, method, args in (
            ("scorecards", self._scorecards, (subject, record, users, date_from, date_to)),
            ("adjustments", self._adjustments, (target_ids,)),
            ("training", self._training, (users, date_from, date_to)),
            ("satisfaction", self._satisfaction, (subject, record, users, date_from, date_to)),
            ("actions", self._actions, (subject, plans, target_ids, users, date_from, date_to)),
            ("risks", self._risks, (plans,)),
        ):
            data[key] = method(*args)
        return data

    def _readable(self, model):
        return self.env[model].has_access("read")

    def _scorecards(self, subject, record, users, date_from, date_to):
        """The scorecards of the subject's salespeople overlapping the period."""
        if not self._readable("sales.target.scorecard"):
            return []
        domain = [("date_from", "<=", date_to), ("date_to", ">=", date_from)]
        domain.append(("team_id", "=", record.id) if subject == "team" else ("user_id", "in", users.ids))
        lights = _labels(self.env["sales.target.scorecard.line"], "traffic_light")
        return [{
            "name": card.display_name, "user": card.user_id.name, "score": card.score,
            "lines": [{"kpi": line.kpi_id.name, "weight": line.weight, "target": line.target_value,
                       "actual": line.actual_value, "attainment": line.attainment, "score": line.score,
                       "light": line.traffic_light or "", "light_label": lights.get(line.traffic_light, "")}
                      for line in card.line_ids],
        } for card in self.env["sales.target.scorecard"].search(domain, order="user_id, date_from, id")]

    def _adjustments(self, target_ids):
        """The applied changes of the pack's targets, with their reasons."""
        if not target_ids or not self._readable("sales.target.adjustment.line"):
            return []
        lines = self.env["sales.target.adjustment.line"].search(
            [("target_id", "in", target_ids), ("state", "=", "applied")], order="effective_date, id")
        return [{
            "date": format_date(self.env, line.effective_date), "target": line.target_id.display_name,
            "old": line.old_value, "new": line.new_value, "difference": line.difference,
            "reason": line.reason_id.name or "", "justification": line.justification or "",
            "requester": line.requester_id.name or "",
        } for line in lines]

    def _training(self, users, date_from, date_to):
        """Sessions the salespeople attended in the period, and the measured effects."""
        if not users or not self._readable("sales.target.training.attendance"):
            return []
        attendances = self.env["sales.target.training.attendance"].search([
            ("user_id", "in", users.ids), ("attended", "=", True),
            ("session_date", ">=", date_from), ("session_date", "<=", date_to)], order="session_date, id")
        effects = {}
        if self._readable("sales.target.training.effect"):
            for effect in self.env["sales.target.training.effect"].search(
                    [("session_id", "in", attendances.session_id.ids), ("group_type", "=", "attendees")]):
                effects.setdefault(effect.session_id.id, []).append({
                    "kpi": effect.kpi_id.name, "before": effect.before_value, "after": effect.after_value,
                    "change_pct": effect.change_pct if effect.has_change_pct else None,
                    "effect": effect.effect if effect.has_effect else None})
        sessions = {}
        for attendance in attendances:
            session = attendance.session_id
            entry = sessions.setdefault(session.id, {
                "session": session.display_name, "date": format_date(self.env, session.date),
                "hours": session.hours, "attendees": [], "effects": effects.get(session.id, [])})
            entry["attendees"].append(attendance.user_id.name)
        return list(sessions.values())

    def _satisfaction(self, subject, record, users, date_from, date_to):
        """Average CSAT, NPS and complaints of the period; ``None`` when there is none."""
        if not self._readable("sales.target.satisfaction"):
            return None
        if subject == "team":
            who = [("team_id", "=", record.id)]
        else:
            who = [("user_id", "in", users.ids)]
        period = [("date", ">=", date_from), ("date", "<=", date_to)]
        records = self.env["sales.target.satisfaction"].search(who + period)
        complaints = self.env["sales.target.complaint"].search(who + period) \
            if self._readable("sales.target.complaint") else self.env["sales.target.complaint"]
        if not records and not complaints:
            return None
        csat = [r.score for r in records if r.kind == "csat"]
        nps = [r.score for r in records if r.kind == "nps"]
        return {
            "csat": satisfaction.average_csat(csat), "csat_count": len(csat),
            "nps": satisfaction.nps(nps), "nps_count": len(nps),
            "complaints": len(complaints),
            "complaints_open": len(complaints.filtered(lambda c: c.state in ("open", "in_progress"))),
        }

    def _actions(self, subject, plans, target_ids, users, date_from, date_to):
        """Action items of the pack's plans due in the period or still open at its end."""
        if not plans or not self._readable("sales.target.action"):
            return []
        domain = [("plan_id", "in", plans.ids), ("deadline", "<=", date_to),
                  "|", ("deadline", ">=", date_from), ("state", "in", ("planned", "in_progress"))]
        if subject != "plan":
            domain += ["|", ("target_id", "in", target_ids), ("user_id", "in", users.ids)]
        states = _labels(self.env["sales.target.action"], "state")
        return [{"name": action.name, "owner": action.user_id.name, "deadline": format_date(self.env, action.deadline),
                 "state": states.get(action.state, ""), "overdue": action.is_overdue}
                for action in self.env["sales.target.action"].search(domain, order="deadline, id")]

    def _risks(self, plans):
        """The risks of the pack's plans, the highest score first."""
        if not plans or not self._readable("sales.target.risk"):
            return []
        Risk = self.env["sales.target.risk"]
        categories, statuses = _labels(Risk, "category"), _labels(Risk, "status")
        return [{"name": risk.name, "category": categories.get(risk.category, ""), "score": risk.score,
                 "status": statuses.get(risk.status, ""), "mitigation": risk.mitigation or "",
                 "owner": risk.user_id.name or ""}
                for risk in Risk.search([("plan_id", "in", plans.ids)], order="score desc, id")]
