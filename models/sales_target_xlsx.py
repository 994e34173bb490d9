"""Targets against actuals as XLSX: the read-only data provider and the buttons starting an export."""

from odoo import api, models

from ..tools import target_xlsx, training

#: column of the layout -> field of ``sales.target`` whose label (in the user's language) heads it
HEADER_FIELDS = {
    "kpi": "kpi_id", "date_from": "date_from", "date_to": "date_to", "team": "team_id", "user": "user_id",
    "product_categ": "product_categ_id", "product": "product_id", "region": "region_id",
    "customer_type": "customer_type", "partner": "partner_id", "target": "target_value",
    "stretch": "stretch_value", "actual": "actual_value", "attainment": "attainment", "gap": "gap_value",
    "status": "status", "traffic_light": "traffic_light",
}
#: many2one columns, read as their display names
NAMED = {"kpi": "kpi_id", "team": "team_id", "user": "user_id", "product_categ": "product_categ_id",
         "product": "product_id", "region": "region_id", "partner": "partner_id"}
READ_FIELDS = [*NAMED.values(), "date_from", "date_to", "customer_type", "target_value", "stretch_value",
               "actual_value", "status", "traffic_light", "direction"]
BATCH_SIZE = 2000


class SalesTarget(models.Model):
    _inherit = "sales.target"

    @api.model
    @api.readonly
    def xlsx_export_rows(self, domain):
        """The rows of an XLSX export of the targets matching ``domain``, as the current user
        reads them (record rules apply: a salesperson gets their own and their teams'). Reads
        only, so that over RPC it runs on a read-only replica when one is configured."""
        return list(self._xlsx_iter_rows(domain))

    @api.model
    def _xlsx_iter_rows(self, domain, batch_size=BATCH_SIZE):
        """The rows of ``xlsx_export_rows`` one by one, read ``batch_size`` targets at a time
        and dropped from the cache after, so that a large export never holds them all."""
        ids = self.search(domain).ids
        ctypes = dict(self._fields["customer_type"]._description_selection(self.env))
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start:start + batch_size])
            for values in batch.read(READ_FIELDS, load="_classic_read"):
                row = {key: values[fname][1] if values[fname] else None for key, fname in NAMED.items()}
                row.update({
                    "date_from": values["date_from"], "date_to": values["date_to"],
                    "customer_type": ctypes.get(values["customer_type"]), "target": values["target_value"],
                    "stretch": values["stretch_value"], "actual": values["actual_value"],
                    "status": values["status"], "traffic_light": values["traffic_light"],
                    "direction": values["direction"],
                    "period_type": training.period_type(values["date_from"], values["date_to"]),
                })
                yield row
            self.env.invalidate_all()

    @api.model
    def _xlsx_period_types(self, domain):
        """The period types of the targets matching ``domain``, one grouped read over their
        distinct periods (a plan has a few dozen)."""
        groups = self._read_group(domain, ["date_from:day", "date_to:day"])
        return {training.period_type(date_from, date_to) for date_from, date_to in groups if date_from and date_to}

    @api.model
    def _xlsx_content(self, domain, constant_memory=False):
        """The XLSX workbook (bytes) of the targets matching ``domain``, headed in the user's
        language."""
        described = self.fields_get(list(HEADER_FIELDS.values()), ["string", "selection"])
        _ = self.env._
        return target_xlsx.workbook(
            self._xlsx_iter_rows(domain),
            headers={key: described[fname]["string"] for key, fname in HEADER_FIELDS.items()},
            sheet_names={"month": _("Months"), "quarter": _("Quarters"), "year": _("Years"),
                         "other": _("Other periods")},
            status_labels=dict(described["status"]["selection"]),
            light_labels=dict(described["traffic_light"]["selection"]),
            period_types=self._xlsx_period_types(domain), constant_memory=constant_memory)

    def action_export_xlsx(self):
        """The selected targets as an XLSX file (server action of the targets list)."""
        plan = self.plan_id if len(self.plan_id) == 1 else self.env["sales.target.plan"]
        return self.env["sales.target.export"]._start([("id", "in", self.ids)], plan)


class SalesTargetPlan(models.Model):
    _inherit = "sales.target.plan"

    def action_export_xlsx(self):
        """The plan's targets (those the user may read) as an XLSX file: downloaded at once,
        or prepared in the background when there are many."""
        self.ensure_one()
        return self.env["sales.target.export"]._start([("plan_id", "=", self.id)], self)


class CrmTeam(models.Model):
    _inherit = "crm.team"

    def action_export_sales_targets_xlsx(self):
        """The team's targets (those the user may read) as an XLSX file."""
        return self.env["sales.target.export"]._start_for("team_id", self)


class ResUsers(models.Model):
    _inherit = "res.users"

    def action_export_sales_targets_xlsx(self):
        """The salesperson's targets (those the user may read) as an XLSX file."""
        return self.env["sales.target.export"]._start_for("user_id", self)
