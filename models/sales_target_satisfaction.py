"""Customer satisfaction records (handbook 7.2 and 9): CSAT and NPS answers per customer,
salesperson and day, entered by hand or captured from Odoo's ratings and surveys.

The figures (``tools.satisfaction``) become measures of the engine as ratio and non-additive
measures; their SQL sources are prepared below (``SATISFACTION_SQL``), each stating its
documents, date and dimensions as the measures of ``models/measures.py`` do.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import satisfaction

KINDS = [("csat", "CSAT (1-5)"), ("nps", "NPS (0-10)")]
RANGES = {"csat": satisfaction.CSAT_RANGE, "nps": satisfaction.NPS_RANGE}
CHANNELS = [("phone", "Phone"), ("email", "Email"), ("visit", "Visit"), ("portal", "Portal"),
            ("survey", "Survey"), ("other", "Other")]
SOURCES = [("entered", "Entered"), ("rating", "Rating"), ("survey", "Survey")]
#: what the customer said and about whom: fixed on ratings and surveys (the customer's words)
ANSWER_FIELDS = ("score", "kind", "partner_id", "user_id", "date")
BANDS = [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor"),
         ("satisfied", "Satisfied"), ("neutral", "Neutral"), ("dissatisfied", "Dissatisfied")]
#: documents whose ratings are captured: model -> its customer, salesperson and team fields
RATED_MODELS = {"sale.order": ("partner_id", "user_id", "team_id"), "crm.lead": ("partner_id", "user_id", "team_id")}



def customer_salesperson(partner):
    """The salesperson of ``partner``'s commercial entity (none when it has none)."""
    return partner.commercial_partner_id.user_id


def salesperson_team(user, company):
    """The sales team of ``user`` in ``company``: their main team when it is one of their teams
    of that company (or of no company), else the first of those (none without any)."""
    teams = user.crm_team_ids.filtered(lambda t: t.company_id in (company, t.browse()))
    return user.sale_team_id if user.sale_team_id in teams else teams[:1]

