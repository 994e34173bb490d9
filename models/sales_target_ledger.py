"""Audit ledger of sales targets: who changed which value, date or dimension of which target,
when, from what to what.

The ledger is a plain table written in bulk: one ``INSERT ... SELECT`` per create, write or
unlink call, whatever the number of targets (a decomposition creates tens of thousands at
once; a row of chatter per target would cost more than the targets themselves). The old
values are read in one query before the write. The plan's chatter gets one summary per call
and plan.
"""

from collections import defaultdict

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import dimensions

#: target fields whose changes are recorded
AUDITED_FIELDS = ("target_value", "stretch_value", "date_from", "date_to", "kpi_id",
                  *dimensions.TARGET_FIELDS, "parent_id")
AMOUNT_FIELDS = ("target_value", "stretch_value")
OPERATIONS = [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted")]
#: columns of one ledger row, in the order of the unnest() of ``_insert_rows``
ROW_COLUMNS = ("operation", "target_id", "plan_id", "company_id", "team_id", "field_name", "old_value",
               "new_value", "old_amount", "new_amount", "target_label")
ROW_TYPES = ("varchar", "int", "int", "int", "int", "varchar", "varchar", "varchar", "float8", "float8", "varchar")


def _amount_text(value):
    return None if value is None else f"{value:.2f}"


class SalesTargetLedger(models.Model):
    _name = "sales.target.ledger"
    _description = "Sales Target Audit Ledger"
    _order = "date desc, id desc"
    _log_access = False  # who and when are the ledger's own columns
    _rec_name = "target_label"

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Changed by", readonly=True, index=True, ondelete="set null")
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    target_id = fields.Many2one("sales.target", string="Target", readonly=True, index="btree_not_null",
                                ondelete="set null")
    target_ref = fields.Integer("Target ID", readonly=True, aggregator=False,
                                help="Kept when the target is deleted.")
    target_label = fields.Char("Target description", readonly=True)
    plan_id = fields.Many2one("sales.target.plan", string="Plan", readonly=True, index=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade")
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, ondelete="set null",
                              help="The target's team when the change was recorded.")
    field_name = fields.Selection("_selection_field_name", string="Field", readonly=True)
    old_value = fields.Char("Old value", readonly=True)
    new_value = fields.Char("New value", readonly=True)
    old_amount = fields.Float("Old amount", readonly=True, aggregator="sum")
    new_amount = fields.Float("New amount", readonly=True, aggregator="sum")

    @api.model
    def _selection_field_name(self):
        target_fields = self.env["sales.target"]._fields
        return [(fname, target_fields[fname]._description_string(self.env)) for fname in AUDITED_FIELDS]

    # the ledger is written by _insert_rows only: no one creates, edits or deletes its rows
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super  # refused, see above
        raise UserError(self.env._("Audit ledger: its lines are written by the targets' changes only."))

    def write(self, vals):  # pylint: disable=method-required-super  # refused, see above
        raise UserError(self.env._("Audit ledger: its lines cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Audit ledger: its lines cannot be deleted."))

    @api.model
    def _insert_rows(self, rows):
        """Insert ``rows`` (tuples in the order of ``ROW_COLUMNS``) in one query, as the current
        user and at the transaction's time."""
        if not rows:
            return
        columns = list(zip(*rows))
        self.env.cr.execute(SQL(
            """INSERT INTO sales_target_ledger (date, user_id, target_ref, %s)
               SELECT %s, %s, v.target_id, %s FROM unnest(%s) AS v(%s)""",
            SQL(", ").join(SQL.identifier(c) for c in ROW_COLUMNS),
            fields.Datetime.now(), self.env.uid,
            SQL(", ").join(SQL("v.%s", SQL.identifier(c)) for c in ROW_COLUMNS),
            SQL(", ").join(SQL("%s::%s[]", list(col), SQL(kind)) for col, kind in zip(columns, ROW_TYPES)),
            SQL(", ").join(SQL.identifier(c) for c in ROW_COLUMNS)))


class SalesTarget(models.Model):
    _inherit = "sales.target"

    ledger_ids = fields.One2many("sales.target.ledger", "target_id", string="Audit Trail", readonly=True)

    def _on_created(self):
        res = super()._on_created()
        if self:
            # the company is the plan's (the target's own column is computed at the flush)
            self.flush_model(["plan_id", "team_id", "target_value"])
            self.env.cr.execute(SQL(
                """INSERT INTO sales_target_ledger (date, user_id, operation, target_id, target_ref, plan_id,
                                                    company_id, team_id, field_name, new_value, new_amount)
                   SELECT %s, %s, 'create', t.id, t.id, t.plan_id, p.company_id, t.team_id, 'target_value',
                          to_char(t.target_value, 'FM999999999999990.00'), t.target_value
                     FROM sales_target t JOIN sales_target_plan p ON p.id = t.plan_id
                    WHERE t.id = ANY(%s)""",
                fields.Datetime.now(), self.env.uid, self.ids))
        return res

    def write(self, vals):
        audited = [fname for fname in AUDITED_FIELDS if fname in vals]
        if not audited or not self:
            return super().write(vals)
        before = self._ledger_read(audited)
        res = super().write(vals)
        self._ledger_record_write(before, audited)
        return res

    def unlink(self):
        if self:
            before = self._ledger_read(["target_value"])
            labels = {target.id: target.display_name for target in self}
            self.env["sales.target.ledger"]._insert_rows([
                ("unlink", tid, row["plan_id"], row["company_id"], row["team_id"], "target_value",
                 _amount_text(row["target_value"]), None, row["target_value"], None, labels.get(tid))
                for tid, row in before.items()])
            if not self.env.context.get("sales_target_no_summary"):
                self._ledger_summarise(before, {tid: ["unlink"] for tid in before}, {}, "unlink")
        return super().unlink()

    # ------------------------------------------------------------------ helpers
    def _ledger_read(self, fnames):
        """``{id: {field: stored value}}`` of ``self`` for ``fnames``, with each target's plan,
        company and team, in one query."""
        self.flush_recordset([*fnames, "plan_id", "team_id"])
        self.env.cr.execute(SQL(
            """SELECT t.id, t.plan_id, p.company_id, t.team_id, %s
                 FROM sales_target t JOIN sales_target_plan p ON p.id = t.plan_id WHERE t.id IN %s""",
            SQL(", ").join(SQL("t.%s", SQL.identifier(f)) for f in fnames), tuple(self.ids)))
        keys = ("plan_id", "company_id", "team_id", *fnames)
        return {row[0]: dict(zip(keys, row[1:])) for row in self.env.cr.fetchall()}

    def _ledger_text(self, fname, values):
        """Readable text of the raw ``values`` of ``fname``: ``{raw: text}``, records named in
        one read per field."""
        field = self._fields[fname]
        values = {v for v in values if v not in (None, False)}
        if field.type == "many2one":
            records = self.env[field.comodel_name].browse(values)
            readable = records._filtered_access("read")
            texts = {record.id: record.display_name for record in readable}
            return {v: texts.get(v, f"#{v}") for v in values}
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return {v: labels.get(v, v) for v in values}
        if fname in AMOUNT_FIELDS:
            return {v: _amount_text(v) for v in values}
        return {v: str(v) for v in values}

    def _ledger_record_write(self, before, fnames):
        changes = defaultdict(list)  # target id -> fields changed
        raw_rows = []
        for target in self:
            old = before.get(target.id)
            if old is None:
                continue
            for fname in fnames:
                field = self._fields[fname]
                new = target[fname]
                new = new.id if field.type == "many2one" else new
                old_value = old[fname]
                if fname in AMOUNT_FIELDS:
                    old_value = old_value or 0.0
                    changed = round(old_value - (new or 0.0), 6) != 0
                else:
                    changed = (old_value or False) != (new or False)
                if changed:
                    raw_rows.append((target.id, old, fname, old_value or None, new or None))
                    changes[target.id].append(fname)
        if not raw_rows:
            return
        texts = {fname: self._ledger_text(fname, [r[3] for r in raw_rows if r[2] == fname]
                                          + [r[4] for r in raw_rows if r[2] == fname]) for fname in fnames}
        self.env["sales.target.ledger"]._insert_rows([
            ("write", tid, old["plan_id"], old["company_id"], old["team_id"], fname,
             texts[fname].get(old_raw), texts[fname].get(new_raw),
             (old_raw or 0.0) if fname in AMOUNT_FIELDS else None,
             (new_raw or 0.0) if fname in AMOUNT_FIELDS else None, None)
            for tid, old, fname, old_raw, new_raw in raw_rows])
        if not self.env.context.get("sales_target_no_summary"):
            new_values = {tid: self.browse(tid).target_value for tid in changes}
            self._ledger_summarise(before, changes, new_values, "write")

    def _ledger_summarise_since(self, before):
        """The one chatter line per plan for several writes made under
        ``sales_target_no_summary`` (an adjustment writing each target its own value):
        ``before`` is ``_ledger_read`` of ``self`` taken before the first of them."""
        fnames = [f for f in AMOUNT_FIELDS if f in next(iter(before.values()), {})]
        changes, new_values = {}, {}
        for target in self:
            old = before.get(target.id)
            changed = [f for f in fnames if old and round((old[f] or 0.0) - (target[f] or 0.0), 6)]
            if changed:
                changes[target.id] = changed
                new_values[target.id] = target.target_value
        if changes:
            self._ledger_summarise(before, changes, new_values, "write")

    def _ledger_summarise(self, before, changes, new_values, operation):
        """One chatter line per plan for this call: how many targets, by whom, and the change
        of the plan's total target value in percent."""
        per_plan = defaultdict(list)
        for tid in changes:
            per_plan[before[tid]["plan_id"]].append(tid)
        labels = dict(self.env["sales.target.ledger"]._selection_field_name())
        user = self.env.user.name
        bodies = {}
        for plan_id, tids in per_plan.items():
            if operation == "unlink":
                text = self.env._("%(count)s targets deleted by %(user)s", count=len(tids), user=user)
            else:
                parts = []
                fnames = {f for tid in tids for f in changes[tid]}
                if "target_value" in fnames:
                    old = sum(before[tid]["target_value"] or 0.0 for tid in tids)
                    new = sum(new_values[tid] or 0.0 for tid in tids)
                    pct = (new - old) / old * 100.0 if old else 0.0
                    shown = format(pct, "+.1f")  # outside the call: term extraction cannot read f-strings
                    parts.append(self.env._("target %(pct)s %%", pct=shown))
                parts += [labels[f] for f in AUDITED_FIELDS if f in fnames and f != "target_value"]
                text = self.env._("%(count)s targets changed by %(user)s: %(changes)s",
                                  count=len(tids), user=user, changes=", ".join(parts))
            bodies[plan_id] = escape(text)
        plans = self.env["sales.target.plan"].browse(list(bodies))
        # a note on the plan, written as the user who made the change (who may not edit plans)
        plans._message_log_batch(bodies)
