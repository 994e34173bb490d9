"""XLSX exports of targets against actuals: what each user's file holds, the download route,
the background job for large exports, and the read-only data provider.

Fixtures: the published plan holds a January target of team 1 / ``rep`` (1000, stretch 1200,
750 ordered by ``rep`` in January), a Q1 target of team 2 / ``rep_2`` (3000, nothing sold)
and a yearly target of team 1 with every other dimension (12000); another company's plan
holds one target of its own.
"""

import io
from datetime import date, datetime

import openpyxl
from psycopg2.errors import ReadOnlySqlTransaction

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import JAN, Q1, SalesTargetCase

USER = "sales_team.group_sale_salesman"
LEADER = f"{USER},crm_sales_target.crm_sales_target_group_team_leader"
MANAGER = "crm_sales_target.crm_sales_target_group_manager"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def read_back(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return book, {ws.title: [list(row) for row in ws.iter_rows(min_row=2, values_only=True)] for ws in book}


@tagged("post_install", "-at_install")
class TestXlsxExport(SalesTargetCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company

        def user(login, groups, company=company):
            return new_test_user(env, login=login, groups=groups, company_id=company.id,
                                 company_ids=[Command.set(company.ids)])
        cls.rep, cls.rep_2 = user("xlsx_rep", USER), user("xlsx_rep_2", USER)
        cls.manager, cls.manager_b = user("xlsx_manager", MANAGER), user("xlsx_manager_b", MANAGER, cls.other_company)
        cls.leader = user("xlsx_leader", LEADER)
        cls.team_1.user_id = cls.leader
        env["crm.team.member"].create([
            {"crm_team_id": cls.team_1.id, "user_id": cls.rep.id},
            {"crm_team_id": cls.team_2.id, "user_id": cls.rep_2.id},
        ])
        Target = env["sales.target"]
        cls.t_month = cls._make(JAN, 1000.0, team_id=cls.team_1.id, user_id=cls.rep.id,
                                product_categ_id=cls.categ_goods.id, stretch_value=1200.0)
        cls.t_quarter = cls._make(Q1, 3000.0, team_id=cls.team_2.id, user_id=cls.rep_2.id)
        cls.t_year = cls._make(YEAR, 12000.0, team_id=cls.team_1.id, product_id=cls.prod_a.id,
                               region_id=cls.region_west.id, customer_type="new", partner_id=cls.cust_ca.id)
        cls.plan.write({"state": "published", "user_id": cls.manager.id})
        cls.plan_b = env["sales.target.plan"].create({
            "name": "CST other company", "company_id": cls.other_company.id, "date_from": YEAR[0],
            "date_to": YEAR[1], "state": "published"})
        cls.t_b = Target.create({"plan_id": cls.plan_b.id, "kpi_id": cls.kpi_ordered.id, "date_from": JAN[0],
                                 "date_to": JAN[1], "target_value": 500.0, "team_id": cls.team_other.id})

    @classmethod
    def _make(cls, period, value, **values):
        return cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi_ordered.id, "date_from": period[0], "date_to": period[1],
            "target_value": value, **values})

    def setUp(self):
        super().setUp()
        self._order(self.cust_nv, [(self.prod_a, 5, 150.0)], "2026-01-10", user=self.rep, team=self.team_1)
        self._refresh(self.t_month | self.t_quarter | self.t_year)

    def _export(self, user, records=None):
        """The action of the export button as ``user`` and the export it recorded."""
        records = (records or self.plan).with_user(user)
        action = records.action_export_xlsx()
        export = self.env["sales.target.export"].search([("create_uid", "=", user.id)], limit=1)
        return action, export

    def _users_in(self, content):
        _book, sheets = read_back(content)
        return {title: sorted((row[0], row[4] or "", row[10]) for row in rows) for title, rows in sheets.items()}

    def test_manager_export_read_back(self):
        action, export = self._export(self.manager)
        self.assertEqual(action, {"type": "ir.actions.act_url", "url": f"/crm_sales_target/export/{export.id}/xlsx",
                                  "target": "self"})
        self.assertEqual((export.state, export.row_count, export.plan_id), ("ready", 3, self.plan))
        book, sheets = read_back(export.with_user(self.manager)._content())
        self.assertEqual(book.sheetnames, ["Months", "Quarters", "Years"])
        month = book["Months"]
        self.assertEqual([c.value for c in month[1]][:4], ["KPI", "Start", "End", "Sales Team"])
        kpi = self.kpi_ordered.name
        # 5 x 150 = 750 ordered in January against 1000: 75 %, 250 missing, period over => missed, red
        self.assertEqual(sheets["Months"], [[
            kpi, datetime(2026, 1, 1), datetime(2026, 1, 31), "CST Team 1", self.rep.name, "CST Goods", None, None,
            None, None, 1000, 1200, 750, '=IF(K2=0,"",M2/K2)', "=MAX(K2-M2,0)", "Missed", "Red"]])
        self.assertEqual(sheets["Quarters"][0][:5], [kpi, datetime(2026, 1, 1), datetime(2026, 3, 31), "CST Team 2",
                                                     self.rep_2.name])
        self.assertEqual(sheets["Years"][0][5:11], [None, "CST Product A", "CST West", "New customers",
                                                    "CST Customer CA", 12000])
        self.assertEqual((month.freeze_panes, month.auto_filter.ref), ("A2", "A1:Q2"))
        self.assertTrue(month.conditional_formatting)

    def test_headers_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager.lang = "zh_CN"
        _action, export = self._export(self.manager)
        book, _sheets = read_back(export.with_user(self.manager).with_context(lang="zh_CN")._content())
        headers = [c.value for c in book.worksheets[0][1]]
        self.assertEqual(len(headers), 17)
        described = self.env["sales.target"].with_context(lang="zh_CN").fields_get(["user_id"], ["string"])
        self.assertEqual(headers[4], described["user_id"]["string"])

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_salesperson_export_holds_only_readable_rows(self):
        kpi = self.kpi_ordered.name
        _action, export = self._export(self.rep)
        self.assertEqual(export.row_count, 2)
        # their own January target and their team's yearly one; not team 2's quarter
        self.assertEqual(self._users_in(export.with_user(self.rep)._content()), {
            "Months": [(kpi, self.rep.name, 1000)], "Years": [(kpi, "", 12000)]})
        _action, export_2 = self._export(self.rep_2)
        self.assertEqual(self._users_in(export_2.with_user(self.rep_2)._content()),
                         {"Quarters": [(kpi, self.rep_2.name, 3000)]})
        # another's export is not theirs to download
        with self.assertRaises(AccessError):
            export.with_user(self.rep_2).check_access("read")
        # the list's server action: selected targets, but only those readable
        with self.assertRaises(AccessError):
            (self.t_month | self.t_quarter).with_user(self.rep).action_export_xlsx()

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_team_and_salesperson_exports(self):
        kpi = self.kpi_ordered.name
        # a team's targets: team 1's month and year, named after the team
        self.team_1.with_user(self.manager).action_export_sales_targets_xlsx()
        export = self.env["sales.target.export"].search([("create_uid", "=", self.manager.id)], limit=1)
        self.assertEqual((export.row_count, export.plan_id, export._file_name()), (2, self.env["sales.target.plan"],
                                                                                   "Targets of CST Team 1.xlsx"))
        self.assertEqual(self._users_in(export.with_user(self.manager)._content()), {
            "Months": [(kpi, self.rep.name, 1000)], "Years": [(kpi, "", 12000)]})
        # a salesperson's targets
        self.rep_2.with_user(self.manager).action_export_sales_targets_xlsx()
        export = self.env["sales.target.export"].search([("create_uid", "=", self.manager.id)], limit=1)
        self.assertEqual(export._file_name(), f"Targets of {self.rep_2.name}.xlsx")
        self.assertEqual(self._users_in(export.with_user(self.manager)._content()),
                         {"Quarters": [(kpi, self.rep_2.name, 3000)]})
        # read as whoever asks: another salesperson's targets are not a salesperson's to export
        self.rep_2.with_user(self.rep).action_export_sales_targets_xlsx()
        export = self.env["sales.target.export"].search([("create_uid", "=", self.rep.id)], limit=1)
        self.assertEqual(export.row_count, 0)
        self.assertFalse(any(self._users_in(export.with_user(self.rep)._content()).values()))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company_rows_never_exported(self):
        with self.assertRaises(AccessError):
            self._export(self.manager_b)
        all_targets = self.env["sales.target"].with_user(self.manager_b).search([])
        _action, export = self._export(self.manager_b, all_targets)
        _book, sheets = read_back(export.with_user(self.manager_b)._content())
        teams = {row[3] for rows in sheets.values() for row in rows}
        self.assertEqual(sum(len(rows) for rows in sheets.values()), len(all_targets))
        self.assertIn("CST Team Other", teams)
        self.assertFalse(teams & {"CST Team 1", "CST Team 2"})
        _action, export = self._export(self.manager, self.t_month | self.t_year)
        self.assertEqual(export.row_count, 2)
        with self.assertRaises(AccessError):
            export.with_user(self.manager_b).check_access("read")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_export_records_role_by_operation(self):
        _action, export = self._export(self.rep)
        # role -> (reads, writes, deletes) the salesperson's export
        expected = {
            "rep": (True, True, False), "rep_2": (False, False, False), "leader": (False, False, False),
            "manager": (True, True, True), "manager_b": (False, False, False),
        }
        for role, (reads, writes, deletes) in expected.items():
            user = getattr(self, role)
            with self.subTest(role=role):
                record = export.with_user(user)
                self.assertEqual(record.has_access("read"), reads)
                self.assertEqual(record.has_access("write"), writes)
                self.assertEqual(record.has_access("unlink"), deletes)
        # each creates their own, within their companies only
        values = {"domain": "[]", "company_id": self.company.id}
        for user in (self.rep, self.leader, self.manager):
            self.assertEqual(self.env["sales.target.export"].with_user(user).create(values).create_uid, user)
        with self.assertRaises(AccessError):
            self.env["sales.target.export"].with_user(self.manager_b).create(values)
        # a team leader's export of the plan: their team's targets, not team 2's
        _action, led = self._export(self.leader)
        self.assertEqual(set(self._users_in(led.with_user(self.leader)._content())), {"Months", "Years"})

    def test_large_export_runs_in_the_background(self):
        self.env["ir.config_parameter"].set_param("crm_sales_target.xlsx_background_threshold", "1")
        action, export = self._export(self.rep)
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("2 targets", action["params"]["message"])
        self.assertEqual((export.state, export.background), ("pending", True))
        with self.assertRaises(AccessError):  # not downloadable before the cron made it
            export.with_user(self.rep_2).check_access("read")
        self.env["sales.target.export"]._cron_run()
        self.assertEqual(export.state, "done", export.error)
        attachment = export.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("sales.target.export", export.id))
        # made with the requester's rights: team 2's target is not in it
        self.assertEqual(set(self._users_in(attachment.raw)), {"Months", "Years"})
        message = self.env["mail.message"].search([("attachment_ids", "in", attachment.ids)])
        self.assertEqual((message.message_type, message.model, message.res_id),
                         ("user_notification", "sales.target.plan", self.plan.id))
        self.assertEqual(message.partner_ids, self.rep.partner_id)
        self.assertEqual(export.with_user(self.rep).action_download()["url"],
                         f"/web/content/{attachment.id}?download=true")
        with self.assertRaises(AccessError):
            attachment.with_user(self.rep_2).check("read")

    def test_data_provider_is_read_only(self):
        self.assertTrue(getattr(type(self.env["sales.target"]).xlsx_export_rows, "_readonly", False))
        cr = self.env.cr
        # nothing left to write from the fixtures (tracking messages wait for the commit)
        cr.precommit.run()
        self.env.flush_all()
        cr.execute("SAVEPOINT xlsx_read_only")
        cr.execute("SET TRANSACTION READ ONLY")
        try:
            rows = self.env["sales.target"].with_user(self.rep).xlsx_export_rows([("plan_id", "=", self.plan.id)])
            self.env.flush_all()
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT xlsx_read_only")
        self.assertEqual(sorted((row["user"] or "", row["target"], row["period_type"]) for row in rows),
                         [("", 12000.0, "year"), (self.rep.name, 1000.0, "month")])
        # the guard itself works: a write in a read-only transaction fails
        cr.execute("SAVEPOINT xlsx_read_only")
        cr.execute("SET TRANSACTION READ ONLY")
        with self.assertRaises(ReadOnlySqlTransaction), mute_logger("odoo.sql_db"):
            cr.execute("UPDATE sales_target SET note = 'x' WHERE id = %s", [self.t_month.id])
        cr.execute("ROLLBACK TO SAVEPOINT xlsx_read_only")
