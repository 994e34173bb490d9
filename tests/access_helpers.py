"""Shared pieces of the role-by-operation access tests.

``RoleAccessCase`` creates the usual roles (``_role_users``): two salespeople ``rep`` and
``rep_2``, two team leaders ``leader`` and ``leader_2``, a ``manager`` of the company and
``manager_b``, a manager of the other company; ``_staff_teams`` makes ``leader`` lead team 1
with ``rep`` as member and ``leader_2`` lead team 2 with ``rep_2``. ``_check_roles`` lets every
role try an operation on every record and reports each outcome that differs from the expected.
"""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import SalesTargetCase

USER = "sales_team.group_sale_salesman"
LEADER = f"{USER},crm_sales_target.crm_sales_target_group_team_leader"
MANAGER = "crm_sales_target.crm_sales_target_group_manager"
ROLES = ("rep", "rep_2", "leader", "leader_2", "manager", "manager_b")
#: role -> its groups
GROUPS = {"rep": USER, "rep_2": USER, "leader": LEADER, "leader_2": LEADER, "manager": MANAGER,
          "manager_b": MANAGER}


class Undo(Exception):
    """Rolls back an attempt that succeeded."""


class RoleAccessCase(SalesTargetCase):
    """The roles of an access test and the check of what each may do."""

    @classmethod
    def _user(cls, login, groups, company=None):
        company = company or cls.company
        return new_test_user(cls.env, login=login, groups=groups, company_id=company.id,
                             company_ids=[Command.set(company.ids)])

    @classmethod
    def _role_users(cls, prefix, roles=ROLES):
        """``cls.users``: role -> a new user of login ``<prefix>_<role>``, of the company
        (``manager_b``: of the other company)."""
        cls.users = {role: cls._user(f"{prefix}_{role}", GROUPS[role],
                                     cls.other_company if role == "manager_b" else None)
                     for role in roles}
        return cls.users

    @classmethod
    def _staff_teams(cls):
        """Team 1 led by ``leader`` with member ``rep``, team 2 led by ``leader_2`` with ``rep_2``."""
        cls.team_1.user_id = cls.users["leader"]
        cls.team_2.user_id = cls.users["leader_2"]
        cls.env["crm.team.member"].create([
            {"crm_team_id": cls.team_1.id, "user_id": cls.users["rep"].id},
            {"crm_team_id": cls.team_2.id, "user_id": cls.users["rep_2"].id},
        ])

    def _attempt(self, func, *args, errors=(AccessError,)):
        """Whether ``func(*args)`` succeeds (True) or raises one of ``errors`` (False); what it
        did is rolled back either way."""
        try:
            with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"), self.env.cr.savepoint():
                func(*args)
                raise Undo  # every role tries on the same records
        except Undo:
            done = True
        except errors:
            done = False
        self.env.invalidate_all()
        return done

    def _check_roles(self, records, expected, operation, attempt, errors=(AccessError,)):
        """Every role of ``self.users`` tries ``attempt(record)`` (as itself) on each of
        ``records`` (name -> record); ``expected``: role -> names of the records it may."""
        failures = []
        for role, user in self.users.items():
            for name, record in records.items():
                done = self._attempt(attempt, record.with_user(user), errors=errors)
                if done != (name in expected[role]):
                    failures.append(f"{role} {operation} {name}: {'allowed' if done else 'refused'}")
        self.assertFalse(failures, "\n".join(failures))
