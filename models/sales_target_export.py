"""XLSX exports of targets: small ones downloaded at once, large ones prepared in the background.

Every export is a record: its domain is searched again as its author when the file is made
(by the download itself, or by the cron for large ones), so that it holds only what the
author may read. A large export is written in xlsxwriter's constant-memory mode and attached
to the export record (readable by its author and the managers only: attached to the plan,
the rows a salesperson reads would show to every reader of the plan); its author is notified.
"""

import json
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.xlsx_writer import XLSX_MIMETYPE

_logger = logging.getLogger(__name__)

THRESHOLD_PARAM = "crm_sales_target.xlsx_background_threshold"
DEFAULT_THRESHOLD = 5000


class SalesTargetExport(models.Model):
    _name = "sales.target.export"
    _description = "Sales Target XLSX Export"
    _order = "create_date desc, id desc"

    plan_id = fields.Many2one("sales.target.plan", string="Plan", ondelete="cascade", index=True)
    title = fields.Char(help="What the export covers when it is not a plan (a team, a salesperson): the file's name.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    domain = fields.Text(required=True, help="The targets exported, as a JSON domain searched as the author.")
    row_count = fields.Integer("Targets")
    background = fields.Boolean("In the background", readonly=True)
    state = fields.Selection(
        [("ready", "Downloaded"), ("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
        required=True, default="ready", index=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True, ondelete="set null")
    error = fields.Text(readonly=True)

    def _compute_display_name(self):
        for export in self:
            export.display_name = self.env._("XLSX export #%(id)s", id=export.id)

    @api.model
    def _threshold(self):
        # system parameters are readable by administrators only; the threshold is no secret
        return int(self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM, DEFAULT_THRESHOLD))

    @api.model
    def _start(self, domain, plan, title=None):
        """Record an export of the targets matching ``domain`` (of ``plan``, or of what
        ``title`` names) and return the action that downloads it, or that says it is
        prepared in the background."""
        count = self.env["sales.target"].search_count(domain)
        background = count > self._threshold()
        export = self.create({
            "plan_id": plan.id, "title": title, "company_id": (plan.company_id or self.env.company).id,
            "domain": json.dumps(domain),
            "row_count": count, "background": background, "state": "pending" if background else "ready",
        })
        if not background:
            return {"type": "ir.actions.act_url", "url": export._download_url(), "target": "self"}
        self.env.ref("crm_sales_target.ir_cron_sales_target_export")._trigger()
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "type": "info", "sticky": False, "title": self.env._("Export prepared in the background"),
            "message": self.env._(
                "%(count)s targets are more than a download holds: the file is prepared in the background and "
                "you will find it in your inbox.", count=format(count, ",")),
        }}

    @api.model
    def _start_for(self, fname, record):
        """``_start`` for the targets whose dimension ``fname`` is ``record`` (a team, a
        salesperson), the file named after it."""
        record.ensure_one()
        return self._start([(fname, "=", record.id)], self.env["sales.target.plan"],
                           title=self.env._("Targets of %(name)s", name=record.display_name))

    def _download_url(self):
        self.ensure_one()
        return f"/crm_sales_target/export/{self.id}/xlsx"

    def _file_name(self):
        self.ensure_one()
        base = self.plan_id.name or self.title or self.env._("Targets")
        return f"{base}.xlsx".replace("/", "-")

    def _content(self, constant_memory=False):
        """The workbook of this export, read as the current user."""
        self.ensure_one()
        return self.env["sales.target"]._xlsx_content(json.loads(self.domain), constant_memory=constant_memory)

    def action_download(self):
        self.ensure_one()
        url = f"/web/content/{self.attachment_id.id}?download=true" if self.attachment_id else self._download_url()
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _try_lock(self):
        """Lock this export's row unless another cron worker holds it: True when this
        transaction may make the file."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s AND state = 'pending' FOR UPDATE SKIP LOCKED",
                                SQL.identifier(self._table), self.id))
        return bool(self.env.cr.fetchone())

    def _run(self, commit=False):
        """Make the files of these pending exports, in constant-memory mode, attach them and
        notify their authors."""
        for export in self.filtered(lambda e: e.state == "pending"):
            if not export._try_lock():
                continue
            try:
                with self.env.cr.savepoint():
                    attachment = self.env["ir.attachment"].create({
                        "name": export._file_name(), "raw": export._content(constant_memory=True),
                        "mimetype": XLSX_MIMETYPE, "res_model": self._name, "res_id": export.id,
                    })
                    export.write({"state": "done", "attachment_id": attachment.id})
                    export._notify_done()
            except Exception as exc:  # the export fails alone; the next ones still run
                _logger.exception("XLSX export %s failed", export.id)
                export.write({"state": "failed", "error": str(exc)})
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # run by the cron: keep each file

    def _notify_done(self):
        """A message in the author's inbox with the file attached."""
        self.ensure_one()
        author = self.create_uid
        self.env["mail.thread"].message_notify(
            partner_ids=author.partner_id.ids, attachment_ids=self.attachment_id.ids,
            model="sales.target.plan" if self.plan_id else False, res_id=self.plan_id.id,
            subject=self.env._("XLSX export ready"),
            body=self.env._("Your export of %(count)s targets is ready: the file is attached.",
                            count=format(self.row_count, ",")))

    @api.model
    def _cron_run(self):
        commit = bool(self.env.context.get("ir_cron_progress_id"))
        for export in self.search([("state", "=", "pending")]):
            # the file holds what its author may read: it is made with their rights
            author = export.create_uid
            export.with_user(author).with_context(allowed_company_ids=author.company_ids.ids,
                                                  lang=author.lang)._run(commit=commit)
