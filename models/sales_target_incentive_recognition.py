"""Non-monetary recognitions of an incentive plan (handbook 6.3.1: honour, promotion, training),
each with its criterion, granted per salesperson (or team) and period when statements are
computed."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import scorecard

RECOGNITION_KINDS = [("honour", "Honour"), ("promotion", "Promotion nomination"), ("training", "Training reward")]


class SalesTargetIncentiveRecognition(models.Model):
    _name = "sales.target.incentive.recognition"
    _description = "Incentive Recognition"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("sales.target.incentive.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(RECOGNITION_KINDS, required=True, default="honour")
    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="restrict")
    criterion = fields.Selection([("attainment", "Minimum attainment"), ("rank", "Best ranked")], required=True,
                                 default="attainment")
    min_attainment = fields.Float("Minimum attainment (%)", default=100.0)
    top_rank = fields.Integer("Top", default=1, help="How many of the best attainments are recognised.")
    grant_ids = fields.One2many("sales.target.incentive.recognition.grant", "recognition_id", string="Granted")

    @api.constrains("criterion", "top_rank", "min_attainment")
    def _check_criterion(self):
        for recognition in self:
            if recognition.criterion == "rank" and recognition.top_rank < 1:
                raise ValidationError(self.env._("Top of recognition %(name)s: recognise at least one.",
                                                 name=recognition.name))

    def _grant(self, date_from, date_to, figures):
        """Grant each recognition of the period from ``figures`` (see ``_figures``), replacing
        the grants of the same period."""
        Grant = self.env["sales.target.incentive.recognition.grant"]
        Grant.search([("recognition_id", "in", self.ids), ("date_from", "=", date_from),
                      ("date_to", "=", date_to)]).unlink()
        vals_list = []
        for recognition in self:
            plan = recognition.plan_id
            by_team = plan.applies_to == "teams"
            ranked = sorted(((figure["attainment"], who, figure["team"].id) for (who, kpi), figure in figures.items()
                             if kpi == recognition.kpi_id.id), reverse=True)
            # competition ranks: ties share a rank (1, 2, 2, 4)
            ranks = scorecard.ranks([attainment for attainment, _who, _team in ranked])
            for rank, (attainment, who, team_id) in zip(ranks, ranked):
                if recognition.criterion == "attainment" and attainment < recognition.min_attainment:
                    continue
                if recognition.criterion == "rank" and rank > recognition.top_rank:
                    break
                vals_list.append({
                    "recognition_id": recognition.id, "date_from": date_from, "date_to": date_to,
                    "user_id": False if by_team else who, "team_id": who if by_team else team_id,
                    "attainment": attainment, "rank": rank,
                })
        return Grant.create(vals_list)


class SalesTargetIncentiveRecognitionGrant(models.Model):
    _name = "sales.target.incentive.recognition.grant"
    _description = "Granted Recognition"
    _order = "date_from desc, recognition_id, rank, id"

    recognition_id = fields.Many2one("sales.target.incentive.recognition", required=True, ondelete="cascade",
                                     index=True)
    plan_id = fields.Many2one(related="recognition_id.plan_id", store=True)
    company_id = fields.Many2one(related="recognition_id.company_id", store=True, index=True)
    kind = fields.Selection(related="recognition_id.kind", store=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index="btree_not_null")
    team_id = fields.Many2one("crm.team", string="Sales Team", index="btree_not_null")
    date_from = fields.Date("Start", required=True)
    date_to = fields.Date("End", required=True)
    attainment = fields.Float("Attainment (%)")
    rank = fields.Integer()
    is_confirmed = fields.Boolean(
        "Confirmed", compute="_compute_is_confirmed", search="_search_is_confirmed",
        help="A statement of the salesperson (or team) for the plan and period is confirmed or paid: "
             "until then the grant and its rank are a draft, shown to the managers only.")

    def _confirmed_ids(self, ids=None):
        """The ids of the grants (among ``ids``) whose assignee has a confirmed or paid statement
        of the plan and period."""
        self.env["sales.target.incentive.statement"].flush_model()
        self.flush_model()
        self.env.cr.execute(SQL("""
            SELECT g.id FROM %(grant)s g
             WHERE %(among)s AND EXISTS (
                   SELECT 1 FROM sales_target_incentive_statement s
                    WHERE s.plan_id = g.plan_id AND s.date_from = g.date_from AND s.date_to = g.date_to
                      AND s.state IN ('confirmed', 'paid')
                      AND (s.user_id = g.user_id OR (g.user_id IS NULL AND s.user_id IS NULL
                                                     AND s.team_id = g.team_id)))""",
            grant=SQL.identifier(self._table),
            among=SQL("g.id IN %s", tuple(ids)) if ids is not None else SQL("TRUE")))
        return {row[0] for row in self.env.cr.fetchall()}

    def _compute_is_confirmed(self):
        confirmed = self._confirmed_ids(self.ids) if self.ids else set()
        for grant in self:
            grant.is_confirmed = grant.id in confirmed

    def _search_is_confirmed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Confirmed: search it with = or != and True or False."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(self._confirmed_ids()))]
