"""The team card names its current target: "Ordered revenue: 97 % of ¥1.2M"."""

from odoo import api, fields, models
from odoo.tools.misc import formatLang, get_lang

from ..tools import dashboard


class CrmTeam(models.Model):
    _inherit = "crm.team"

    current_target_summary = fields.Char(
        "Current target", compute="_compute_current_target_summary",
        help="KPI, attainment and amount of the team's own current target (without salesperson), "
             "the first by KPI order; amounts in the company's currency.",
        groups="crm_sales_target.crm_sales_target_group_user")

    @api.depends_context("lang", "uid")
    def _compute_current_target_summary(self):
        cjk = get_lang(self.env).code.split("_")[0] in ("zh", "ja")
        decimal_point = get_lang(self.env).decimal_point
        for team in self:
            own = team.current_sales_target_ids.filtered(lambda t: not t.user_id).sorted(
                lambda t: (t.kpi_id.sequence, t.kpi_id.id, t.id))[:1]
            if not own:
                team.current_target_summary = False
                continue
            amount = dashboard.compact(own.target_value, cjk=cjk, decimal_point=decimal_point)
            if own.currency_id:
                symbol = own.currency_id.symbol
                amount = f"{amount} {symbol}" if own.currency_id.position == "after" else f"{symbol}{amount}"
            elif own.unit == "percent":
                amount = f"{formatLang(self.env, own.target_value, digits=1)} %"
            team.current_target_summary = self.env._(
                "%(kpi)s: %(attainment)s %% of %(amount)s", kpi=own.kpi_id.display_name,
                attainment=formatLang(self.env, own.attainment, digits=0), amount=amount)
