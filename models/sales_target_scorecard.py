"""Scorecards (handbook 6.3.3, 8.1.2): per salesperson and period, several KPIs weighted to
100 %, each scored on the attainment of the salesperson's own target of that KPI over exactly
that period, capped; the overall score is the sum of the line scores.

The figures follow the targets: a refresh of the actuals or an adjustment rescores the lines
at once, and once the target's plan is closed the line reads the figures frozen at the close
(the last snapshot), whatever happens to the target afterwards.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import scorecard as arithmetic
from .sales_target_close import SalesTargetSnapshot  # noqa: F401  the snapshot model is defined first

SCORECARD_STATES = [("draft", "Draft"), ("published", "Published")]
TRAFFIC_LIGHTS = [("good", "Good"), ("warning", "Warning"), ("bad", "Bad")]
#: set while a parent writes its lines, so that their weights are checked once, on the parent
_PARENT_WRITE = "sales_target_scorecard_parent_write"


class SalesTargetWeightedLines(models.AbstractModel):
    """A record whose lines carry KPI weights that must sum to 100 % (scorecards, templates)."""
    _name = "sales.target.weighted.lines"
    _description = "Sales Target KPI Weights"

    def _check_weights(self):
        for record in self:
            weights = record.line_ids.mapped("weight")
            if not arithmetic.weights_ok(weights):
                total = "%g" % sum(weights)
                raise ValidationError(self.env._(
                    "Weight (%%) of %(record)s: the weights of the KPIs must sum to 100 %%, not %(total)s %%.",
                    record=record.display_name, total=total))

    @api.constrains("line_ids")
    def _constrains_weights(self):
        self._check_weights()

    @api.model_create_multi
    def create(self, vals_list):
        records = super(SalesTargetWeightedLines, self.with_context(**{_PARENT_WRITE: True})).create(vals_list)
        return records.with_env(self.env)

    def write(self, vals):
        return super(SalesTargetWeightedLines, self.with_context(**{_PARENT_WRITE: True})).write(vals)


class SalesTargetWeightedLine(models.AbstractModel):
    """A line of a KPI weight: weight and cap checked, and its parent's total when the line is
    written on its own rather than through its parent."""
    _name = "sales.target.weighted.line"
    _description = "Sales Target KPI Weight"

    kpi_id = fields.Many2one("sales.target.kpi", string="KPI", required=True, ondelete="restrict")
    weight = fields.Float("Weight (%)", required=True, default=0.0, help="Share of the KPI in the overall score.")
    cap = fields.Float("Cap (%)", required=True, default=lambda self: self.env.company.sales_target_score_cap,
                       help="The attainment above this percentage does not score more.")

    def _parent(self):
        raise NotImplementedError

    @api.constrains("weight", "cap")
    def _check_weight_cap(self):
        for line in self:
            if not 0.0 < line.weight <= 100.0:
                raise ValidationError(self.env._(
                    "Weight (%%) of KPI %(kpi)s: it must be above 0 and at most 100 %%.", kpi=line.kpi_id.name))
            if line.cap < 100.0:
                raise ValidationError(self.env._(
                    "Cap (%%) of KPI %(kpi)s: it must be at least 100 %%.", kpi=line.kpi_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get(_PARENT_WRITE):
            lines._parent()._check_weights()
        return lines

    def write(self, vals):
        parents = self._parent()
        res = super().write(vals)
        if not self.env.context.get(_PARENT_WRITE) and {"weight", "kpi_id"} & set(vals):
            (parents | self._parent())._check_weights()
        return res


class SalesTargetScorecard(models.Model):
    _name = "sales.target.scorecard"
    _description = "Salesperson Scorecard"
    _inherit = ["sales.target.weighted.lines", "mail.thread"]
    _order = "date_from desc, score desc, id"
    _check_company_auto = True

    user_id = fields.Many2one("res.users", string="Salesperson", required=True, index=True,
                              domain="[('share', '=', False)]", tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_team_id", store=True, readonly=False, index=True,
        check_company=True, help="The team the salesperson is ranked in.")
    date_from = fields.Date("Start", required=True, tracking=True)
    date_to = fields.Date("End", required=True, tracking=True)
    state = fields.Selection(SCORECARD_STATES, required=True, default="draft", tracking=True, copy=False)
    template_id = fields.Many2one("sales.target.scorecard.template", string="Template", check_company=True)
    line_ids = fields.One2many("sales.target.scorecard.line", "scorecard_id", string="KPIs", copy=True)
    score = fields.Float(compute="_compute_score", store=True, aggregator="avg",
                         help="Sum of the scores of the KPIs: 100 when every KPI is exactly on target.")
    rank = fields.Integer(compute="_compute_rank",
                          help="Rank of the score among the scorecards of the same team and period (1 is the best).")
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        ("user_period_uniq", "unique(user_id, company_id, date_from, date_to)",
         "A salesperson has one scorecard per period."),
    ]

    @api.depends("user_id", "date_from", "date_to")
    def _compute_display_name(self):
        for card in self:
            card.display_name = self.env._(
                "%(user)s, %(start)s – %(end)s", user=card.user_id.name or "",
                start=card.date_from or "", end=card.date_to or "")

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for card in self:
            teams = card.user_id.crm_team_member_ids.crm_team_id.filtered(
                lambda t, card=card: t.company_id in (card.company_id, self.env["res.company"]))
            if card.team_id not in teams:
                card.team_id = teams[:1]

    @api.depends("line_ids.score")
    def _compute_score(self):
        for card in self:
            card.score = sum(card.line_ids.mapped("score"))

    def _compute_rank(self):
        keys = {(c.company_id.id, c.team_id.id, c.date_from, c.date_to) for c in self}
        # sudo: a rank is a position among the team's scorecards of the period, which a
        # salesperson may not read; only their scores are read, and only the rank is shown
        Card = self.sudo()
        others = Card.search([("company_id", "in", [k[0] for k in keys]), ("team_id", "in", [k[1] for k in keys]),
                              ("date_from", "in", [k[2] for k in keys]), ("date_to", "in", [k[3] for k in keys])])
        ranks = {}
        for key in keys:
            group = others.filtered(lambda c, key=key: (c.company_id.id, c.team_id.id, c.date_from, c.date_to) == key)
            ranks.update(zip(group.ids, arithmetic.ranks(group.mapped("score"))))
        for card in self:
            card.rank = ranks.get(card.id, 0) if card.team_id else 0

    def _compute_color(self):
        colors = {"good": 10, "warning": 2, "bad": 1}
        for card in self:
            lights = set(card.line_ids.mapped("traffic_light"))
            worst = next((light for light in ("bad", "warning", "good") if light in lights), False)
            card.color = colors.get(worst, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for card in self:
            if card.date_from > card.date_to:
                raise ValidationError(self.env._(
                    "End of scorecard %(card)s: it must not be before its start.", card=card.display_name))

    def action_publish(self):
        self.write({"state": "published"})

    def action_reset_draft(self):
        self.write({"state": "draft"})


class SalesTargetScorecardLine(models.Model):
    _name = "sales.target.scorecard.line"
    _description = "Salesperson Scorecard KPI"
    _inherit = ["sales.target.weighted.line"]
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("sales.target.scorecard", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="scorecard_id.user_id", store=True, string="Salesperson")
    state = fields.Selection(related="scorecard_id.state", store=True)
    target_id = fields.Many2one(
        "sales.target", string="Sales Target", compute="_compute_target_id", store=True, readonly=False,
        index="btree_not_null", ondelete="set null",
        help="The salesperson's own target of this KPI over exactly the scorecard's period, in a published "
             "or closed plan (a closed plan first).")
    frozen = fields.Boolean("From the close", compute="_compute_figures", store=True,
                            help="The plan of the target is closed: the figures are those frozen at its close.")
    target_value = fields.Float("Target", compute="_compute_figures", store=True)
    actual_value = fields.Float("Actual", compute="_compute_figures", store=True)
    attainment = fields.Float("Attainment (%)", compute="_compute_figures", store=True, aggregator="avg")
    score = fields.Float(compute="_compute_score", store=True,
                         help="The attainment, capped, times the weight of the KPI.")
    traffic_light = fields.Selection(TRAFFIC_LIGHTS, string="Light", compute="_compute_score", store=True)

    def _parent(self):
        return self.scorecard_id

    @api.depends("kpi_id", "scorecard_id.user_id", "scorecard_id.company_id", "scorecard_id.date_from",
                 "scorecard_id.date_to")
    def _compute_target_id(self):
        cards = self.scorecard_id
        # sudo: the salesperson's own target decides the score whoever looks it up (a leader
        # may not read a member's target of another team); only its id is kept here
        targets = self.env["sales.target"].sudo().search([
            ("user_id", "in", cards.user_id.ids), ("company_id", "in", cards.company_id.ids),
            ("kpi_id", "in", self.kpi_id.ids), ("date_from", "in", cards.mapped("date_from")),
            ("date_to", "in", cards.mapped("date_to")), ("plan_id.state", "in", ("published", "closed")),
            # the salesperson's own target: no product, region or customer dimension
            ("product_categ_id", "=", False), ("product_id", "=", False), ("region_id", "=", False),
            ("customer_type", "=", False), ("partner_id", "=", False),
        ])
        found = {}
        # a closed plan first (its figures are final), then the latest plan
        for target in targets.sorted(lambda t: (t.plan_id.state == "closed", t.plan_id.id, t.id)):
            key = (target.user_id.id, target.company_id.id, target.kpi_id.id, target.date_from, target.date_to)
            found[key] = target.id
        for line in self:
            card = line.scorecard_id
            line.target_id = found.get((card.user_id.id, card.company_id.id, line.kpi_id.id, card.date_from,
                                        card.date_to), False)

    @api.depends("target_id.attainment", "target_id.target_value", "target_id.actual_value",
                 "target_id.plan_id.state")
    def _compute_figures(self):
        # sudo: as above, the figures of the salesperson's own target, read to score it
        targets = self.target_id.sudo()
        closed = targets.filtered(lambda t: t.plan_id.state == "closed")
        frozen = {}
        if closed:
            # sudo: the frozen figures of those same targets (snapshots follow their managers' rules)
            for snap in self.env["sales.target.snapshot"].sudo().search(
                    [("target_id", "in", closed.ids)], order="version desc, id desc"):
                frozen.setdefault(snap.target_id.id, snap)
        live = {target.id: target for target in targets}  # already read as superuser, above
        for line in self:
            source = frozen.get(line.target_id.id) or live.get(line.target_id.id) or line.target_id
            line.frozen = line.target_id.id in frozen
            line.target_value = source.target_value
            line.actual_value = source.actual_value
            line.attainment = source.attainment

    @api.depends("attainment", "weight", "cap", "target_id", "kpi_id.threshold_good", "kpi_id.threshold_bad")
    def _compute_score(self):
        for line in self:
            line.score = arithmetic.line_score(line.attainment, line.weight, line.cap)
            line.traffic_light = line.kpi_id._traffic_light(line.attainment) if line.target_id else False

    def _rescore(self):
        """Score again the lines of ``self`` from their targets (after figures were written in
        SQL, which the ORM does not see)."""
        self.modified(["target_id"])


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _write_figures(self, ids, values, now):
        res = super()._write_figures(ids, values, now)
        # only the targets whose figures changed move their scorecard lines
        self.browse(ids)._rescore_scorecards()
        return res

    def _rescore_scorecards(self):
        if self:
            # sudo: the scores follow the figures whoever measured them
            self.env["sales.target.scorecard.line"].sudo().search([("target_id", "in", self.ids)])._rescore()


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    def _take_snapshots(self):
        res = super()._take_snapshots()
        # the lines of the closed plans' targets now read the snapshot
        self.env["sales.target"].search([("plan_id", "in", self.ids)])._rescore_scorecards()
        return res
