"""Ratings of sale orders and leads become satisfaction records when the customer submits them."""

from odoo import api, models


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._sales_target_capture()
        return ratings

    def write(self, vals):
        res = super().write(vals)
        if {"rating", "consumed", "feedback"} & set(vals):
            self._sales_target_capture()
        return res

    def _sales_target_capture(self):
        submitted = self.filtered(lambda r: r.consumed and r.rating >= 1)
        if submitted:
            # sudo: the customer rates from the portal or a mail link and may read nothing of
            # the sales targets; the record holds only what the rating and its document say
            self.env["sales.target.satisfaction"].sudo()._capture_ratings(submitted.sudo())
