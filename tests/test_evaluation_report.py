"""The evaluation pack: figures against hand-computed fixtures, the volume/price/mix split,
the snapshot rule, Chinese rendering, a real PDF, the background printing and access.

Fixture (January 2026, plan "CST Jan Eval", ordered revenue and quantity sold):

* revenue: T0 team 1 = 1,500, split into T1 (A, Goods) = 1,000 and T2 (B, Misc) = 500;
* quantity: Q1 (A, Goods) = 10, Q2 (B, Misc) = 10;
* January 2026 orders: A sells 15 × prod_a (Goods) at 90 = 1,350; B sells 5 × prod_c (Misc)
  at 50 = 250; team 1 therefore 1,600;
* January 2025 orders: A 10 × prod_a at 100 = 1,000; B 8 × prod_c at 50 = 400 (team 1: 1,400).

By hand: attainment 1,600 / 1,500 = 106.7 %, growth on last year (1,600 − 1,400) / 1,400 =
14.3 %. Variance: target prices Goods 100, Misc 50, average 1,500 / 20 = 75; volume (20 − 20) ×
75 = 0; mix 15 × 100 + 5 × 50 − 20 × 75 = 250; price 1,600 − 1,750 = −150; total 100.
"""

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .common import JAN, Q1, SalesTargetCase

REPORT = "crm_sales_target.report_evaluation_pack"


