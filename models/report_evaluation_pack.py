"""Rendering context of the evaluation pack: one pack per wizard, or the packs given in
``data["packs"]`` (the background printing of many packs)."""

from markupsafe import Markup

from odoo import api, models
from odoo.tools import formatLang, html_sanitize

from .sales_target_evaluation import SUBJECT_MODELS

#: the parameters of one pack, as ``sales.target.evaluation.evaluation_data`` takes them
PACK_KEYS = ("subject", "subject_id", "date_from", "date_to", "conclusion")


class ReportEvaluationPack(models.AbstractModel):
    _name = "report.crm_sales_target.report_evaluation_pack"
    _description = "Sales Target Evaluation Pack Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        packs = (data or {}).get("packs")
        if not packs:
            packs = [wizard._pack_params() for wizard in self.env["sales.target.evaluation.report"].browse(docids)]
        Evaluation = self.env["sales.target.evaluation"]
        docs = []
        for pack in packs:
            doc = Evaluation.evaluation_data(**{key: pack[key] for key in PACK_KEYS if key in pack})
            # the manager's text, sanitized like an Html field whatever brought it here
            doc["conclusion"] = Markup(html_sanitize(doc["conclusion"] or ""))
            if doc["trend"]:
                # drawn by tools.svg_chart from numbers, every text in it escaped
                doc["trend"]["svg"] = Markup(doc["trend"]["svg"])
            docs.append(doc)
        return {
            "doc_ids": docids, "doc_model": "sales.target.evaluation.report", "docs": docs,
            # the layout reads its ``o`` as a record: the subject of each pack
            "subjects": {(doc["subject"], doc["subject_id"]): self.env[SUBJECT_MODELS[doc["subject"]]].browse(
                doc["subject_id"]) for doc in docs},
            "companies": {company.id: company for company in self.env["res.company"].browse(
                {doc["company_id"] for doc in docs})},
            "fmt": lambda value, digits=2: "" if value is None else formatLang(self.env, value, digits=digits),
        }
