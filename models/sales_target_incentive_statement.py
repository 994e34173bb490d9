"""Incentive statements: what each salesperson (or team) earns per period of a plan.

Figures come from the targets' frozen snapshots once their plan is closed (the last version),
live from the targets before (the statement is then an estimate). Confirmed and paid
statements never change: computing a period again after an adjustment adds a draft
correction statement holding the differences, rule by rule.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

STATEMENT_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("paid", "Paid")]
#: set by the workflow only
WORKFLOW_FIELDS = frozenset(("state", "confirmed_on", "confirmed_by", "paid_on"))


def _in_workflow(env):
    return env.context.get("sales_target_incentive_workflow")


class SalesTargetIncentiveStatement(models.Model):
    _name = "sales.target.incentive.statement"
    _description = "Incentive Statement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, plan_id, user_id, team_id, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", required=True, ondelete="restrict", index=True,
                              readonly=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index="btree_not_null", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null", readonly=True)
    date_from = fields.Date("Start", required=True, readonly=True)
    date_to = fields.Date("End", required=True, readonly=True)
    state = fields.Selection(STATEMENT_STATES, required=True, default="draft", readonly=True, tracking=True,
                             copy=False, index=True)
    is_estimate = fields.Boolean("Estimate", readonly=True,
                                 help="Computed from live figures: the targets' plan was not closed yet.")
    correction_of_id = fields.Many2one("sales.target.incentive.statement", string="Corrects", readonly=True,
                                       ondelete="restrict",
                                       help="The confirmed statement whose figures changed since.")
    is_correction = fields.Boolean("Correction", compute="_compute_is_correction", store=True)
    line_ids = fields.One2many("sales.target.incentive.statement.line", "statement_id", string="Lines",
                               readonly=True)
    amount_total = fields.Monetary("Total", currency_field="currency_id", compute="_compute_amount_total",
                                   store=True)
    confirmed_on = fields.Datetime(readonly=True, copy=False)
    confirmed_by = fields.Many2one("res.users", readonly=True, copy=False)
    paid_on = fields.Date(readonly=True, copy=False)

    @api.depends("correction_of_id")
    def _compute_is_correction(self):
        for statement in self:
            statement.is_correction = bool(statement.correction_of_id)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for statement in self:
            statement.amount_total = sum(statement.line_ids.mapped("amount"))

    @api.depends("user_id", "team_id", "date_from", "date_to", "is_correction")
    def _compute_display_name(self):
        for statement in self:
            who = statement.user_id.name or statement.team_id.name or ""
            name = f"{who} · {statement.date_from} → {statement.date_to}"
            if statement.is_correction:
                name = self.env._("%(statement)s (correction)", statement=name)
            statement.display_name = name

    # ------------------------------------------------------------------ immutability
    @api.model_create_multi
    def create(self, vals_list):
        if not _in_workflow(self.env):
            for vals in vals_list:
                if set(vals) & WORKFLOW_FIELDS and vals.get("state", "draft") != "draft":
                    raise UserError(self.env._("Statements: they are created in draft by Compute statements."))
        return super().create(vals_list)

    def write(self, vals):
        locked = self.filtered(lambda s: s.state != "draft")
        if locked and not (_in_workflow(self.env) and set(vals) <= WORKFLOW_FIELDS):
            raise UserError(self.env._(
                "Statement %(statement)s is %(state)s: confirmed statements cannot change. Compute the "
                "period again to add a correction.", statement=locked[0].display_name,
                state=dict(self._fields["state"]._description_selection(self.env))[locked[0].state]))
        if set(vals) & WORKFLOW_FIELDS and not _in_workflow(self.env):
            raise UserError(self.env._("Statements: the status is set by Confirm and Mark as Paid."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        locked = self.filtered(lambda s: s.state != "draft")
        if locked:
            raise UserError(self.env._(
                "Statement %(statement)s is confirmed: confirmed statements cannot be deleted; a new "
                "computation adds a correction.", statement=locked[0].display_name))

    # ------------------------------------------------------------------ workflow
    def _workflow(self):
        return self.with_context(sales_target_incentive_workflow=True)

    def action_confirm(self):
        not_draft = self.filtered(lambda s: s.state != "draft")
        if not_draft:
            raise UserError(self.env._("Statement %(statement)s is not a draft.",
                                       statement=not_draft[0].display_name))
        self._workflow().write({"state": "confirmed", "confirmed_on": fields.Datetime.now(),
                                "confirmed_by": self.env.uid})
        return True

    def action_pay(self):
        not_confirmed = self.filtered(lambda s: s.state != "confirmed")
        if not_confirmed:
            raise UserError(self.env._("Statement %(statement)s must be confirmed before it is paid.",
                                       statement=not_confirmed[0].display_name))
        self._workflow().write({"state": "paid", "paid_on": fields.Date.context_today(self)})
        return True

    def action_export_xlsx(self):
        """The statements as an XLSX workbook for payroll, downloaded; only those the user may
        read (a salesperson's own)."""
        from ..tools import incentive_xlsx
        self.check_access("read")
        content = incentive_xlsx.workbook(self._xlsx_headers(), self._xlsx_rows(),
                                          sheet=self.env._("Statements"))
        attachment = self.env["ir.attachment"].create({
            "name": self.env._("incentive_statements.xlsx"), "raw": content,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true",
                "target": "self"}

    def _xlsx_headers(self):
        _ = self.env._
        return [_("Salesperson"), _("Sales Team"), _("Start"), _("End"), _("Plan"), _("Status"), _("Estimate"),
                _("Correction"), _("Rule"), _("KPI"), _("Base"), _("Target"), _("Attainment (%)"), _("Tier"),
                _("Rate (%)"), _("Multiplier"), _("Gross"), _("Penalty"), _("Amount"), _("Gates")]

    def _xlsx_rows(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        yes, no = self.env._("Yes"), self.env._("No")
        rows = []
        for statement in self:
            for line in statement.line_ids:
                rows.append([
                    statement.user_id.name or "", statement.team_id.name or "", statement.date_from,
                    statement.date_to, statement.plan_id.name, states[statement.state],
                    yes if statement.is_estimate else no, yes if statement.is_correction else no,
                    line.rule_id.name or "", line.kpi_id.name or "", line.base_amount, line.target_value,
                    line.attainment, line.tier_label or "", line.rate, line.multiplier, line.gross_amount,
                    line.penalty_amount, line.amount, line.gate_result or "",
                ])
        return rows


class SalesTargetIncentiveStatementLine(models.Model):
    _name = "sales.target.incentive.statement.line"
    _description = "Incentive Statement Line"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one("sales.target.incentive.statement", required=True, ondelete="cascade",
                                   index=True)
    company_id = fields.Many2one(related="statement_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    state = fields.Selection(related="statement_id.state")
    sequence = fields.Integer(default=10)
    rule_id = fields.Many2one("sales.target.incentive.rule", string="Rule", ondelete="set null")
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", ondelete="set null")
    target_id = fields.Many2one("sales.target", string="Sales Target", ondelete="set null")
    snapshot_version = fields.Integer("Snapshot", help="Version of the close the figures come from; 0 for live "
                                                       "figures (an estimate).")
    base_amount = fields.Monetary("Base", currency_field="currency_id", help="The actual of the target.")
    target_value = fields.Monetary("Target", currency_field="currency_id")
    attainment = fields.Float("Attainment (%)")
    tier_label = fields.Char("Tier")
    rate = fields.Float("Rate (%)", help="The tier's rate, or its fixed amount for a fixed tier.")
    multiplier = fields.Float(default=1.0)
    gross_amount = fields.Monetary("Gross", currency_field="currency_id",
                                   help="The tier's payout, weighted, within the cap and floor.")
    penalty_amount = fields.Monetary("Penalty", currency_field="currency_id")
    payout_amount = fields.Monetary("Payout", currency_field="currency_id",
                                    help="Gross minus penalties: what the period earns in full.")
    settled_amount = fields.Monetary("Already confirmed", currency_field="currency_id",
                                     help="On a correction: what confirmed statements already hold for this rule.")
    amount = fields.Monetary(currency_field="currency_id",
                             help="What this line pays: the payout, or on a correction the difference.")
    gates_passed = fields.Boolean("Gates passed", default=True)
    gate_result = fields.Char("Gates", help="Each gate with its figure, and why a failed one pays nothing.")
    penalty_note = fields.Char("Penalty detail")
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        statements = self.env["sales.target.incentive.statement"].browse(
            {vals.get("statement_id") for vals in vals_list if vals.get("statement_id")})
        self._check_draft(statements)
        return super().create(vals_list)

    def write(self, vals):
        self._check_draft(self.statement_id | self.env["sales.target.incentive.statement"].browse(
            vals.get("statement_id") or []))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_draft(self.statement_id)

    def _check_draft(self, statements):
        locked = statements.filtered(lambda s: s.state != "draft")
        if locked:
            raise UserError(self.env._(
                "Statement %(statement)s is confirmed: its lines cannot change. Compute the period again to add "
                "a correction.", statement=locked[0].display_name))