@tagged("post_install", "-at_install")
class TestEvaluationReport(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "cst_eval_manager", company_id=cls.company.id,
                                    groups="crm_sales_target.crm_sales_target_group_manager")
        cls.leader = new_test_user(cls.env, "cst_eval_leader", company_id=cls.company.id,
                                   groups="crm_sales_target.crm_sales_target_group_team_leader")
        cls.team_1.user_id = cls.leader
        cls.jan = cls.env["sales.target.plan"].create({
            "name": "CST Jan Eval", "company_id": cls.company.id, "horizon": "short",
            "date_from": JAN[0], "date_to": JAN[1]})

    def setUp(self):
        super().setUp()
        self._order(self.cust_ca, [(self.prod_a, 15, 90.0)], "2026-01-10", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_c, 5, 50.0)], "2026-01-12", user=self.user_b)
        self._order(self.cust_ca, [(self.prod_a, 10, 100.0)], "2025-01-20", user=self.user_a)
        self._order(self.cust_nv, [(self.prod_c, 8, 50.0)], "2025-01-15", user=self.user_b)
        target = self._target
        self.t0 = target(self.kpi_ordered, JAN, plan=self.jan, value=1500.0, team_id=self.team_1)
        self.t1 = target(self.kpi_ordered, JAN, plan=self.jan, value=1000.0, team_id=self.team_1,
                         user_id=self.user_a, product_categ_id=self.categ_goods, parent_id=self.t0)
        self.t2 = target(self.kpi_ordered, JAN, plan=self.jan, value=500.0, team_id=self.team_1,
                         user_id=self.user_b, product_categ_id=self.categ_misc, parent_id=self.t0)
        self.q1 = target(self.kpi_qty, JAN, plan=self.jan, value=10.0, user_id=self.user_a,
                         product_categ_id=self.categ_goods)
        self.q2 = target(self.kpi_qty, JAN, plan=self.jan, value=10.0, user_id=self.user_b,
                         product_categ_id=self.categ_misc)
        self._refresh(self.t0 | self.t1 | self.t2 | self.q1 | self.q2)

    def _data(self, subject="plan", record=None, period=JAN, env=None):
        env = env or self.env
        return env["sales.target.evaluation"].evaluation_data(
            subject, (record or self.jan).id, period[0], period[1], "<p>Good month</p>")

    def _html(self, subject="plan", record=None, period=JAN, env=None, **extra):
        env = env or self.env
        pack = {"subject": subject, "subject_id": (record or self.jan).id, "date_from": str(period[0]),
                "date_to": str(period[1]), "conclusion": "<p>Good month</p>", **extra}
        html, _kind = env["ir.actions.report"]._render_qweb_html(REPORT, [], data={"packs": [pack]})
        return html.decode()

    def _publish(self):
        self.jan.action_submit()
        self.jan.action_approve()
        self.jan.action_publish()

    def test_summary_and_tables(self):
        data = self._data()
        revenue = next(line for line in data["summary"] if line["kpi_id"] == self.kpi_ordered.id)
        self.assertEqual((revenue["target"], revenue["actual"], revenue["last_year"]), (1500.0, 1600.0, 1400.0))
        self.assertAlmostEqual(revenue["attainment"], 106.6667, places=3)
        self.assertAlmostEqual(revenue["growth"], 14.2857, places=3)
        self.assertEqual(revenue["status"], "achieved")
        quantity = next(line for line in data["summary"] if line["kpi_id"] == self.kpi_qty.id)
        self.assertEqual((quantity["target"], quantity["actual"], quantity["last_year"]), (20.0, 20.0, 18.0))
        tables = {table["field"]: table["lines"] for table in data["tables"]}
        self.assertEqual(set(tables), {"user_id", "product_categ_id"})
        self.assertEqual([(line["name"], line["target"], line["actual"], line["variance"], line["light"])
                          for line in tables["user_id"]],
                         [(self.user_a.name, 1000.0, 1350.0, 350.0, "good"), (self.user_b.name, 500.0, 250.0, -250.0,
                                                                              "bad")])
        html = self._html()
        for text in ("CST Jan Eval", "1,500.00", "1,600.00", "106.7", "1,400.00", "14.3", "1,350.00", "135.0",
                     "-250.00", "50.0", "Good month", self.user_b.name, "CST Misc"):
            self.assertIn(text, html)

    def test_attainment_edges_as_the_targets(self):
        # a zero invoiced target with nothing invoiced in January: nothing required, nothing
        # missing, 100 % as on the target itself (not 0 %)
        zero = self._refresh(self._target(self.kpi_invoiced, JAN, plan=self.jan, value=0.0, user_id=self.user_a))
        line = next(line for line in self._data()["summary"] if line["kpi_id"] == self.kpi_invoiced.id)
        self.assertEqual((line["target"], line["actual"], line["attainment"]), (0.0, 0.0, 100.0))
        self.assertEqual(zero.attainment, 100.0)

    def test_variance_splits_exactly(self):
        var = self._data()["variance"]
        self.assertEqual((var["total"], var["volume"], var["mix"], var["price"]), (100.0, 0.0, 250.0, -150.0))
        self.assertEqual(var["volume"] + var["mix"] + var["price"], var["total"])
        html = self._html()
        self.assertIn('o_variance_mix">250.00<', html)
        self.assertIn('o_variance_price">-150.00<', html)

    def test_variance_from_last_year_without_quantity_targets(self):
        (self.q1 | self.q2).unlink()
        var = self._data()["variance"]
        # last year's prices: Goods 1,000 / 10 = 100, Misc 400 / 8 = 50: target quantities
        # 1,000 / 100 = 10 and 500 / 50 = 10, actual ones measured: 15 and 5, as above
        self.assertEqual([(line["name"], line["target_qty"], line["actual_qty"], line["source"])
                          for line in var["lines"]],
                         [("CST Goods", 10.0, 15.0, "last_year"), ("CST Misc", 10.0, 5.0, "last_year")])
        self.assertEqual((var["total"], var["volume"], var["mix"], var["price"]), (100.0, 0.0, 250.0, -150.0))

    def test_trend_chart(self):
        trend = self._data(period=Q1)["trend"]
        # only January's targets: 1,500 in January, nothing more later
        self.assertEqual([(m["target"], m["actual"]) for m in trend["months"]],
                         [(1500.0, 1600.0), (1500.0, 1600.0), (1500.0, 1600.0)])
        # a pack of one month goes week by week: 1-4, 5-11, 12-18, 19-25 and 26-31 January,
        # the target spread over the 31 days, the orders of the 10th and the 12th
        trend = self._data()["trend"]
        self.assertEqual([round(m["target"], 2) for m in trend["months"]],
                         [round(1500.0 * days / 31, 2) for days in (4, 11, 18, 25, 31)])
        self.assertEqual([m["actual"] for m in trend["months"]], [0.0, 1350.0, 1600.0, 1600.0, 1600.0])
        html = self._html(period=Q1)
        self.assertIn("<svg", html)
        self.assertIn("<polyline", html)

    def test_closed_period_reprints_the_same_figures(self):
        self._publish()
        self.jan.action_close()
        before = self._data(period=Q1)
        html_before = self._html(period=Q1)
        # later: a late order of January, and figures of the targets changed behind the pack
        self._order(self.cust_ca, [(self.prod_a, 7, 80.0)], "2026-01-25", user=self.user_a)
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE sales_target SET target_value = target_value * 2, actual_value = 1 "
                                "WHERE plan_id = %s", self.jan.id))
        self.env.invalidate_all()
        after = self._data(period=Q1)
        self.assertTrue(after["frozen"])
        for key in ("summary", "tables", "variance", "trend"):
            self.assertEqual(after[key], before[key], key)
        self.assertEqual(self._html(period=Q1), html_before)
        self.assertIn("Figures frozen at the period close", html_before)

    def test_chinese(self):
        for lang, achieved, kpi in (("zh_CN", "已达成", "订单收入"), ("zh_TW", "已達成", "訂單收入")):
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(["crm_sales_target"], [lang], overwrite=True)
            html = self._html(period=Q1, env=self.env(context=dict(self.env.context, lang=lang)))
            self.assertIn(achieved, html)
            self.assertIn(kpi, html)
            self.assertIn("1月", html)  # the chart's months
            self.assertIn("1,600.00", html)

    def test_real_pdf(self):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(REPORT, data={"packs": [{
            "subject": "plan", "subject_id": self.jan.id, "date_from": "2026-01-01", "date_to": "2026-03-31"}]})
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_wizard_from_plan(self):
        wizard = Form(self.env["sales.target.evaluation.report"].with_context(
            default_subject="plan", default_plan_id=self.jan.id))
        wizard.period = "quarter"  # the last complete quarter
        self.assertEqual((wizard.date_from.day, wizard.date_from.month % 3), (1, 1))
        self.assertEqual(wizard.date_to, wizard.date_from + relativedelta(months=3, days=-1))
        wizard.period = "custom"
        wizard.date_from, wizard.date_to = JAN
        wizard.conclusion = "<p>Keep going</p>"
        action = wizard.save().action_print()
        # a company without a document layout is first asked to choose one
        action = action["context"]["report_action"] if action["type"] == "ir.actions.act_window" else action
        self.assertEqual(action["report_name"], REPORT)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(REPORT, action["context"]["active_ids"])
        self.assertIn("Keep going", html.decode())
        self.assertIn("1,600.00", html.decode())

    def test_background_packs_of_every_salesperson(self):
        self._publish()
        wizard = self.env["sales.target.evaluation.report"].with_user(self.leader).create({
            "subject": "plan", "plan_id": self.jan.id, "period": "custom", "date_from": JAN[0], "date_to": JAN[1],
            "every_salesperson": True})
        action = wizard.action_print()
        self.assertEqual(action["tag"], "display_notification")
        job = self.env["sales.target.evaluation.job"].search([("plan_id", "=", self.jan.id)])
        self.assertEqual((job.state, job.user_ids, job.create_uid), ("pending", self.user_a | self.user_b, self.leader))
        # one batch per salesperson: two PDFs merged into one
        job.with_context(force_report_rendering=True)._run(batch_size=1)
        self.assertEqual((job.state, job.done_count, job.total_count), ("done", 2, 2))
        self.assertTrue(job.attachment_id.raw.startswith(b"%PDF"))
        # the PDF holds every salesperson's pack: kept on the job, never on the plan they all read
        self.assertEqual((job.attachment_id.res_model, job.attachment_id.res_id), (job._name, job.id))
        self.assertFalse(self.jan.message_ids.attachment_ids)
        message = self.env["mail.message"].search([("attachment_ids", "in", job.attachment_id.ids)])
        self.assertEqual(message.partner_ids, self.leader.partner_id)
        self.assertEqual(message.notification_ids.res_partner_id, self.leader.partner_id)
        # the requester reads it; a salesperson of the published plan does not
        self.assertTrue(job.attachment_id.with_user(self.leader).raw.startswith(b"%PDF"))
        with self.assertRaises(AccessError):
            job.attachment_id.with_user(self.user_a).read(["raw"])
        self.assertFalse(self.env["ir.attachment"].with_user(self.user_a).search(
            [("id", "=", job.attachment_id.id)]))

    def test_access(self):
        self._publish()
        # a salesperson reads their own targets only: their pack of the plan holds only those
        data = self._data(env=self.env(user=self.user_a))
        revenue = next(line for line in data["summary"] if line["kpi_id"] == self.kpi_ordered.id)
        self.assertEqual((revenue["target"], revenue["actual"]), (1000.0, 1350.0))
        html = self._html(env=self.env(user=self.user_a))
        self.assertIn(self.user_a.name, html)
        self.assertNotIn(self.user_b.name, html)
        self.assertNotIn("CST Misc", html)
        # no job of their own for a salesperson; a leader sees only their own jobs
        with self.assertRaises(AccessError):
            self.env["sales.target.evaluation.job"].with_user(self.user_a).create({
                "plan_id": self.jan.id, "date_from": JAN[0], "date_to": JAN[1]})
        job = self.env["sales.target.evaluation.job"].with_user(self.manager).create({
            "plan_id": self.jan.id, "date_from": JAN[0], "date_to": JAN[1]})
        self.assertFalse(self.env["sales.target.evaluation.job"].with_user(self.leader).search(
            [("id", "=", job.id)]))
        # another company's user cannot print the plan at all
        stranger = new_test_user(self.env, "cst_eval_stranger", company_id=self.other_company.id,
                                 groups="crm_sales_target.crm_sales_target_group_manager")
        with self.assertRaises(AccessError):
            self._data(env=self.env(user=stranger))
        self.assertFalse(self.env["sales.target.evaluation.job"].with_user(stranger).search([("id", "=", job.id)]))
        self.assertEqual(self.env["sales.target.evaluation.job"].with_user(self.manager).search(
            [("id", "=", job.id)]), job)
        # the data provider writes nothing and is read-only over RPC
        self.assertTrue(getattr(type(self.env["sales.target.evaluation"]).evaluation_data, "_readonly", False))
