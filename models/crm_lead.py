from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    _inherit = "crm.lead"

    sales_target_gap_share = fields.Float(
        "Share of the owner's gap (%)", compute="_compute_sales_target_gap_share", store=True, readonly=True,
        aggregator="max",
        help="Expected revenue x probability of this open opportunity in percent of the remaining gap of its "
             "salesperson's current revenue target (their leaf target of ordered, else won, else invoiced "
             "revenue running today); 0 when the opportunity is closed, has no salesperson or no such target "
             "has a gap left.")

    @api.depends("prorated_revenue", "user_id", "company_id", "stage_id.is_won", "active", "type")
    def _compute_sales_target_gap_share(self):
        # the gaps are read in SQL: a stored figure must not depend on who edits the lead (a
        # salesperson may not read the targets of the owner of a lead they reassign)
        gaps = self.env["sales.target"]._current_revenue_gaps(set(self.user_id.ids))
        for lead in self:
            gap = gaps.get((lead.user_id.id, lead.company_id.id), 0.0)
            open_ = lead.active and lead.type == "opportunity" and not lead.stage_id.is_won
            lead.sales_target_gap_share = (
                round(lead.prorated_revenue / gap * 100.0, 2) if open_ and gap > 0 else 0.0)

    @api.model
    def _update_sales_target_gap_share(self, user_ids):
        """Recompute in one UPDATE the deal shares of all the leads of ``user_ids`` (after their
        targets' gaps changed); only the rows whose share changes are written."""
        if not user_ids:
            return
        self.env["sales.target"].flush_model()
        self.flush_model(["prorated_revenue", "user_id", "company_id", "stage_id", "active", "type",
                          "sales_target_gap_share"])
        current = self.env["sales.target"]._current_revenue_targets_query(user_ids)
        self.env.cr.execute(SQL("""
            WITH cur AS (%(current)s)
            UPDATE crm_lead l
               SET sales_target_gap_share = v.share
              FROM (SELECT l2.id,
                           CASE WHEN l2.active AND l2.type = 'opportunity' AND NOT COALESCE(s.is_won, FALSE)
                                     AND cur.gap_value > 0
                                THEN ROUND(COALESCE(l2.prorated_revenue, 0) / cur.gap_value * 100.0, 2)::float8
                                ELSE 0.0 END AS share
                      FROM crm_lead l2
                      LEFT JOIN crm_stage s ON s.id = l2.stage_id
                      LEFT JOIN cur ON cur.user_id = l2.user_id AND cur.company_id = l2.company_id
                     WHERE l2.user_id = ANY(%(users)s)
                       -- a closed lead already at 0 stays at 0: not read again
                       AND ((l2.active AND l2.type = 'opportunity' AND NOT COALESCE(s.is_won, FALSE))
                            OR l2.sales_target_gap_share IS DISTINCT FROM 0)) v
             WHERE l.id = v.id AND l.sales_target_gap_share IS DISTINCT FROM v.share
         RETURNING l.id""", current=current, users=list(user_ids)))
        changed = [row[0] for row in self.env.cr.fetchall()]
        self.browse(changed).invalidate_recordset(["sales_target_gap_share"])
