"""Storing many targets at once: the background decompositions' sub-targets.

``create`` runs Odoo's generic path row by row: defaults, monetary rounding through a draft
record per amount, an INSERT per hundred rows, then the stored figures computed after the
INSERT and written back by an UPDATE of every new row, and the parent path by another.
``_create_bulk`` stores the same rows with the same values in one INSERT: the stored figures
are computed first, by the fields' own compute methods run once over drafts of all the
rows, and the ids are drawn from the table's sequence beforehand, so that the parent path
goes in with the row. Everything ``create`` checks is checked the same way (access rights
and record rules, constraints, companies) and everything it triggers is triggered
(``_on_created``: the ledger, frozen plans, deal shares; the parents' roll-ups). Values it
cannot store this way (other fields than plain columns) take ``create``.
"""

import itertools
import json
from datetime import date, datetime

from odoo import api, fields, models
from odoo.tools import SQL, float_round

from ..tools import pacing
from . import measures
from .sales_target import LEAF_FIGURES
from .sales_target_actuals import STORED_FIGURES

#: columns set by the bulk path itself
OWN_COLUMNS = frozenset(("id", "parent_path", "create_uid", "create_date", "write_uid", "write_date"))
#: field types whose values go into a column as they are cached
PLAIN_TYPES = frozenset(("integer", "float", "monetary", "char", "text", "selection", "boolean", "date",
                         "datetime", "many2one"))


