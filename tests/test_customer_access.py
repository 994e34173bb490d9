"""Who reads, writes, creates and deletes satisfaction records and complaints, role by operation.

Team 1 is led by ``leader`` with ``rep`` as member; team 2 has ``rep_2``. Customers: ``c_rep``
(salesperson ``rep``), ``c_rep2`` (``rep_2``) and ``c_none`` (no salesperson).

* satisfaction: ``s_rep`` (on c_rep), ``s_rep2`` (on c_rep2), ``s_assigned`` (on c_none,
  assigned to rep), ``s_none`` (on c_none, nobody's), ``s_other`` (another company's, on c_rep);
* complaints: ``k_rep``, ``k_rep2``, ``k_owned`` (on c_none, handled by rep), ``k_none``,
  ``k_other`` (another company's).
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_helpers import RoleAccessCase

#: role -> (satisfaction records, complaints) it reads
READ = {
    "rep": ({"s_rep", "s_assigned"}, {"k_rep", "k_owned"}),
    "rep_2": ({"s_rep2"}, {"k_rep2"}),
    "leader": ({"s_rep", "s_assigned"}, {"k_rep", "k_owned"}),
    "manager": ({"s_rep", "s_rep2", "s_assigned", "s_none"}, {"k_rep", "k_rep2", "k_owned", "k_none"}),
    "manager_b": ({"s_other"}, {"k_other"}),
}


@tagged("post_install", "-at_install")
class TestCustomerAccess(RoleAccessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company, other = cls.env, cls.company, cls.other_company
        cls._role_users("ca", ("rep", "rep_2", "leader", "manager", "manager_b"))
        cls.team_1.write({"user_id": cls.users["leader"].id,
                          "member_ids": [Command.set(cls.users["rep"].ids)]})
        cls.team_2.write({"member_ids": [Command.set(cls.users["rep_2"].ids)]})
        cls.c_rep = cls._partner("CA Customer Rep", user_id=cls.users["rep"].id)
        cls.c_rep2 = cls._partner("CA Customer Rep 2", user_id=cls.users["rep_2"].id)
        cls.c_none = cls._partner("CA Customer None")
        Sat = env["sales.target.satisfaction"]
        cls.sat = dict(zip(("s_rep", "s_rep2", "s_assigned", "s_none", "s_other"), Sat.create([
            {"partner_id": cls.c_rep.id, "score": 4, "company_id": company.id},
            {"partner_id": cls.c_rep2.id, "score": 5, "company_id": company.id},
            {"partner_id": cls.c_none.id, "user_id": cls.users["rep"].id, "score": 3, "company_id": company.id},
            {"partner_id": cls.c_none.id, "score": 2, "company_id": company.id},
            {"partner_id": cls.c_rep.id, "score": 1, "company_id": other.id, "team_id": False},
        ])))
        Complaint = env["sales.target.complaint"]
        cls.complaints = dict(zip(("k_rep", "k_rep2", "k_owned", "k_none", "k_other"), Complaint.create([
            {"name": "K rep", "partner_id": cls.c_rep.id, "company_id": company.id},
            {"name": "K rep 2", "partner_id": cls.c_rep2.id, "company_id": company.id},
            {"name": "K owned", "partner_id": cls.c_none.id, "owner_id": cls.users["rep"].id,
             "company_id": company.id},
            {"name": "K none", "partner_id": cls.c_none.id, "owner_id": cls.users["manager"].id,
             "company_id": company.id},
            {"name": "K other", "partner_id": cls.c_rep.id, "owner_id": False, "company_id": other.id,
             "team_id": False},
        ])))

    def test_fixture(self):
        # the salesperson and team follow the customer's salesperson
        self.assertEqual(self.sat["s_rep"].user_id, self.users["rep"])
        self.assertEqual(self.sat["s_rep"].team_id, self.team_1)
        self.assertEqual(self.complaints["k_rep2"].user_id, self.users["rep_2"])
        self.assertEqual(self.complaints["k_rep2"].team_id, self.team_2)

    def _names(self, records, mapping):
        ids = set(records.ids)
        return {name for name, record in mapping.items() if record.id in ids}

    def test_read(self):
        for role, (sats, complaints) in READ.items():
            with self.subTest(role=role):
                user = self.users[role]
                Sat = self.env["sales.target.satisfaction"].with_user(user)
                Complaint = self.env["sales.target.complaint"].with_user(user)
                all_sat = [r.id for r in self.sat.values()]
                all_k = [r.id for r in self.complaints.values()]
                self.assertEqual(self._names(Sat.search([("id", "in", all_sat)]), self.sat), sats)
                self.assertEqual(self._names(Complaint.search([("id", "in", all_k)]), self.complaints), complaints)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_write_create_unlink(self):
        rep, leader = self.users["rep"], self.users["leader"]
        Sat = self.env["sales.target.satisfaction"]
        # a salesperson records and corrects answers of their own customers only
        self.sat["s_rep"].with_user(rep).comment = "Called back"
        with self.assertRaises(AccessError):
            self.sat["s_rep2"].with_user(rep).comment = "Not mine"
        Sat.with_user(rep).create({"partner_id": self.c_rep.id, "score": 5})
        with self.assertRaises(AccessError):
            Sat.with_user(rep).create({"partner_id": self.c_rep2.id, "score": 5})
        with self.assertRaises(AccessError):
            self.sat["s_rep"].with_user(rep).unlink()
        # complaints: the salesperson updates those of their customers and those they handle
        self.complaints["k_owned"].with_user(rep).action_start()
        self.assertEqual(self.complaints["k_owned"].state, "in_progress")
        with self.assertRaises(AccessError):
            self.complaints["k_rep2"].with_user(rep).action_start()
        with self.assertRaises(AccessError):
            self.complaints["k_rep"].with_user(rep).unlink()
        # the leader deletes those of the team, not those of another
        self.sat["s_assigned"].with_user(leader).unlink()
        with self.assertRaises(AccessError):
            self.sat["s_rep2"].with_user(leader).unlink()
        with self.assertRaises(AccessError):
            self.complaints["k_none"].with_user(leader).write({"severity": "low"})
        # managers: everything of their company, nothing of another
        self.complaints["k_none"].with_user(self.users["manager"]).write({"severity": "low"})
        with self.assertRaises(AccessError):
            self.complaints["k_rep"].with_user(self.users["manager_b"]).read(["name"])

    def test_partner_summary_reads_only_visible(self):
        partner = self.c_none.with_user(self.users["rep"])
        # rep sees the record assigned to them, not the other one on the same customer
        self.assertEqual(partner.sales_target_satisfaction_count, 1)
        self.assertEqual(partner.sales_target_complaint_count, 1)

    def test_salesperson_cannot_rewrite_what_counts_against_them(self):
        rep, leader = self.users["rep"], self.users["leader"]
        complaint = self.complaints["k_rep"].with_user(rep)
        # the salesperson works on their complaint...
        complaint.action_start()
        complaint.write({"resolution": "Replaced", "severity": "low"})
        # ...but cannot cancel it, give it away or move it out of the period
        for vals, field in (({"state": "cancelled"}, "Status"), ({"user_id": self.users["rep_2"].id}, "Salesperson"),
                            ({"team_id": self.team_2.id}, "Sales Team"), ({"date": "2020-01-01"}, "Received on")):
            with self.subTest(field=field), self.assertRaisesRegex(UserError, field):
                complaint.write(vals)
        with self.assertRaisesRegex(UserError, "Status"):
            complaint.action_cancel()
        self.assertEqual((self.complaints["k_rep"].state, self.complaints["k_rep"].user_id),
                         ("in_progress", rep))
        complaint.write({"user_id": rep.id})  # the same salesperson: nothing changes
        # the team leader decides
        self.complaints["k_rep"].with_user(leader).action_cancel()
        self.assertEqual(self.complaints["k_rep"].state, "cancelled")

    def test_salesperson_cannot_rewrite_customer_answers(self):
        rep, leader = self.users["rep"], self.users["leader"]
        Sat = self.env["sales.target.satisfaction"]
        rated = Sat.create({"partner_id": self.c_rep.id, "score": 2, "source": "rating",
                            "company_id": self.company.id})
        self.assertEqual(rated.user_id, rep)
        for vals in ({"score": 5}, {"kind": "nps"}, {"partner_id": self.c_none.id}, {"date": "2020-01-01"},
                     {"user_id": self.users["rep_2"].id}):
            for who in (rep, leader):
                with self.subTest(vals=vals, who=who.login), self.assertRaises(UserError):
                    rated.with_user(who).write(vals)
        rated.with_user(rep).comment = "Called back"  # a note is fine
        with self.assertRaisesRegex(UserError, "Source"):
            Sat.with_user(rep).create({"partner_id": self.c_rep.id, "score": 5, "source": "survey"})
        # entered records: a salesperson corrects their own, not someone else's
        own = Sat.with_user(rep).create({"partner_id": self.c_rep.id, "score": 3})
        own.score = 4
        self.assertEqual(own.score, 4)
        self.sat["s_rep"].user_id = self.users["rep_2"]  # on rep's customer, assigned to rep 2
        with self.assertRaisesRegex(UserError, "Score"):
            self.sat["s_rep"].with_user(rep).write({"score": 5})
        self.sat["s_rep"].with_user(leader).write({"score": 5})
        self.assertEqual(self.sat["s_rep"].score, 5)
