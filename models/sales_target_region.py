from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesTargetRegion(models.Model):
    _name = "sales.target.region"
    _description = "Sales Region"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    note = fields.Text()

    @api.constrains("state_ids", "country_ids", "company_id")
    def _check_overlap(self):
        """A state (or a country) belongs to at most one region per company, so that every
        document has at most one region."""
        for region in self:
            others = self.search([
                ("id", "!=", region.id),
                ("company_id", "in", [region.company_id.id, False]),
                "|", ("state_ids", "in", region.state_ids.ids), ("country_ids", "in", region.country_ids.ids),
            ])
            for other in others:
                shared = (region.state_ids & other.state_ids) or (region.country_ids & other.country_ids)
                if shared:
                    raise ValidationError(self.env._(
                        "Regions: %(place)s already belongs to the region %(other)s; a state or a "
                        "country can belong to one region only.",
                        place=", ".join(shared.mapped("name")), other=other.name))

    @api.model
    def _get_region_resolver(self, company_ids):
        """A function ``(company_id, state_id, country_id) -> region id`` built from one read
        of the regions: a partner belongs to the region of its state, else of its country."""
        regions = self.with_context(active_test=True).search_fetch(
            [("company_id", "in", [*company_ids, False])], ["company_id", "state_ids", "country_ids"])
        by_state, by_country = {}, {}
        for region in regions:
            companies = [region.company_id.id] if region.company_id else list(company_ids)
            for company in companies:
                for state in region.state_ids.ids:
                    by_state[company, state] = region.id
                for country in region.country_ids.ids:
                    by_country[company, country] = region.id

        def region_of(company_id, state_id, country_id):
            return by_state.get((company_id, state_id)) or by_country.get((company_id, country_id))
        return region_of
