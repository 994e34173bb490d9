"""From a target's actual to the documents that make it."""

from odoo import models

from ..tools import cube
from . import measures


class SalesTarget(models.Model):
    _inherit = "sales.target"

    def _document_ids(self):
        """``(model, ids)``: the documents the measure of this target counts, in its period,
        time zone, dimensions and KPI filter.

        The documents are listed by the measure's own query, grouped by document as well,
        and each row is kept when ``cube.match`` would add it to this target: the same rule
        as the refresh, so that the list and the actual can never disagree."""
        self.ensure_one()
        spec = self._actuals_spec()[0]
        measure = measures.get(self.kpi_id.measure)
        model, document = measure.document()
        dims = set(cube.required_columns([spec]))
        if spec["customer_type"]:
            dims.add("partner_id")
        kpi = self.kpi_id
        domain = kpi._get_domain() if kpi.domain not in (False, "", "[]") else None
        company_ids = [spec["company_id"]]
        self.env.flush_all()
        query, union = measure.cube_query(
            self.env, company_ids, spec["date_from"], spec["date_to"], [tuple(sorted(dims))],
            granularity="day", domain=domain, tz=self.company_id.sales_target_tz or "UTC", document=document)
        rows = self._fetch_cube(query)
        lookups = {
            "categ_ancestors": self._categ_ancestors() if spec["product_categ_id"] else None,
            "region_of": self.env["sales.target.region"]._get_region_resolver(company_ids)
            if spec["region_id"] else None,
            "history": self._customer_history(company_ids) if spec["customer_type"] else None,
        }
        # rows end with the value, or the numerator and the denominator of a ratio
        width = 2 if measure.ratio else 1
        ids = set()
        for row in rows:
            # counted with a value of 1: a document adding 0 (a free line) still makes the actual
            if cube.match([(*row[:-width], 1.0)], union, [spec], **lookups).get(spec["id"]):
                ids.add(row[-width - 1])
        return model, sorted(ids)

    def action_view_documents(self):
        self.ensure_one()
        model, ids = self._document_ids()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Documents of %(target)s", target=self.display_name),
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", ids)],
            "context": {"create": False},
        }
