"""Large decompositions, stored in the background in batches."""

import json
import logging
from datetime import date

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BATCH_SIZE = 5000


class SalesTargetDecomposition(models.Model):
    _name = "sales.target.decomposition"
    _description = "Sales Target Decomposition Job"
    _order = "create_date desc, id desc"

    plan_id = fields.Many2one("sales.target.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    parent_ids = fields.Many2many("sales.target", string="Targets split")
    payload = fields.Text(help="The sub-targets still to create, as JSON.")
    replace_ids = fields.Many2many("sales.target", "sales_target_decomposition_replace_rel",
                                   string="Sub-targets to replace")
    created_ids = fields.Many2many("sales.target", "sales_target_decomposition_created_rel",
                                   string="Sub-targets created")
    total_count = fields.Integer("Sub-targets")
    done_count = fields.Integer("Created")
    progress = fields.Float(compute="_compute_progress")
    state = fields.Selection(
        [("pending", "Pending"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="pending", required=True, index=True)
    error = fields.Text(readonly=True)

    @api.depends("done_count", "total_count")
    def _compute_progress(self):
        for job in self:
            job.progress = job.done_count / job.total_count * 100.0 if job.total_count else 0.0

    def _compute_display_name(self):
        for job in self:
            job.display_name = self.env._("Decomposition #%(id)s", id=job.id)

    def _progress_label(self):
        """``"3,000 of 12,000 sub-targets"`` for these jobs together."""
        # formatted outside the call: the extractor of translatable terms cannot read f-strings
        done, total = format(sum(self.mapped("done_count")), ","), format(sum(self.mapped("total_count")), ",")
        return self.env._("%(done)s of %(total)s sub-targets", done=done, total=total)

    def _try_lock(self):
        """Lock this job's row for the current transaction, unless another transaction holds
        it (another cron worker running the job): True when this transaction may run it. The
        job is read again afterwards, as the other worker may have moved it on."""
        self.ensure_one()
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL(
                    "SELECT id FROM %s WHERE id = %s AND state IN ('pending', 'running') FOR UPDATE SKIP LOCKED",
                    SQL.identifier(self._table), self.id), log_exceptions=False)
                locked = bool(self.env.cr.fetchone())
        except errors.SerializationFailure:
            # another worker changed the job since this transaction began: it is theirs
            locked = False
        self.invalidate_recordset()
        return locked

    def _set_payload(self, vals_list, replace=None):
        rows = [{k: (fields.Date.to_string(v) if k in ("date_from", "date_to") else v) for k, v in vals.items()}
                for vals in vals_list]
        self.write({"payload": json.dumps(rows), "total_count": len(rows),
                    "replace_ids": [fields.Command.set(replace.ids if replace else [])]})
        self.env.ref("crm_sales_target.ir_cron_sales_target_decomposition")._trigger()

    def _run(self, batch_size=BATCH_SIZE, commit=False):
        """Create the sub-targets batch by batch. A failure removes what the job created, so
        that the decomposition applies completely or not at all."""
        for job in self.filtered(lambda j: j.state in ("pending", "running")):
            if not job._try_lock():
                continue  # another worker runs it
            rows = json.loads(job.payload or "[]")
            try:
                if job.state == "pending":
                    job.state = "running"
                held = True
                while held and job.done_count < len(rows):
                    # dates back to dates here: parsing them is the ORM's slowest way to get them
                    batch = [{k: (date.fromisoformat(v) if k in ("date_from", "date_to") and v else v)
                              for k, v in row.items()} for row in rows[job.done_count:job.done_count + batch_size]]
                    with self.env.cr.savepoint():
                        created = self.env["sales.target"]._create_bulk(batch)
                    job.write({"created_ids": [fields.Command.link(t) for t in created.ids],
                               "done_count": job.done_count + len(batch)})
                    if commit:
                        self.env.cr.commit()  # pylint: disable=invalid-commit  # run by the cron: keep each batch
                        # the commit let go of the row: take it again, or leave the job to the
                        # worker that took it meanwhile (it goes on from the batches committed here)
                        held = job._try_lock()
                if not held:
                    continue
                # the sub-targets replaced go only once all new ones exist
                job.replace_ids.unlink()
                job.write({"state": "done", "payload": False})
            except Exception as exc:  # any failure undoes the whole job
                if commit:
                    self.env.cr.rollback()
                    if not job._try_lock():
                        continue  # another worker took the job over and meets the failure itself
                _logger.exception("Decomposition %s failed", job.id)
                job.created_ids.unlink()
                job.write({"state": "failed", "error": str(exc), "done_count": 0})
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit  # keep the failure on record

    @api.model
    def _cron_run(self):
        commit = bool(self.env.context.get("ir_cron_progress_id"))
        for job in self.search([("state", "in", ("pending", "running"))]):
            # two cron workers may pick the same job: ``_run`` locks its row, so that one runs it
            # the job creates and replaces targets with the rights of whoever asked for it
            author = job.create_uid
            job.with_user(author).with_context(allowed_company_ids=author.company_ids.ids)._run(commit=commit)
