"""The measured effect of training sessions and courses on their KPIs.

For each done session and each KPI of its course, every attendee and every non-attendee of
the attendees' teams (the control group) is measured over a window before the session and
one after it (``tools.training.windows``, days per company), by the measures of the KPIs
(``sales.target._measure_specs``: one aggregation per KPI source, whatever the number of
sessions and people). The groups' averages and the effect (the attendees' change minus the
control group's) are stored per session and, pooling the people of all its sessions, per
course. A salesperson listed on a session but absent counts in neither group; team
membership is read as it was on the session's day (``_memberships_on``).
"""

import logging
from collections import defaultdict

from odoo import api, fields, models

from ..tools import training
from .sales_target import window_action

_logger = logging.getLogger(__name__)

GROUPS = [("attendees", "Attendees"), ("control", "Non-attendees (control group)")]


class SalesTargetTrainingEffect(models.Model):
    _name = "sales.target.training.effect"
    _description = "Measured Effect of a Sales Training"
    _order = "course_id, session_id, kpi_id, group_type, id"

    course_id = fields.Many2one("sales.target.training.course", required=True, index=True, ondelete="cascade")
    session_id = fields.Many2one("sales.target.training.session", index=True, ondelete="cascade",
                                 help="Empty for the course's figures, pooled over all its done sessions.")
    company_id = fields.Many2one("res.company", required=True, index=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="cascade")
    group_type = fields.Selection(GROUPS, string="Group", required=True)
    before_value = fields.Float("Before", aggregator="avg", help="The group's average over the window before.")
    after_value = fields.Float("After", aggregator="avg", help="The group's average over the window after.")
    change = fields.Float(aggregator="avg", help="After minus before, on average per person.")
    change_pct = fields.Float("Change (%)", aggregator="avg", help="The change in percent of the value before.")
    has_change_pct = fields.Boolean(help="False when the value before is 0: no percentage then.")
    count = fields.Integer("People", aggregator="sum")
    effect = fields.Float(
        aggregator="avg",
        help="The attendees' change minus the control group's over the same windows: what the training "
             "brought. Only on the attendees' line, and only when there is a control group.")
    has_effect = fields.Boolean(
        "Effect measured", help="False when no colleague of the attendees' teams stayed away: no control group, "
                                "no effect.")
    date_from = fields.Date("Before from")
    date_split = fields.Date("Session day")
    date_to = fields.Date("After until")
    window_complete = fields.Boolean(help="Whether the window after the session has ended.")


