"""Evaluation packs of many salespeople (a whole plan or team), printed in the background.

The wizard queues a job; the cron renders the packs batch by batch with the rights and in
the language of the requester, merges them into one PDF attached to the job (never to the plan or team, which every
salesperson may read), and notifies the requester with the file.
"""

import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

BATCH_SIZE = 50


class SalesTargetEvaluationJob(models.Model):
    _name = "sales.target.evaluation.job"
    _description = "Sales Target Evaluation Packs Printed in the Background"
    _order = "create_date desc, id desc"

    plan_id = fields.Many2one("sales.target.plan", string="Plan", ondelete="cascade", index="btree_not_null")
    team_id = fields.Many2one("crm.team", string="Sales Team", ondelete="cascade", index="btree_not_null")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date_from = fields.Date("Start", required=True)
    date_to = fields.Date("End", required=True)
    conclusion = fields.Html()
    user_ids = fields.Many2many("res.users", string="Salespeople")
    total_count = fields.Integer("Packs", compute="_compute_total_count", store=True)
    done_count = fields.Integer("Printed", readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="pending", required=True, index=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True, ondelete="set null")
    error = fields.Text(readonly=True)

    _sql_constraints = [("one_subject", "CHECK ((plan_id IS NULL) != (team_id IS NULL))",
                         "An evaluation job prints the packs of either a plan or a sales team.")]

    @api.depends("user_ids")
    def _compute_total_count(self):
        for job in self:
            job.total_count = len(job.user_ids)

    def _compute_display_name(self):
        for job in self:
            job.display_name = self.env._("Evaluation packs #%(id)s", id=job.id)

    def _subject(self):
        self.ensure_one()
        return self.plan_id or self.team_id

    def _salespeople(self):
        """The salespeople with a target of the plan or team in the period, and the team's members."""
        self.ensure_one()
        field = "plan_id" if self.plan_id else "team_id"
        targets = self.env["sales.target"].search([
            (field, "=", self._subject().id), ("user_id", "!=", False),
            ("date_from", ">=", self.date_from), ("date_to", "<=", self.date_to)])
        return targets.user_id | self.team_id.member_ids

    def _enqueue(self):
        for job in self:
            subject = job._subject()
            job.write({"user_ids": [fields.Command.set(job._salespeople().ids)],
                       "company_id": subject.company_id.id or self.env.company.id})
        self.env.ref("crm_sales_target.ir_cron_sales_target_evaluation")._trigger()

    def _try_lock(self):
        """Whether this transaction holds the job's row (another cron worker may run it)."""
        self.ensure_one()
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s AND state IN ('pending', 'running') "
                                        "FOR UPDATE SKIP LOCKED", SQL.identifier(self._table), self.id),
                                    log_exceptions=False)
                locked = bool(self.env.cr.fetchone())
        except errors.SerializationFailure:
            locked = False
        self.invalidate_recordset()
        return locked

    def _run(self, batch_size=BATCH_SIZE, commit=False):
        """Render the packs of every salesperson, attach the PDF and notify the requester."""
        report = self.env.ref("crm_sales_target.sales_target_evaluation_pack_report")
        for job in self.filtered(lambda j: j.state in ("pending", "running")):
            if not job._try_lock():
                continue
            requester = job.create_uid
            try:
                job.write({"state": "running", "done_count": 0})
                params = {"date_from": fields.Date.to_string(job.date_from),
                          "date_to": fields.Date.to_string(job.date_to), "conclusion": job.conclusion or ""}
                # the packs hold what the requester may read, in their language
                renderer = self.env["ir.actions.report"].with_user(requester).with_context(
                    lang=requester.lang, allowed_company_ids=requester.company_ids.ids)
                parts, users = [], job.user_ids.sorted("name")
                for start in range(0, len(users), batch_size):
                    packs = [{"subject": "user", "subject_id": user.id, **params}
                             for user in users[start:start + batch_size]]
                    content, _kind = renderer._render_qweb_pdf(report.report_name, data={"packs": packs})
                    parts.append(content)
                    job.done_count = min(start + batch_size, len(users))
                    if commit:
                        self.env.cr.commit()  # pylint: disable=invalid-commit  # run by the cron: show the progress
                job._deliver(parts[0] if len(parts) == 1 else merge_pdf(parts) if parts else b"")
            except Exception as exc:  # the failure is kept on the job and told to the requester
                if commit:
                    self.env.cr.rollback()
                _logger.exception("Evaluation packs %s failed", job.id)
                job.write({"state": "failed", "error": str(exc)})
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit  # keep the failure on record

    def _deliver(self, content):
        self.ensure_one()
        requester = self.create_uid
        subject = self._subject()
        env = self.with_context(lang=requester.lang).env  # the message in the requester's language
        name = env._("Evaluation %(subject)s %(start)s %(end)s.pdf", subject=subject.display_name,
                     start=self.date_from, end=self.date_to)
        # the file is kept on the job, readable by its requester and the managers only, never on the
        # plan or team whose followers and readers include every salesperson
        attachment = self.env["ir.attachment"].create({
            "name": name, "raw": content, "mimetype": "application/pdf", "res_model": self._name, "res_id": self.id})
        self.write({"state": "done", "attachment_id": attachment.id, "error": False})
        self.env["mail.thread"].message_notify(
            partner_ids=requester.partner_id.ids, attachment_ids=attachment.ids,
            author_id=self.env.ref("base.partner_root").id, subject=name,
            body=env._("The evaluation packs of %(count)s salespeople for %(start)s – %(end)s are attached.",
                       count=len(self.user_ids), start=self.date_from, end=self.date_to))

    @api.model
    def _cron_run(self):
        commit = bool(self.env.context.get("ir_cron_progress_id"))
        self.search([("state", "in", ("pending", "running"))])._run(commit=commit)
