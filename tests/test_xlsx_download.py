"""The download route of XLSX exports, over HTTP as the requesting user."""

import io

import openpyxl

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from . import test_xlsx_export


@tagged("post_install", "-at_install")
class TestXlsxDownload(HttpCase, test_xlsx_export.TestXlsxExport):
    # the fixtures of the export tests, without running those tests a second time
    test_manager_export_read_back = test_headers_in_the_users_language = None
    test_salesperson_export_holds_only_readable_rows = test_other_company_rows_never_exported = None
    test_large_export_runs_in_the_background = test_data_provider_is_read_only = None
    test_team_and_salesperson_exports = None

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_download_as_the_user(self):
        action, export = self._export(self.rep)
        self.authenticate("xlsx_rep", "xlsx_rep")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("CST%202026.xlsx", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Months", "Years"])  # not team 2's quarter
        self.assertEqual(book["Months"]["E2"].value, self.rep.name)
        # another salesperson cannot download it
        self.authenticate("xlsx_rep_2", "xlsx_rep_2")
        self.assertEqual(self.url_open(action["url"]).status_code, 403)
        # a background export is never made by the route
        export.write({"state": "pending"})
        self.authenticate("xlsx_rep", "xlsx_rep")
        self.assertEqual(self.url_open(action["url"]).status_code, 404)