class SalesTargetTrainingSession(models.Model):
    _inherit = "sales.target.training.session"

    def _effect_people(self):
        """``(attendees, control)`` users of each session of ``self``: those who attended,
        and the members of their teams (of the session's company) on the session's day who
        were not listed on it (see ``_memberships_on``)."""
        Member = self.env["crm.team.member"].with_context(active_test=False)
        members = Member.search([
            ("user_id", "in", self.attendance_ids.user_id.ids),
            ("crm_team_id.company_id", "in", [*self.company_id.ids, False]),
        ])
        team_members = Member.search([("crm_team_id", "in", members.crm_team_id.ids)])
        people = {}
        for session in self:
            attendees = {line.user_id.id for line in session.attendance_ids if line.attended}
            listed = set(session.attendance_ids.user_id.ids)
            teams = {m.crm_team_id.id for m in _memberships_on(members, session.date) if m.user_id.id in attendees}
            colleagues = {m.user_id.id for m in _memberships_on(team_members, session.date)
                          if m.crm_team_id.id in teams}
            people[session.id] = (sorted(attendees), sorted(colleagues - listed))
        return people

    def _measure_effects(self):
        """Measure and store the effects of the done sessions of the courses of ``self``
        (all of them: the course's figures pool its sessions). Returns the sessions measured."""
        # sudo: the figures are the same whoever asks (as the measures' filters are): all the
        # course's sessions and attendees count, also those the record rules hide from a team
        # leader; the caller may ask (action_compute_effects checks it, the cron is the system's)
        sessions = self.sudo().search([("course_id", "in", self.course_id.ids), ("state", "=", "done")])
        people = sessions._effect_people()
        specs, windows = [], {}
        for session in sessions:
            company = session.company_id
            windows[session.id] = training.windows(session.date, company.sales_target_training_days_before,
                                                   company.sales_target_training_days_after)
            attendees, control = people[session.id]
            for kpi in session.course_id.kpi_ids:
                for user_id in attendees + control:
                    for key, (date_from, date_to) in zip(("before", "after"), windows[session.id]):
                        specs.append({"id": (session.id, kpi.id, user_id, key), "kpi_id": kpi.id,
                                      "company_id": company.id, "date_from": date_from, "date_to": date_to,
                                      "user_id": user_id})
        errors = {}
        values = self.env["sales.target"]._measure_specs(specs, errors=errors)
        vals_list = []
        pooled = defaultdict(lambda: ([], []))
        todays = {company.id: company._sales_target_today() for company in sessions.company_id}
        for session in sessions:
            attendees, control = people[session.id]
            (before_from, _before_to), (after_from, after_to) = windows[session.id]
            window = {"date_from": before_from, "date_split": after_from, "date_to": after_to,
                      "window_complete": after_to < todays[session.company_id.id]}
            for kpi in session.course_id.kpi_ids:
                if kpi.id in errors:
                    continue

                def pairs(users, s=session, k=kpi):
                    return [(values[s.id, k.id, u, "before"], values[s.id, k.id, u, "after"]) for u in users]

                ours, theirs = pairs(attendees), pairs(control)
                pooled[session.course_id, kpi][0].extend(ours)
                pooled[session.course_id, kpi][1].extend(theirs)
                vals_list += self._effect_vals(session.course_id, kpi, ours, theirs,
                                               {"session_id": session.id, **window})
        for (course, kpi), (ours, theirs) in pooled.items():
            vals_list += self._effect_vals(course, kpi, ours, theirs, {})
        # sudo: the effects are measured figures, written by the system for whoever may ask for
        # them (the sessions' managers, the cron); nobody edits them
        Effect = self.env["sales.target.training.effect"].sudo()
        Effect.search([("course_id", "in", (sessions.course_id | self.course_id).ids)]).unlink()
        Effect.create(vals_list)
        sessions.write({"effects_date": fields.Datetime.now()})
        if errors:
            _logger.warning("Sales training: effects not measured for KPIs %s", sorted(errors))
        return sessions

    @api.model
    def _effect_vals(self, course, kpi, attendees, control, extra):
        """The rows of one session (or course, ``extra`` without session) and KPI."""
        ours, theirs = training.group_figures(attendees), training.group_figures(control)
        result = []
        for group_type, figures in (("attendees", ours), ("control", theirs)):
            if figures is None:
                continue
            vals = {
                "course_id": course.id, "company_id": course.company_id.id, "kpi_id": kpi.id,
                "group_type": group_type, "before_value": figures["before"], "after_value": figures["after"],
                "change": figures["change"], "change_pct": figures["change_pct"] or 0.0,
                "has_change_pct": figures["change_pct"] is not None, "count": figures["count"], **extra,
            }
            if group_type == "attendees":
                effect = training.effect(attendees, control)
                vals.update(effect=effect or 0.0, has_effect=effect is not None)
            result.append(vals)
        return result

    def action_compute_effects(self):
        """Measure the effects again (the sessions' managers only)."""
        self.check_access("write")
        self._measure_effects()
        return True

    @api.model
    def _cron_training(self):
        """Weekly: measure the effects of every course with done sessions, then suggest
        training to the salespeople persistently under their KPIs' bad threshold."""
        sessions = self.search([("state", "=", "done")])
        if sessions:
            sessions._measure_effects()
        self.env["sales.target.training.suggestion"]._generate()

    def action_view_effects(self):
        self.ensure_one()
        return window_action(self.env, "crm_sales_target.sales_target_training_effect_action",
                             [("session_id", "=", self.id)])


def _memberships_on(memberships, day):
    """The team memberships of ``memberships`` in force on ``day``.

    A membership archived on or before ``day`` had ended (a salesperson who left the team);
    one archived later was in force, and its salesperson counts in that team. Odoo keeps no
    joining date: a membership counts from its creation only for a salesperson who then had
    another one created by ``day`` (a move from one team to another after ``day``); teams
    entered in Odoo after the fact count as they are.
    """
    alive = [m for m in memberships if m.active or m.write_date.date() > day]
    by_user = defaultdict(list)
    for member in alive:
        by_user[member.user_id.id].append(member)
    result = []
    for user_members in by_user.values():
        early = [m for m in user_members if m.create_date.date() <= day]
        result.extend(early or user_members)
    return result