class SalesTarget(models.Model):
    _inherit = "sales.target"

    @api.model
    def _bulk_columns(self):
        """The stored fields the bulk path writes: plain columns (``PLAIN_TYPES``, not
        translated), given, defaulted or computed."""
        return [field for field in self._fields.values()
                if field.store and field.column_type and field.name not in OWN_COLUMNS
                and field.type in PLAIN_TYPES and not field.translate and not field.inverse]

    @api.model
    def _create_bulk(self, vals_list):
        """Create targets from ``vals_list`` as ``create`` would, in one INSERT (see the
        module's docstring); rows with other values than plain columns take ``create``."""
        if not vals_list:
            return self.browse()
        self = self.browse()
        self.check_access("create")
        for vals in vals_list:
            self._check_not_measured(vals)
        columns = self._bulk_columns()
        plain = {field.name for field in columns if not field.compute}
        given = set().union(*vals_list)
        # the defaults of what each row leaves out (from the context and ir.default too), once
        # per set of given fields
        defaults_of = {}
        for vals in vals_list:
            keys = frozenset(vals)
            if keys not in defaults_of:
                defaults_of[keys] = self.default_get([name for name in self._fields if name not in keys])
        defaulted = set().union(*defaults_of.values())
        if not given <= plain or not defaulted <= plain:
            return self.create(vals_list)
        rows = [{**defaults_of[frozenset(vals)], **vals} for vals in vals_list]

        values = {}
        for field in columns:
            if not field.compute and (field.name in given or field.name in defaulted):
                # validated as create does (a selection's keys; amounts stay as given)
                values[field.name] = [field.convert_to_cache(row.get(field.name, False), self) for row in rows]
        computed = [field for field in columns if field.compute]
        values.update(self._bulk_figures(rows, values, [field.name for field in computed]))
        # any other stored figure: its compute method, run once over drafts of every row
        others = [field for field in computed if field.name not in values]
        if others:
            values.update(self._bulk_drafts_figures(rows, given | defaulted, others))
        self._round_amounts(values)

        targets = self.browse(self._bulk_insert(values))
        inserted = list(values)
        # what depends on the new rows follows (the parents' roll-ups), as after create; their
        # own figures were computed above
        own = [self._fields[name] for name in inserted if self._fields[name].compute]
        with self.env.protecting(own, targets):
            targets.modified(self._fields, create=True)
        # records already read keep their sub-targets and other one2many lists in cache
        for name in inserted:
            field = self._fields[name]
            if field.type == "many2one":
                referenced = self.env[field.comodel_name].browse({key for key in values[name] if key})
                for inverse in self.pool.field_inverses[field]:
                    referenced.invalidate_recordset([inverse.name])
        targets._validate_fields(inserted)
        if self._check_company_auto:
            targets._check_company()
        targets.check_access("create")
        targets._on_created()
        return targets

    def _bulk_insert(self, values):
        """Insert the rows of the columns ``values`` (``{name: column}``) in one query, with
        ids drawn beforehand so that the parent path goes in with the row; their ids."""
        n = len(next(iter(values.values())))
        self.env.cr.execute(SQL("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                                self._table, n))
        ids = [row[0] for row in self.env.cr.fetchall()]
        parents = values.get("parent_id") or [None] * n
        paths = {}
        if any(parents):
            self.flush_model(["parent_path"])
            self.env.cr.execute(SQL("SELECT id, parent_path FROM sales_target WHERE id = ANY(%s)",
                                    list({pid for pid in parents if pid})))
            paths = dict(self.env.cr.fetchall())
        now, uid = self.env.cr.now().isoformat(), self.env.uid
        kinds = {name: self._fields[name].type for name in values}
        payload = []
        for i, (target_id, parent) in enumerate(zip(ids, parents)):
            row = {name: _json(column[i], kinds[name]) for name, column in values.items()}
            row.update(id=target_id, parent_path=f"{paths.get(parent, '') if parent else ''}{target_id}/",
                       create_uid=uid, write_uid=uid, create_date=now, write_date=now)
            payload.append(row)
        names = SQL(", ").join(SQL.identifier(name) for name in [*OWN_COLUMNS, *values])
        self.env.cr.execute(SQL(
            "INSERT INTO sales_target (%s) SELECT %s FROM jsonb_populate_recordset(NULL::sales_target, %s)",
            names, names, json.dumps(payload)))
        return ids

    def _bulk_figures(self, rows, values, names):
        """The stored figures ``names`` of new rows that ``_create_bulk`` knows how to
        compute from plain values: related columns through a many2one, the currency, the
        roll-up of sub-targets (none yet) and the pacing with its light (nothing measured
        yet, as ``pacing.stored_figures`` has it for the refresh). ``{name: column}``."""
        result = {}
        n = len(rows)
        for name in names:
            field = self._fields[name]
            first = field.related and field.related.split(".")[0]
            if first and first in values and self._fields[first].type == "many2one":
                comodel = self.env[self._fields[first].comodel_name]
                by_key = {key: field.convert_to_cache(_follow(comodel.browse(key), field.related.split(".")[1:])
                                                      if key else False, self, validate=False)
                          for key in set(values[first])}
                result[name] = [by_key[key] for key in values[first]]
        if "currency_id" in names and {"plan_id", "kpi_id"} <= set(values):
            units = {kpi.id: kpi.unit for kpi in self.env["sales.target.kpi"].browse(set(values["kpi_id"]))}
            currencies = {plan.id: plan.currency_id.id for plan in self.env["sales.target.plan"].browse(
                set(values["plan_id"]))}
            result["currency_id"] = [currencies[plan] if units[kpi] == "currency" else None
                                     for plan, kpi in zip(values["plan_id"], values["kpi_id"])]
        if set(LEAF_FIGURES) <= set(names):  # new rows have no sub-targets yet
            result.update({name: [value] * n for name, value in LEAF_FIGURES.items()})
        if set(STORED_FIGURES) <= set(names) and "company_id" in result and {"kpi_id", "date_from", "date_to"} <= set(
                values):
            result.update(self._bulk_pacing(values, result["company_id"]))
        return {name: column for name, column in result.items() if name in names}

    def _bulk_pacing(self, values, company_ids):
        """The pacing figures and light of new rows (nothing measured yet), as the refresh
        stores them (``pacing.stored_figures``). ``{name: column}``."""
        companies = self.env["res.company"].browse(set(company_ids))
        todays = {c.id: c._sales_target_today() for c in companies}
        thresholds = {c.id: (c.sales_target_on_track_threshold, c.sales_target_at_risk_threshold) for c in companies}
        kpis = {kpi.id: kpi for kpi in self.env["sales.target.kpi"].browse(set(values["kpi_id"]))}
        rates = {kid for kid, kpi in kpis.items()
                 if kpi.measure in measures.MEASURES and measures.get(kpi.measure).ratio}
        targets = values.get("target_value") or [0.0] * len(company_ids)
        figures = [pacing.stored_figures(
            0.0, target or 0.0, date_from, date_to, todays[company], direction=kpis[kpi].direction or "higher",
            on_track_pct=thresholds[company][0], at_risk_pct=thresholds[company][1],
            good=kpis[kpi].threshold_good, bad=kpis[kpi].threshold_bad, rate=kpi in rates, measured=False)
            for company, kpi, target, date_from, date_to in zip(
                company_ids, values["kpi_id"], targets, values["date_from"], values["date_to"])]
        return {name: [row[name] for row in figures] for name in STORED_FIGURES}

    def _bulk_drafts_figures(self, rows, known, fields_):
        """The stored figures ``fields_`` of new rows by their compute methods, run once over
        drafts of every row. ``{name: column}``."""
        drafts = self.browse().concat(*(self.new(row) for row in rows))
        # what the drafts leave out is empty, as for records just created (see ``_create``):
        # looked up one draft at a time otherwise, through the field's default
        for field in self._fields.values():
            if field.type in ("one2many", "many2many"):
                self.env.cache.update(drafts, field, itertools.repeat(()))
            elif field.store and not field.compute and field.name not in known:
                self.env.cache.update(drafts, field, itertools.repeat(field.convert_to_cache(False, drafts[:1])))
        result = {}
        for field in fields_:
            drafts[:1][field.name]  # computes the field over all drafts
            column = list(self.env.cache.get_values(drafts, field))
            if len(column) != len(drafts):  # not computed for every draft: read one by one
                column = [field.convert_to_cache(draft[field.name], draft, validate=False) for draft in drafts]
            result[field.name] = column
        return result

    def _round_amounts(self, values):
        """Round the computed monetary columns of ``values`` to each row's currency, as
        ``create`` stores them."""
        currencies = values.get("currency_id")
        if not currencies:
            return
        roundings = {c.id: c.rounding for c in self.env["res.currency"].browse({c for c in currencies if c})}
        for name, column in values.items():
            # given amounts are stored as given; computed ones rounded, as written after create
            if self._fields[name].type != "monetary" or not self._fields[name].compute:
                continue
            values[name] = [float_round(value or 0.0, precision_rounding=roundings[currency]) if currency else value
                            for value, currency in zip(column, currencies)]


def _json(value, kind):
    """A cached value of a field of type ``kind`` as ``jsonb_populate_recordset`` reads it
    into its column."""
    if kind == "boolean":
        return bool(value)
    if value is False or value is None:
        return None
    if isinstance(value, datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, date):
        return fields.Date.to_string(value)
    return value


def _follow(record, path):
    """The value at the end of the field ``path`` (names) from ``record``, through many2ones."""
    value = record
    for name in path:
        value = value[name]
    return value
