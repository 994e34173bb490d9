"""The index the refresh reads confirmed order lines through.

Order-level cubes (by salesperson, team, customer or region) add up each order's lines
first: order, amount (untaxed subtotal or margin) and the two flags that leave sections and
down payments out. This index holds exactly those columns, in order: the refresh reads it
instead of the whole, wide table, and sums each order as it goes, without hashing a million
lines. On the benchmark's million lines the salesperson cube then runs as fast as the bare
``GROUP BY`` month, salesperson (``make bench``).
"""

from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import index_exists

AMOUNT_INDEX = "sale_order_line__sales_target_amount_index"


def create_amount_index(cr):
    if not index_exists(cr, AMOUNT_INDEX):
        cr.execute(SQL("CREATE INDEX %s ON sale_order_line (order_id) INCLUDE (price_subtotal, margin, "
                       "display_type, is_downpayment)", SQL.identifier(AMOUNT_INDEX)))


def drop_amount_index(cr):
    cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(AMOUNT_INDEX)))


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def init(self):
        res = super().init()
        create_amount_index(self.env.cr)
        return res