class SalesTargetSatisfaction(models.Model):
    _name = "sales.target.satisfaction"
    _description = "Customer Satisfaction Record"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True,
                                 domain="[('is_company', '=', True)]")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", index=True, compute="_compute_user_id", store=True, readonly=False,
        precompute=True, domain="[('share', '=', False)]", help="By default the customer's salesperson.")
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, compute="_compute_team_id", store=True,
                              readonly=False, precompute=True, check_company=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    kind = fields.Selection(KINDS, required=True, default="csat")
    score = fields.Integer(required=True, aggregator="avg", help="CSAT: 1 to 5; NPS: 0 to 10.")
    band = fields.Selection(BANDS, compute="_compute_band", store=True,
                            help="NPS: promoter (9-10), passive (7-8) or detractor (0-6); CSAT: satisfied (4-5), "
                                 "neutral (3) or dissatisfied (1-2).")
    channel = fields.Selection(CHANNELS, default="phone")
    comment = fields.Text()
    source = fields.Selection(SOURCES, required=True, default="entered", readonly=True)
    rating_id = fields.Many2one("rating.rating", string="Rating", readonly=True, ondelete="set null",
                                index="btree_not_null")
    source_ref = fields.Char("Survey answer", readonly=True, index="btree_not_null",
                             help="The survey answer this record was read from.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    _sql_constraints = [
        ("rating_unique", "UNIQUE(rating_id)", "A rating gives one satisfaction record only."),
        ("source_ref_unique", "UNIQUE(source_ref)", "A survey answer gives one satisfaction record only."),
    ]

    @api.depends("partner_id")
    def _compute_user_id(self):
        for record in self:
            record.user_id = customer_salesperson(record.partner_id) or record.user_id

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for record in self:
            record.team_id = salesperson_team(record.user_id, record.company_id)

    @api.depends("kind", "score")
    def _compute_band(self):
        for record in self:
            if record.kind == "nps":
                record.band = satisfaction.nps_band(record.score)
            else:
                record.band = "satisfied" if record.score >= 4 else ("neutral" if record.score == 3 else "dissatisfied")

    @api.constrains("kind", "score")
    def _check_score(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for record in self:
            low, high = RANGES[record.kind]
            if not low <= record.score <= high:
                raise ValidationError(self.env._(
                    "Score of %(partner)s: a %(kind)s score must be between %(low)s and %(high)s, not %(score)s.",
                    partner=record.partner_id.display_name, kind=labels[record.kind], low=low, high=high,
                    score=record.score))

    @api.model_create_multi
    def create(self, vals_list):
        # one read of the customers' commercial entities for the whole batch
        partners = self.env["res.partner"].browse([v["partner_id"] for v in vals_list if v.get("partner_id")])
        partners.fetch(["commercial_partner_id"])
        for vals in vals_list:
            if vals.get("source", "entered") != "entered" and not self.env.su:
                raise UserError(self.env._("Source of a satisfaction record: ratings and surveys are read from "
                                           "the customer's answers, not entered."))
            self._commercial_partner(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_answer_fields(vals)
        self._commercial_partner(vals)
        return super().write(vals)

    def _check_answer_fields(self, vals):
        """Ratings and surveys are the customer's own words: their score, customer, salesperson
        and date never change by hand. A salesperson changes those of their own entered records
        only; a team leader those of any entered record they may write."""
        changed = [fname for fname in ANSWER_FIELDS if fname in vals]
        if not changed or self.env.su:
            return
        field = self._fields[changed[0]]
        label = field._description_string(self.env)
        if any(record.source != "entered" for record in self):
            raise UserError(self.env._(
                "%(field)s of a satisfaction record: a customer's rating or survey answer cannot be changed.",
                field=label))
        leader = self.env.user.has_group("crm_sales_target.crm_sales_target_group_team_leader")
        if not leader and any(record.user_id != self.env.user for record in self):
            raise UserError(self.env._(
                "%(field)s of a satisfaction record: a salesperson changes only the records assigned to them.",
                field=label))

    def _commercial_partner(self, vals):
        # the record belongs to the customer (commercial entity), not to the contact concerned
        if vals.get("partner_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id

    # ------------------------------------------------------------------ capture
    @api.model
    def _capture_ratings(self, ratings):
        """One record per submitted rating of a sale order or a lead (1 to 5, as CSAT), or its
        score updated when the customer rates again."""
        ratings = ratings.filtered(lambda r: r.consumed and r.rating >= 1 and r.res_model in RATED_MODELS)
        if not ratings:
            return self
        existing = self.with_context(active_test=False).search([("rating_id", "in", ratings.ids)])
        by_rating = {record.rating_id.id: record for record in existing}
        vals_list = []
        for rating in ratings:
            score = min(5, max(1, round(rating.rating)))
            if rating.id in by_rating:
                if by_rating[rating.id].score != score:
                    by_rating[rating.id].write({"score": score, "comment": rating.feedback or False})
                continue
            document = self.env[rating.res_model].browse(rating.res_id).exists()
            partner_field, user_field, team_field = RATED_MODELS[rating.res_model]
            partner = document[partner_field] if document else rating.partner_id
            if not partner:
                continue
            vals_list.append({
                "partner_id": partner.id, "kind": "csat", "score": score, "channel": "portal",
                "source": "rating", "rating_id": rating.id, "comment": rating.feedback or False,
                "date": (rating.write_date or fields.Datetime.now()).date(),
                "company_id": (document.company_id or self.env.company).id if document else self.env.company.id,
                **({"user_id": document[user_field].id, "team_id": document[team_field].id} if document else {}),
            })
        return existing | self.create(vals_list)

    @api.model
    def _capture_surveys(self):
        """Soft hook on ``survey`` (not a dependency): when it is installed, one record per
        answered scale question of a finished survey with a known customer: 0-10 scales as
        NPS, 1-5 scales as CSAT. Answers already read are skipped. Returns the records made."""
        if "survey.user_input.line" not in self.env:
            return self
        lines = self.env["survey.user_input.line"].search([
            ("answer_type", "=", "scale"), ("user_input_id.state", "=", "done"),
            ("user_input_id.partner_id", "!=", False), ("skipped", "=", False)])
        refs = {f"survey.user_input.line,{line.id}": line for line in lines}
        done = set(self.search([("source_ref", "in", list(refs))]).mapped("source_ref"))
        vals_list = []
        for ref, line in refs.items():
            question = line.question_id
            kind = {(0, 10): "nps", (1, 5): "csat"}.get((question.scale_min, question.scale_max))
            if ref in done or not kind:
                continue
            answered = line.user_input_id.end_datetime or line.create_date
            vals_list.append({
                "partner_id": line.user_input_id.partner_id.id, "kind": kind, "score": line.value_scale,
                "channel": "survey", "source": "survey", "source_ref": ref, "date": answered.date(),
                "company_id": self._answer_company(line.user_input_id).id,
            })
        return self.create(vals_list)

    @api.model
    def _answer_company(self, user_input):
        """The company a survey answer belongs to: its customer's, else that of the customer's
        salesperson, else the survey's (when surveys have one), else the current company."""
        partner = user_input.partner_id
        survey = user_input.survey_id
        return (partner.company_id or customer_salesperson(partner).company_id
                or (survey.company_id if "company_id" in survey._fields else survey.browse())
                or self.env.company)

    @api.model
    def _cron_capture_surveys(self):
        self._capture_surveys()


# ---------------------------------------------------------------------- SQL sources
# The satisfaction figures as the engine will measure them (ratio measures: numerator and
# denominator summed per target, then divided; the median: non-additive, per exact period).
# Each is ``(from, where, date, company, columns, value[, denominator])``.
#
# ==================  ==========================  ============  ====================  ===========
# figure              documents                   date          salesperson / team    customer
# ==================  ==========================  ============  ====================  ===========
# avg_csat            CSAT records: SUM(score) /  record date   record's              record's
#                     COUNT
# nps                 NPS records: 100 ×          record date   record's              record's
#                     (promoters - detractors)
#                     / answers
# complaint_count     complaints (not cancelled)  received on   complaint's           complaint's
# complaint_rate      100 × complaints /          received on / complaint's /         as above
#                     confirmed orders            order date    order's
# resolution_median   resolved complaints: the    resolved on   complaint's           complaint's
#                     median of the days taken
# ==================  ==========================  ============  ====================  ===========

SATISFACTION_COLUMNS = {
    "user_id": SQL("s.user_id"), "team_id": SQL("s.team_id"), "partner_id": SQL("s.partner_id"),
    "state_id": SQL("cp.state_id"), "country_id": SQL("cp.country_id"),
}
COMPLAINT_COLUMNS = {
    "user_id": SQL("c.user_id"), "team_id": SQL("c.team_id"), "partner_id": SQL("c.partner_id"),
    "state_id": SQL("cp.state_id"), "country_id": SQL("cp.country_id"),
}


def satisfaction_source(kind):
    """``(from, where)`` of the satisfaction records of ``kind`` (``csat`` or ``nps``)."""
    return (SQL("sales_target_satisfaction s JOIN res_partner cp ON cp.id = s.partner_id"),
            SQL("s.kind = %s", kind))


def csat_value():
    """Average CSAT, numerator: the sum of the scores (denominator: ``count_value``)."""
    return SQL("s.score")


def count_value():
    """The denominator of the averages: one per record."""
    return SQL("1")


def nps_value():
    """NPS, numerator: 100 per promoter, -100 per detractor (denominator: ``count_value``)."""
    return SQL("CASE WHEN s.score >= %s THEN 100 WHEN s.score <= %s THEN -100 ELSE 0 END",
               satisfaction.PROMOTER_MIN, satisfaction.DETRACTOR_MAX)


def complaint_source():
    """``(from, where)`` of the complaints that count: all but the cancelled ones."""
    return (SQL("sales_target_complaint c JOIN res_partner cp ON cp.id = c.partner_id"),
            SQL("c.state != 'cancelled'"))


def complaint_rate_value():
    """Complaint rate per 100 orders, numerator: 100 per complaint (dated ``c.date``); the
    denominator is the count of confirmed orders (``order_count_source``), by order date."""
    return SQL("100")


def order_count_source():
    """``(from, where, date, value)`` of the denominator of the complaint rate: confirmed
    orders, by the order's salesperson, team and commercial partner."""
    return (SQL("sale_order so JOIN res_partner p ON p.id = so.partner_id "
                "JOIN res_partner cp ON cp.id = p.commercial_partner_id"),
            SQL("so.state = 'sale'"), SQL("so.date_order"), SQL("1"))


def resolution_median_query(where):
    """Median days to resolve of the resolved complaints matching ``where`` (an SQL
    condition on ``c`` and ``cp``), the non-additive figure measured per exact period."""
    from_sql, counted = complaint_source()
    return SQL("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.resolution_days) FROM %s "
               "WHERE %s AND c.state = 'resolved' AND %s", from_sql, counted, where)
