"""Suggested training: a salesperson whose attainment of a KPI stayed under the KPI's bad
threshold in the last two ended periods of one kind (months, quarters...) gets a suggestion,
with a to-do for their team leader, naming the courses whose measured effect on that KPI
was positive for others. One open suggestion per salesperson and KPI at most."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import format_list

from ..tools import training

#: target filters that make a target a part of the salesperson's figure, not the whole of it
PARTIAL_DIMENSIONS = ("product_id", "product_categ_id", "region_id", "partner_id", "customer_type")


class SalesTargetTrainingSuggestion(models.Model):
    _name = "sales.target.training.suggestion"
    _description = "Suggested Sales Training"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True)
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True)
    leader_id = fields.Many2one("res.users", string="Team Leader", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    course_ids = fields.Many2many("sales.target.training.course", "sales_target_training_suggestion_course_rel",
                                  "suggestion_id", "course_id", string="Suggested courses")
    target_ids = fields.Many2many("sales.target", "sales_target_training_suggestion_target_rel",
                                  "suggestion_id", "target_id", string="Targets missed")
    reason = fields.Text()
    state = fields.Selection([("open", "Open"), ("done", "Done"), ("dismissed", "Dismissed")],
                             required=True, default="open", tracking=True, index=True)

    @api.depends("user_id", "kpi_id")
    def _compute_display_name(self):
        for suggestion in self:
            suggestion.display_name = " · ".join(
                p for p in (suggestion.user_id.name, suggestion.kpi_id.name) if p)

    def action_done(self):
        self.write({"state": "done"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def action_dismiss(self):
        self.write({"state": "dismissed"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_reopen(self):
        self.write({"state": "open"})

    @api.model
    def _helpful_courses(self, company, kpis):
        """KPI -> the courses of ``company`` whose measured effect on it was positive."""
        effects = self.env["sales.target.training.effect"].search([
            ("company_id", "=", company.id), ("session_id", "=", False), ("group_type", "=", "attendees"),
            ("has_effect", "=", True), ("effect", ">", 0), ("kpi_id", "in", kpis.ids),
            ("course_id.active", "=", True),
        ])
        courses = defaultdict(lambda: self.env["sales.target.training.course"])
        for effect in effects:
            courses[effect.kpi_id] |= effect.course_id
        return courses

    @api.model
    def _generate(self, companies=None):
        """Create the suggestions due in ``companies`` (default: all); returns them."""
        created = self.browse()
        for company in companies or self.env["res.company"].search([]):
            created |= self._generate_company(company)
        return created

    @api.model
    def _generate_company(self, company):
        today = company._sales_target_today()
        targets = self.env["sales.target"].search([
            ("company_id", "=", company.id), ("user_id", "!=", False), ("date_to", "<", today),
            ("plan_state", "in", ("published", "closed")), ("actuals_date", "!=", False),
            *((fname, "=", False) for fname in PARTIAL_DIMENSIONS),
        ])
        periods = defaultdict(list)
        for target in targets:
            kind = training.period_type(target.date_from, target.date_to)
            periods[target.user_id, target.kpi_id, kind].append(target)
        open_pairs = {(s.user_id, s.kpi_id) for s in self.search([
            ("company_id", "=", company.id), ("state", "=", "open")])}
        due = {}
        for (user, kpi, _kind), group in periods.items():
            if (user, kpi) in open_pairs or (user, kpi) in due:
                continue
            if training.persistently_below([(t.date_to, t.attainment) for t in group], kpi.threshold_bad):
                ends = sorted({t.date_to for t in group})[-2:]
                due[user, kpi] = [t for t in group if t.date_to in ends]
        if not due:
            return self.browse()
        courses = self._helpful_courses(company, self.env["sales.target.kpi"].union(*(k for _u, k in due)))
        vals_list = []
        for (user, kpi), missed in due.items():
            latest = max(missed, key=lambda t: (t.date_to, t.id))
            team = latest.team_id or user.sale_team_id
            leader = team.user_id if team.user_id and team.user_id != user else latest.plan_id.user_id
            periods_text = ", ".join(sorted({f"{t.date_from} → {t.date_to} ({round(t.attainment)} %)"
                                             for t in missed}))
            vals_list.append({
                "user_id": user.id, "kpi_id": kpi.id, "team_id": team.id, "leader_id": leader.id,
                "company_id": company.id, "course_ids": [(6, 0, courses[kpi].ids)],
                "target_ids": [(6, 0, [t.id for t in missed])],
                "reason": self.env._(
                    "Attainment of %(kpi)s under its bad threshold (%(threshold)s %%) in the last two periods: "
                    "%(periods)s.", kpi=kpi.name, threshold=round(kpi.threshold_bad), periods=periods_text),
            })
        suggestions = self.create(vals_list)
        suggestions._schedule_leader_activities()
        return suggestions

    def _schedule_leader_activities(self):
        """A to-do for the leader of each suggestion of ``self``, naming the courses."""
        for suggestion in self:
            if not suggestion.leader_id:
                continue
            names = format_list(self.env, suggestion.course_ids.mapped("name")) if suggestion.course_ids else \
                self.env._("no course has shown an effect on this KPI yet")
            suggestion.activity_schedule(
                "mail.mail_activity_data_todo", user_id=suggestion.leader_id.id,
                summary=self.env._("Suggested training for %(user)s", user=suggestion.user_id.name),
                note=self.env._("%(reason)s Courses that improved this KPI for others: %(courses)s.",
                                reason=suggestion.reason, courses=names))

    def action_generate(self):
        """Button: look for salespeople to suggest training to now."""
        self.check_access("create")
        self._generate(self.env.companies)
        return self.env["ir.actions.act_window"]._for_xml_id("crm_sales_target.sales_target_training_suggestion_action")
