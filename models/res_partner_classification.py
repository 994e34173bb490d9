"""Classification of customers (handbook 7.3): type, value tier, region and loyalty signals.

Stored per company on the commercial partners (company-dependent fields: a partner shared by
two companies is a customer of each in its own way), with the day it was computed. The rules
are those of ``tools.customer``, the same that decide the customer type of the measures; the
history read is the measures' own (``sales.target._customer_history``) and the revenue is the
measure ``ordered_revenue``.

Computed in bulk, per company: four queries (first orders and leads, order statistics,
revenue of the last 12 months, places of the partners), then two UPDATEs of ``res_partner``,
whatever the number of partners.
"""

import json
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import customer
from . import measures

CUSTOMER_CLASSES = [
    (customer.NEW, "New"), (customer.EXISTING, "Existing"), (customer.POTENTIAL, "Potential"),
    (customer.LAPSED, "Lapsed"),
]
VALUE_TIERS = [("a", "A"), ("b", "B"), ("c", "C")]
RETENTION = [("retained", "Retained"), ("not_retained", "Not reordered yet")]
MANAGER_GROUP = "crm_sales_target.crm_sales_target_group_manager"
#: field -> (column type in jsonb_to_recordset, key of the computed values)
CLASS_COLUMNS = {
    "sales_target_customer_type": "text",
    "sales_target_value_tier": "text",
    "sales_target_region_id": "int",
    "sales_target_revenue_12m": "float8",
    "sales_target_order_count": "int",
    "sales_target_repeat_rate": "float8",
    "sales_target_last_order": "date",
    "sales_target_months_since_order": "int",
    "sales_target_retention": "text",
    "sales_target_classified_on": "date",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_target_customer_type = fields.Selection(
        CUSTOMER_CLASSES, string="Customer Type", company_dependent=True, readonly=True,
        help="New: first confirmed order this year; existing: ordered before this year; potential: in the "
             "pipeline without orders; lapsed: no orders for the months set in the settings.")
    sales_target_value_tier = fields.Selection(
        VALUE_TIERS, string="Value Tier", company_dependent=True, readonly=True,
        help="A: the largest customers making the first share of the revenue of the last 12 months; B: the "
             "next share; C: the rest (shares in the settings).")
    sales_target_region_id = fields.Many2one(
        "sales.target.region", string="Sales Region", company_dependent=True, readonly=True,
        help="The region of the customer's state, else of its country.")
    sales_target_revenue_12m = fields.Float(
        string="Revenue, last 12 months", company_dependent=True, readonly=True,
        help="Confirmed orders, untaxed, in the company's currency.")
    sales_target_order_count = fields.Integer(
        string="Orders, last 12 months", company_dependent=True, readonly=True)
    sales_target_repeat_rate = fields.Float(
        string="Repeat-order rate (%)", company_dependent=True, readonly=True,
        help="Of the orders of the last 12 months, the share placed after the first of them: "
             "(orders - 1) / orders.")
    sales_target_last_order = fields.Date(string="Last order", company_dependent=True, readonly=True)
    sales_target_months_since_order = fields.Integer(
        string="Months since last order", company_dependent=True, readonly=True)
    sales_target_retention = fields.Selection(
        RETENTION, string="Last year's customer", company_dependent=True, readonly=True,
        help="For a customer who ordered last year: whether it has ordered again this year.")
    sales_target_classified_on = fields.Date(string="Classified on", company_dependent=True, readonly=True)

    # ------------------------------------------------------------------ classification
    @api.model
    def _cron_sales_target_classify(self):
        """Daily: classify the customers of every company."""
        # sudo: the classification covers every company, whichever companies the cron's user
        # belongs to; it writes only derived figures
        self.sudo()._sales_target_classify(self.env["res.company"].sudo().search([]))

    def action_sales_target_classify(self):
        """Button: classify the customers of the current company now."""
        self._sales_target_classify(self.env.company)

    @api.model
    def _sales_target_classify(self, companies, today=None):
        """Classify the commercial partners with orders or leads in each of ``companies``, as
        of ``today`` (default: today in each company's time zone), and store the company's
        retention and repeat-order rates. Partners classified before that no longer have
        any history lose their classification."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Classifying customers is reserved to sales target managers."))
        self.env.flush_all()
        for company in companies:
            day = today or company._sales_target_today()
            rows, figures = self._sales_target_classification_rows(company, day)
            self._sales_target_store_classes(company, rows)
            # the company's figures are written by the classification, not by the settings' users
            company.sudo().write({"sales_target_classified_on": day, **figures})
        self.invalidate_model(list(CLASS_COLUMNS))

    @api.model
    def _sales_target_classification_rows(self, company, today):
        """``(rows, company figures)``: one dict of ``CLASS_COLUMNS`` values per classified
        partner (with its ``id``), and the company's retention and repeat-order rates."""
        tz = company.sales_target_tz or "UTC"
        history = self.env["sales.target"]._customer_history([company.id])
        since = customer.window_start(today)
        stats = self._sales_target_order_stats(company, today, since)
        revenue = defaultdict(float)
        query, _union = measures.get("ordered_revenue").cube_query(
            self.env, [company.id], since, today, ["partner_id"], tz=tz)
        self.env.cr.execute(query)
        for _period, _company, partner, value in self.env.cr.fetchall():
            revenue[partner] += float(value or 0)
        tiers = customer.value_tiers(revenue, company.sales_target_tier_a_share, company.sales_target_tier_b_share)

        partners = {partner for (_c, partner) in history} | set(stats)
        places = {}
        if partners:
            self.env.cr.execute(SQL("SELECT id, state_id, country_id FROM res_partner WHERE id IN %s",
                                    tuple(partners)))
            places = {pid: (state, country) for pid, state, country in self.env.cr.fetchall()}
        region_of = self.env["sales.target.region"]._get_region_resolver([company.id])
        rows, last_year, this_year, counts = [], set(), set(), []
        for partner in sorted(partners):
            first_order, first_lead = history.get((company.id, partner), (None, None))
            if first_order and first_order > today:
                first_order = None  # dated in the future: not history yet
            last_order, count, in_last_year, in_this_year = stats.get(partner, (None, 0, False, False))
            state, country = places.get(partner, (None, None))
            if in_last_year:
                last_year.add(partner)
            if in_this_year:
                this_year.add(partner)
            counts.append(count)
            rows.append({
                "id": partner,
                "sales_target_customer_type": customer.classify(
                    today, first_order, last_order, first_lead, company.sales_target_lapse_months),
                "sales_target_value_tier": tiers.get(partner),
                "sales_target_region_id": region_of(company.id, state, country),
                "sales_target_revenue_12m": round(revenue.get(partner, 0.0), 2),
                "sales_target_order_count": count,
                "sales_target_repeat_rate": customer.repeat_rate([count]),
                "sales_target_last_order": last_order and last_order.isoformat(),
                "sales_target_months_since_order": customer.months_between(last_order, today) if last_order else None,
                "sales_target_retention": (("retained" if in_this_year else "not_retained")
                                           if in_last_year else None),
                "sales_target_classified_on": today.isoformat(),
            })
        figures = {
            "sales_target_retention_rate": customer.retention_rate(last_year, this_year) or 0.0,
            "sales_target_repeat_rate": customer.repeat_rate(counts) or 0.0,
        }
        return rows, figures

    @api.model
    def _sales_target_order_stats(self, company, today, since):
        """commercial partner -> (last order, orders since ``since``, ordered last year,
        ordered this year), local dates of the confirmed orders up to ``today``."""
        tz = company.sales_target_tz or "UTC"
        _start, end = company._sales_target_utc_bounds(today, today)
        local = SQL("((so.date_order AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", tz)
        this_year = date(today.year, 1, 1)
        last_year = date(today.year - 1, 1, 1)
        self.env.cr.execute(SQL("""
            SELECT p.commercial_partner_id, MAX(%(local)s),
                   COUNT(*) FILTER (WHERE %(local)s >= %(since)s),
                   BOOL_OR(%(local)s >= %(last_year)s AND %(local)s < %(this_year)s),
                   BOOL_OR(%(local)s >= %(this_year)s)
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s AND so.date_order < %(end)s
          GROUP BY 1""", local=local, since=since, last_year=last_year, this_year=this_year,
                                company=company.id, end=end))
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _sales_target_store_classes(self, company, rows):
        """Write the classification of ``company`` in two UPDATEs: drop it from the partners
        no longer classified, set it on ``rows``."""
        key = str(company.id)
        ids = [row["id"] for row in rows]
        self.env.cr.execute(SQL(
            "UPDATE res_partner SET %s WHERE sales_target_classified_on ? %s AND NOT (id = ANY(%s))",
            SQL(", ").join(SQL("%s = %s - %s", SQL.identifier(f), SQL.identifier(f), key) for f in CLASS_COLUMNS),
            key, ids))
        if not rows:
            return
        self.env.cr.execute(SQL(
            "UPDATE res_partner p SET %s FROM jsonb_to_recordset(%s::jsonb) AS v(id int, %s) WHERE p.id = v.id",
            SQL(", ").join(SQL("%s = jsonb_strip_nulls(COALESCE(p.%s, '{}'::jsonb) || jsonb_build_object(%s, v.%s))",
                               SQL.identifier(f), SQL.identifier(f), key, SQL.identifier(f))
                           for f in CLASS_COLUMNS),
            json.dumps(rows),
            SQL(", ").join(SQL("%s %s", SQL.identifier(f), SQL(kind)) for f, kind in CLASS_COLUMNS.items())))
