from odoo import http
from odoo.http import content_disposition, request

from ..tools.xlsx_writer import XLSX_MIMETYPE


class SalesTargetExportController(http.Controller):

    @http.route("/crm_sales_target/export/<int:export_id>/xlsx", type="http", auth="user", readonly=True)
    def export_xlsx(self, export_id):
        """The file of an export, made as the requesting user (record rules apply). It only
        reads, so it runs on a read-only replica when one is configured."""
        export = request.env["sales.target.export"].browse(export_id).exists()
        if not export:
            raise request.not_found()
        export.check_access("read")
        if export.attachment_id:
            return request.redirect(f"/web/content/{export.attachment_id.id}?download=true")
        if export.state != "ready":
            raise request.not_found()  # a large export is made in the background, never here
        return request.make_response(export._content(), headers=[
            ("Content-Type", XLSX_MIMETYPE), ("Content-Disposition", content_disposition(export._file_name())),
        ])
