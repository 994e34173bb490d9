"""Plan workflow: every transition, who may do it (rep, leader, responsible, manager,
submitter), one chatter message per move; bottom-up proposals and their access."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import JAN, SalesTargetCase

MANAGER = "crm_sales_target.crm_sales_target_group_manager"
LEADER = "crm_sales_target.crm_sales_target_group_team_leader"
USER = "crm_sales_target.crm_sales_target_group_user"


@tagged("post_install", "-at_install")
class TestPlanWorkflow(SalesTargetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, name=None):
            return new_test_user(cls.env, login, groups=groups, name=name or login, company_id=cls.company.id,
                                 company_ids=[cls.company.id])

        cls.manager = user("cst_wf_manager", MANAGER, "WF Manager")
        cls.manager_2 = user("cst_wf_manager2", MANAGER)
        cls.leader = user("cst_wf_leader", LEADER, "WF Leader")
        cls.other_leader = user("cst_wf_leader2", LEADER)
        cls.rep = user("cst_wf_rep", USER, "WF Rep")
        cls.rep_2 = user("cst_wf_rep2", USER)
        cls.team_1.user_id = cls.leader
        cls.team_2.user_id = cls.other_leader
        cls.target = cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
            "team_id": cls.team_1.id, "user_id": cls.rep.id, "target_value": 1000.0, "stretch_value": 2000.0})
        cls.target_2 = cls.env["sales.target"].create({
            "plan_id": cls.plan.id, "kpi_id": cls.kpi_ordered.id, "date_from": JAN[0], "date_to": JAN[1],
            "team_id": cls.team_1.id, "user_id": cls.rep_2.id, "target_value": 500.0})

    def _as(self, user):
        return self.plan.with_user(user)

    def _last_message(self):
        return self.plan.message_ids[0]

    # ------------------------------------------------------------------ transitions
    def test_submit_rights(self):
        for user in (self.rep, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._as(user).action_submit()
        self.assertEqual(self.plan.state, "draft")
        # the responsible submits, without the right to edit plans
        self.plan.user_id = self.leader
        self._as(self.leader).action_submit()
        self.assertEqual(self.plan.state, "submitted")
        self.assertEqual(self.plan.submitted_by, self.leader)
        message = self._last_message()
        self.assertEqual(message.author_id, self.leader.partner_id)
        self.assertIn("Draft → Submitted, by WF Leader", message.body)

    def test_manager_runs_the_whole_workflow_one_message_each(self):
        count = len(self.plan.message_ids)
        plan = self._as(self.manager)
        for action, state in (("action_submit", "submitted"), ("action_approve", "approved"),
                              ("action_publish", "published"), ("action_close", "closed")):
            getattr(plan, action)()
            self.assertEqual(self.plan.state, state)
            count += 1
            self.assertEqual(len(self.plan.message_ids), count, f"one message for {state}")
            self.assertEqual(self._last_message().author_id, self.manager.partner_id)
            self.assertIn(dict(self.plan._fields["state"].selection)[state], self._last_message().body)

    def test_approve_publish_close_cancel_need_a_manager(self):
        self._as(self.manager).action_submit()
        for action in ("action_approve", "action_cancel"):
            for user in (self.rep, self.leader):
                with self.subTest(action=action, user=user.login), self.assertRaises(AccessError):
                    getattr(self._as(user), action)()
        self._as(self.manager).action_approve()
        with self.assertRaises(AccessError):
            self._as(self.leader).action_publish()
        self._as(self.manager).action_publish()
        with self.assertRaises(AccessError):
            self._as(self.leader).action_close()
        # cancelled from any state before closed, a published plan included
        self._as(self.manager).action_cancel()
        self.assertEqual(self.plan.state, "cancelled")
        self._as(self.manager).action_draft()
        self.assertEqual(self.plan.state, "draft")

    def test_submitter_cannot_approve_when_required(self):
        self._as(self.manager).action_submit()
        self.assertTrue(self._as(self.manager).can_approve)
        self.company.sales_target_separate_approval = True
        self.plan.invalidate_recordset(["can_approve"])
        self.assertFalse(self._as(self.manager).can_approve)
        with self.assertRaisesRegex(UserError, "another manager"):
            self._as(self.manager).action_approve()
        self._as(self.manager_2).action_approve()
        self.assertEqual(self.plan.state, "approved")

    def test_back_to_draft_needs_a_reason(self):
        self._as(self.manager).action_submit()
        with self.assertRaisesRegex(UserError, "Reason"):
            self._as(self.manager).action_draft()
        with self.assertRaises(AccessError):
            self._as(self.leader).action_draft(reason="no")
        wizard = Form(self.env["sales.target.plan.reason"].with_user(self.manager).with_context(
            **self.plan.action_open_reason()["context"]))
        wizard.reason = "Split the East targets by product"
        wizard.save().action_confirm()
        self.assertEqual(self.plan.state, "draft")
        self.assertFalse(self.plan.submitted_by)
        body = self._last_message().body
        self.assertIn("Submitted → Draft", body)
        self.assertIn("Split the East targets by product", body)

    def test_closed_plan_cannot_go_back_or_be_cancelled(self):
        plan = self._as(self.manager)
        plan.action_submit()
        plan.action_approve()
        plan.action_publish()
        plan.action_close()
        for action in ("action_cancel", "action_draft"):
            with self.subTest(action=action), self.assertRaisesRegex(UserError, "cannot go from"):
                getattr(plan, action)()

    # ------------------------------------------------------------------ proposals
    def _submitted(self):
        self._as(self.manager).action_submit()

    def _propose(self, user, target, value, comment="my view"):
        return self.env["sales.target.proposal"].with_user(user).create(
            {"target_id": target.id, "value": value, "comment": comment})

    def test_rep_proposes_for_own_targets_only(self):
        Proposal = self.env["sales.target.proposal"].with_user(self.rep)
        with self.assertRaises(UserError):  # draft: the rep does not see it yet
            self._propose(self.rep, self.target, 900.0)
        self._submitted()
        # the rep reads their own target of the submitted plan, not the others'
        self.assertEqual(self.env["sales.target"].with_user(self.rep).search([("plan_id", "=", self.plan.id)]),
                         self.target)
        with self.assertRaises(AccessError):
            self.target.with_user(self.rep).write({"target_value": 1.0})
        with self.assertRaises(AccessError):
            self._propose(self.rep, self.target_2, 100.0)
        proposal = self._propose(self.rep, self.target, 900.0)
        self.assertEqual((proposal.user_id, proposal.state), (self.rep, "proposed"))
        self.assertEqual((proposal.target_value, proposal.difference), (1000.0, -100.0))
        self.assertAlmostEqual(proposal.difference_pct, -10.0)
        proposal.write({"comment": "two deals slipped"})
        self.assertEqual(Proposal.search([]), proposal)
        self.assertFalse(self.env["sales.target.proposal"].with_user(self.rep_2).search([]))
        with self.assertRaises(AccessError):
            proposal.with_user(self.rep).action_accept()
        with self.assertRaises(AccessError):
            proposal.with_user(self.rep).write({"state": "accepted"})
        with self.assertRaises(UserError):
            proposal.with_user(self.rep).unlink()
        with self.assertRaises(AccessError):
            Proposal.create({"target_id": self.target.id, "value": 1.0, "state": "accepted"})

    def test_proposals_accepted_together_one_note(self):
        """1000 -> 900 and 500 -> 800 accepted in one call: one note on the plan for both
        targets, the total 1500 -> 1700 is +13.3 %."""
        self._submitted()
        proposals = self._propose(self.rep, self.target, 900.0) | self._propose(self.rep_2, self.target_2, 800.0)
        count = len(self.plan.message_ids)
        proposals.with_user(self.leader).action_accept()
        notes = self.plan.message_ids[:len(self.plan.message_ids) - count]
        summaries = notes.filtered(lambda m: "targets changed by" in (m.body or ""))
        self.assertEqual(len(summaries), 1)
        self.assertIn("2 targets changed by", summaries.body)
        self.assertIn("target +13.3 %", summaries.body)

    def test_leader_accepts_overrides_or_asks_again(self):
        self._submitted()
        first = self._propose(self.rep, self.target, 900.0)
        second = self._propose(self.rep_2, self.target_2, 800.0)
        # top-down against bottom-up on the plan
        self.assertEqual(self.plan.with_user(self.leader).proposal_ids, first | second)
        with self.assertRaises(AccessError):
            first.with_user(self.other_leader).action_accept()
        first.with_user(self.leader).action_accept()
        self.assertEqual(self.target.target_value, 900.0)
        self.assertEqual((first.state, first.decided_by), ("accepted", self.leader))
        ledger = self.env["sales.target.ledger"].search([("target_id", "=", self.target.id),
                                                          ("operation", "=", "write")])
        self.assertEqual((ledger.old_value, ledger.new_value, ledger.user_id), ("1000.00", "900.00", self.leader))
        with self.assertRaisesRegex(UserError, "already decided"):
            first.with_user(self.leader).action_ask_again()

        with self.assertRaisesRegex(UserError, "Reason of the decision"):
            second.with_user(self.leader).action_override()
        second.with_user(self.leader).decision_reason = "The South budget is fixed"
        second.with_user(self.leader).action_override()
        self.assertEqual(self.target_2.target_value, 500.0)
        self.assertEqual(second.state, "overridden")

        # ask again: the rep proposes anew, the earlier proposal stays on record
        third = self._propose(self.rep, self.target, 950.0)
        third.with_user(self.manager).action_ask_again()
        fourth = self._propose(self.rep, self.target, 1000.0)
        self.assertEqual(self.env["sales.target.proposal"].search([("target_id", "=", self.target.id)]),
                         first | third | fourth)
        self.assertEqual(third.state, "asked_again")
        with self.assertRaises(AccessError):
            third.with_user(self.rep).write({"value": 1.0})

    def test_no_proposal_once_published(self):
        self._submitted()
        proposal = self._propose(self.rep, self.target, 900.0)
        plan = self._as(self.manager)
        plan.action_approve()
        plan.action_publish()
        with self.assertRaises(UserError):
            self._propose(self.rep, self.target, 950.0)
        with self.assertRaises(UserError):
            proposal.with_user(self.manager).action_accept()
