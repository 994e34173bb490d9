"""Sales figures of the CRM over the last twelve months, per salesperson, team and company,
read in a handful of grouped queries: the open pipeline, opportunities won and lost, the
sales cycle, leads and their conversion, meetings held. The feasibility checks and the
reverse funnel both read them."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

MEETING_ACTIVITY = "mail.mail_activity_data_meeting"


def _scopes(company, team, user):
    """The keys a row of ``company``, ``team`` and ``user`` adds up into."""
    keys = [("company", company)]
    if team:
        keys.append(("team", team))
    if user:
        keys.append(("user", company, user))
    return keys


class SalesTarget(models.Model):
    _inherit = "sales.target"

    @api.model
    def _crm_stats(self, company_ids, today=None):
        """``{scope: figures}`` of the CRM of ``company_ids``, ``scope`` being
        ``("company", id)``, ``("team", id)`` or ``("user", company id, id)``; ``figures``:
        ``open`` and ``weighted`` (open opportunities' expected revenue, and times their
        probability), and over the twelve months before ``today``: ``won``, ``won_amount``,
        ``won_days`` (days from creation to closing, summed), ``lost``, ``created`` (leads
        and opportunities created) and ``converted`` (those of them now opportunities).
        Four grouped queries; lost opportunities are archived, so archived records count."""
        today = today or fields.Date.context_today(self)
        since = fields.Datetime.to_datetime(today - relativedelta(years=1))
        # sudo: counts and sums only, of the given companies; they must be the same whoever
        # asks (a salesperson's own-documents rule would hide their team's leads, and the
        # cron computes as superuser), and no lead's content leaves this method
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        stats = defaultdict(lambda: defaultdict(float))
        base = [("company_id", "in", list(company_ids))]
        groupby = ["company_id", "team_id", "user_id"]

        def add(domain, aggregates, names, extra_groupby=()):
            for row in Lead._read_group(base + domain, groupby + list(extra_groupby), aggregates):
                company, team, user = row[0], row[1], row[2]
                extra = row[3:3 + len(extra_groupby)]
                values = row[3 + len(extra_groupby):]
                for key in _scopes(company.id, team.id, user.id):
                    for name, value in zip(names(*extra), values):
                        if name:
                            stats[key][name] += value or 0.0

        add([("type", "=", "opportunity"), ("active", "=", True), ("stage_id.is_won", "=", False),
             ("probability", "<", 100)], ["expected_revenue:sum", "prorated_revenue:sum"],
            lambda: ("open", "weighted"))
        add([("type", "=", "opportunity"), ("active", "=", True), ("stage_id.is_won", "=", True),
             ("date_closed", ">=", since)], ["__count", "expected_revenue:sum", "day_close:sum"],
            lambda: ("won", "won_amount", "won_days"))
        add([("type", "=", "opportunity"), ("active", "=", False), ("probability", "=", 0),
             ("date_closed", ">=", since)], ["__count"], lambda: ("lost",))
        add([("create_date", ">=", since)], ["__count"],
            lambda kind: ("converted" if kind == "opportunity" else None,), ["type"])
        add([("create_date", ">=", since)], ["__count"], lambda: ("created",))
        return stats

    @api.model
    def _meetings_held(self, users, today=None):
        """``{user id: meetings}`` the ``users`` marked done on leads and opportunities over
        the twelve months before ``today`` (done activities of a meeting type leave a message)."""
        today = today or fields.Date.context_today(self)
        meeting_types = self.env["mail.activity.type"].search([("category", "=", "meeting")])
        default_type = self.env.ref(MEETING_ACTIVITY, raise_if_not_found=False)
        meeting_types |= default_type or meeting_types.browse()
        if not users or not meeting_types:
            return {}
        by_partner = {user.partner_id.id: user.id for user in users}
        # a count of messages per author, nothing of their content: the messages of leads the
        # asking user may not read still count for the salesperson whose rates these are
        rows = self.env["mail.message"].sudo()._read_group(
            [("model", "=", "crm.lead"), ("mail_activity_type_id", "in", meeting_types.ids),
             ("author_id", "in", list(by_partner)),
             ("date", ">=", fields.Datetime.to_datetime(today - relativedelta(years=1)))],
            ["author_id"], ["__count"])
        return {by_partner[author.id]: count for author, count in rows}
