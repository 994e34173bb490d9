from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import evaluation

SUBJECTS = [("plan", "Plan"), ("team", "Sales Team"), ("user", "Salesperson")]
PERIODS = [("month", "Last month"), ("quarter", "Last quarter"), ("year", "Last year"), ("custom", "Custom")]


class SalesTargetEvaluationReport(models.TransientModel):
    _name = "sales.target.evaluation.report"
    _description = "Print a Sales Target Evaluation Pack"

    subject = fields.Selection(SUBJECTS, required=True, default="plan")
    plan_id = fields.Many2one("sales.target.plan", string="Plan")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson", domain="[('share', '=', False)]")
    period = fields.Selection(PERIODS, required=True, default="month",
                              help="The last complete month, quarter or year, or dates of your own.")
    date_from = fields.Date("Start", compute="_compute_dates", store=True, readonly=False, required=True)
    date_to = fields.Date("End", compute="_compute_dates", store=True, readonly=False, required=True)
    conclusion = fields.Html(help="The manager's conclusion, printed at the end of the pack.")
    every_salesperson = fields.Boolean(
        "One pack for every salesperson",
        help="Print a pack for each salesperson of the plan or team, in the background: the PDF is attached "
             "to the plan or team and you are notified when it is ready.")

    @api.depends("period", "plan_id")
    def _compute_dates(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.period != "custom":
                wizard.date_from, wizard.date_to = evaluation.quick_period(wizard.period, today)
            elif not wizard.date_from and wizard.plan_id:
                wizard.date_from, wizard.date_to = wizard.plan_id.date_from, wizard.plan_id.date_to

    def _subject_record(self):
        self.ensure_one()
        return {"plan": self.plan_id, "team": self.team_id, "user": self.user_id}[self.subject]

    def _check(self):
        for wizard in self:
            if not wizard._subject_record():
                label = dict(self._fields["subject"]._description_selection(self.env))[wizard.subject]
                raise UserError(self.env._("%(subject)s: choose whom the evaluation is about.", subject=label))
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("Period: the start (%(start)s) must not be after the end (%(end)s).",
                                           start=wizard.date_from, end=wizard.date_to))
            if wizard.every_salesperson and wizard.subject == "user":
                raise UserError(self.env._(
                    "One pack for every salesperson: choose a plan or a sales team as the subject."))

    def _pack_params(self):
        """The parameters of this wizard's pack for ``sales.target.evaluation.evaluation_data``."""
        self.ensure_one()
        return {"subject": self.subject, "subject_id": self._subject_record().id,
                "date_from": fields.Date.to_string(self.date_from), "date_to": fields.Date.to_string(self.date_to),
                "conclusion": self.conclusion or ""}

    def action_print(self):
        self._check()
        if self.every_salesperson:
            return self._print_in_background()
        report = self.env.ref("crm_sales_target.sales_target_evaluation_pack_report")
        return report.with_context(lang=self.env.user.lang).report_action(self)

    def _print_in_background(self):
        self.ensure_one()
        job = self.env["sales.target.evaluation.job"].create({
            "plan_id": self.plan_id.id if self.subject == "plan" else False,
            "team_id": self.team_id.id if self.subject == "team" else False,
            "date_from": self.date_from, "date_to": self.date_to, "conclusion": self.conclusion,
        })
        job._enqueue()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "info", "sticky": False,
            "message": self.env._("The packs of %(count)s salespeople are printed in the background: you will be "
                                  "notified when the PDF is attached to %(subject)s.",
                                  count=len(job.user_ids), subject=job._subject().display_name),
            "next": {"type": "ir.actions.act_window_close"},
        }}
