"""Data of the evaluation pack: the targets of a plan, a team or a salesperson over a period.

``evaluation_data`` is the one read-only provider the QWeb report renders: plain data (dicts,
lists, numbers, strings), read with the rights of the user printing (record rules apply:
a salesperson's pack holds only what they may read), and nothing written.

Which targets a pack adds up: those of the subject whose period lies within the pack's, and
among them the highest (a target whose parent is also in the pack is a part of it, see
``tools.evaluation.top_rows``). Targets of closed plans show the figures of the plan's last
snapshot (``sales.target.snapshot``), so that a reprint months later shows the same figures.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools.misc import format_date

from ..tools import evaluation, pacing, periods, svg_chart, variance

#: dimensions a pack has a table for, in this order
TABLE_DIMENSIONS = ("user_id", "product_categ_id", "region_id", "customer_type")
#: status of a group of targets: the worst of theirs
STATUS_RANK = {"missed": 5, "off_track": 4, "at_risk": 3, "not_started": 2, "on_track": 1, "achieved": 0}
ROW_FIELDS = ("plan_id", "kpi_id", "parent_id", "date_from", "date_to", "team_id", *TABLE_DIMENSIONS,
              "target_value", "actual_value", "attainment", "status", "traffic_light")


class SalesTargetEvaluation(models.AbstractModel):
    _name = "sales.target.evaluation"
    _description = "Sales Target Evaluation Pack Data"

    @api.model
    @api.readonly
    def evaluation_data(self, subject, subject_id, date_from, date_to, conclusion=""):
        """The figures of the evaluation pack of ``subject`` (``plan``, ``team`` or ``user``)
        record ``subject_id`` over ``date_from``..``date_to`` (dates or ISO strings), as plain
        data for the report template."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        record = self.env[SUBJECT_MODELS[subject]].browse(subject_id)
        record.check_access("read")
        targets = self.env["sales.target"].search(self._subject_domain(subject, subject_id, date_from, date_to))
        rows = self._target_rows(targets)
        data = {
            "subject": subject, "subject_id": record.id, "subject_name": record.display_name,
            "date_from": fields.Date.to_string(date_from), "date_to": fields.Date.to_string(date_to),
            "period": "%s – %s" % (format_date(self.env, date_from), format_date(self.env, date_to)),
            "company_id": (targets.company_id[:1] or self.env.company).id,
            "currency": (targets.company_id[:1] or self.env.company).currency_id.name,
            "frozen": any(row["frozen"] for row in rows),
            "conclusion": conclusion or "",
        }
        data["summary"] = self._summary(rows)
        headline = next((line for line in data["summary"] if line["unit"] == "currency"), None) \
            or (data["summary"][0] if data["summary"] else None)
        kpi_rows = [row for row in rows if headline and row["kpi_id"] == headline["kpi_id"]]
        data["headline"] = headline
        data["tables"] = self._dimension_tables(kpi_rows, headline)
        data["variance"] = self._variance(rows)
        data["trend"] = self._trend(kpi_rows, date_from, date_to)
        users = self._subject_users(subject, record, rows)
        data.update(self._sections(subject, record, rows, users, date_from, date_to))
        return data

    # ------------------------------------------------------------------ targets
    def _subject_domain(self, subject, subject_id, date_from, date_to):
        domain = [("date_from", ">=", date_from), ("date_to", "<=", date_to)]
        if subject == "plan":
            return [("plan_id", "=", subject_id), *domain]
        # a team's or salesperson's targets: those of plans in force or closed
        return [(SUBJECT_FIELDS[subject], "=", subject_id),
                ("plan_id.state", "in", ("published", "closed")), *domain]

    def _target_rows(self, targets):
        """One dict per target, with the figures frozen at the close for closed plans."""
        frozen = {}
        closed = targets.filtered(lambda t: t.plan_id.state == "closed")
        if closed:
            # the snapshots the user may read (a salesperson: their own); the other targets
            # of a closed plan keep the figures of the close (the refresh skips them)
            for snap in self.env["sales.target.snapshot"].search(
                    [("target_id", "in", closed.ids)], order="version desc, id desc"):
                frozen.setdefault(snap.target_id.id, snap)
        ctypes = dict(self.env["sales.target"]._fields["customer_type"]._description_selection(self.env))
        rows = []
        for target in targets:
            source = frozen.get(target.id) or target
            row = {"id": target.id, "frozen": target.plan_id.state == "closed",
                   "target_value": source.target_value, "actual_value": source.actual_value,
                   "attainment": source.attainment, "status": source.status, "parent_id": target.parent_id.id,
                   "date_from": target.date_from, "date_to": target.date_to, "kpi_id": target.kpi_id.id,
                   "plan_id": target.plan_id.id, "team_id": target.team_id.id,
                   "user_id": target.user_id.id, "product_categ_id": target.product_categ_id.id,
                   "region_id": target.region_id.id, "customer_type": target.customer_type or False,
                   "names": {"user_id": target.user_id.name, "product_categ_id": target.product_categ_id.display_name,
                             "region_id": target.region_id.name, "customer_type": ctypes.get(target.customer_type)}}
            rows.append(row)
        return rows

    def _summary(self, rows):
        """Per KPI: target, actual, attainment, status and the same period last year."""
        by_kpi = defaultdict(list)
        for row in rows:
            by_kpi[row["kpi_id"]].append(row)
        kpis = self.env["sales.target.kpi"].browse(list(by_kpi)).sorted(lambda k: (k.sequence, k.id))
        tops = {kpi.id: evaluation.top_rows(by_kpi[kpi.id]) for kpi in kpis}
        last_year = self._last_year(tops)
        statuses = dict(self.env["sales.target"]._fields["status"]._description_selection(self.env))
        lines = []
        for kpi in kpis:
            top = tops[kpi.id]
            target, actual = self._rollup(kpi, [r["target_value"] for r in top], [r["actual_value"] for r in top])
            status = max((r["status"] or "not_started" for r in top), key=STATUS_RANK.get)
            previous = last_year.get(kpi.id)
            lines.append({
                "kpi_id": kpi.id, "kpi": kpi.name, "unit": kpi.unit, "direction": kpi.direction or "higher",
                "target": target, "actual": actual, "variance": actual - target,
                "attainment": pacing.attainment(actual, target, kpi.direction or "higher"),
                "status": status, "status_label": statuses.get(status, ""),
                "last_year": previous,
                "growth": (actual - previous) / previous * 100.0 if previous else None,
                "count": len(top),
            })
        return lines

    @staticmethod
    def _rollup(kpi, targets, actuals):
        if kpi.rollup == "average":
            n = len(targets) or 1
            return sum(targets) / n, sum(actuals) / n
        return sum(targets), sum(actuals)

    def _last_year(self, tops):
        """``{kpi id: value}`` of the same targets a year earlier, measured by the engine."""
        Target = self.env["sales.target"]
        specs = Target.browse([r["id"] for rows in tops.values() for r in rows])._actuals_spec()
        for spec in specs:
            spec["date_from"], spec["date_to"] = (evaluation.last_year(spec["date_from"]),
                                                  evaluation.last_year(spec["date_to"]))
        values = Target._measure_specs(specs)
        kpis = self.env["sales.target.kpi"].browse(list(tops))
        return {kpi.id: self._rollup(kpi, [0.0], [values.get(r["id"], 0.0) for r in tops[kpi.id]])[1]
                for kpi in kpis if any(r["id"] in values for r in tops[kpi.id])}

    def _dimension_tables(self, rows, headline):
        """One table per dimension the targets use, for the headline KPI."""
        if not headline:
            return []
        kpi = self.env["sales.target.kpi"].browse(headline["kpi_id"])
        labels = {fname: self.env["sales.target"]._fields[fname].get_description(self.env)["string"]
                  for fname in TABLE_DIMENSIONS}
        lights = dict(self.env["sales.target"]._fields["traffic_light"]._description_selection(self.env))
        names = {(fname, row[fname]): row["names"][fname] for row in rows for fname in TABLE_DIMENSIONS}
        tables = []
        for fname in TABLE_DIMENSIONS:
            groups = evaluation.by_dimension(rows, fname)
            if not groups:
                continue
            lines = []
            for key, target, actual in sorted(groups, key=lambda g: (-g[1], str(names[fname, g[0]]))):
                pct = pacing.attainment(actual, target, headline["direction"])
                light = kpi._traffic_light(pct)
                lines.append({"name": names[fname, key] or "", "target": target, "actual": actual,
                              "variance": actual - target, "attainment": pct, "light": light,
                              "light_label": lights.get(light, "")})
            tables.append({"field": fname, "label": labels[fname], "lines": lines})
        return tables

    def _variance(self, rows):
        """Ordered revenue against target by product category, split into volume, price and
        mix effects (``tools.variance``). Target quantities come from the quantity targets
        by category of the pack where they exist, else from the same period last year: the
        category's target revenue at last year's average price. Actual quantities come from
        the quantity targets (frozen at the close), else are measured."""
        kpis = self.env["sales.target.kpi"].browse({row["kpi_id"] for row in rows})
        revenue = kpis.filtered(lambda k: k.measure == "ordered_revenue")[:1]
        if not revenue:
            return None
        revenue_rows = [r for r in rows if r["kpi_id"] == revenue.id]
        by_categ = evaluation.adding_rows(revenue_rows, "product_categ_id")
        if not by_categ:
            return None
        quantity = kpis.filtered(lambda k: k.measure == "quantity_sold")[:1]
        qty_rows = evaluation.adding_rows([r for r in rows if r["kpi_id"] == quantity.id], "product_categ_id") \
            if quantity else {}
        qty_kpi = quantity or self.env["sales.target.kpi"].search(
            [("measure", "=", "quantity_sold"), ("domain", "in", (False, "", "[]"))], limit=1)
        missing = [categ for categ in by_categ if categ not in qty_rows]
        measured = self._measure_quantities({c: by_categ[c] for c in missing}, revenue, qty_kpi) if missing else {}
        lines, names = [], {}
        for categ, categ_rows in by_categ.items():
            names[categ] = categ_rows[0]["names"]["product_categ_id"]
            target_revenue = sum(r["target_value"] for r in categ_rows)
            actual_revenue = sum(r["actual_value"] for r in categ_rows)
            if categ in qty_rows:
                target_qty = sum(r["target_value"] for r in qty_rows[categ])
                actual_qty = sum(r["actual_value"] for r in qty_rows[categ])
                source = "target"
            else:
                ly_qty, ly_revenue, actual_qty = measured.get(categ, (0.0, 0.0, 0.0))
                target_qty = variance.scaled_quantities(target_revenue, ly_qty, ly_revenue)
                source = "last_year"
            lines.append(variance.Line((categ, source), target_qty, target_revenue, actual_qty, actual_revenue))
        rounding = self.env.company.currency_id.rounding
        result = variance.decompose(lines, step=rounding)
        if result:
            for line in result["lines"]:
                categ, source = line["key"]
                line.update(name=names[categ], source=source)
        return result

    def _measure_quantities(self, by_categ, revenue, qty_kpi):
        """``{category: (quantity last year, revenue last year, quantity now)}`` over the
        periods and dimensions of the category's revenue targets."""
        Target = self.env["sales.target"]
        specs, owner = [], {}
        for categ, categ_rows in by_categ.items():
            for spec in Target.browse([r["id"] for r in categ_rows])._actuals_spec():
                ly = (evaluation.last_year(spec["date_from"]), evaluation.last_year(spec["date_to"]))
                for kind, kpi, period in (("ly_qty", qty_kpi, ly), ("ly_rev", revenue, ly),
                                          ("qty", qty_kpi, (spec["date_from"], spec["date_to"]))):
                    if not kpi:
                        continue
                    key = len(specs) + 1
                    specs.append({**spec, "id": key, "kpi_id": kpi.id, "date_from": period[0], "date_to": period[1]})
                    owner[key] = (categ, kind)
        values = Target._measure_specs(specs)
        sums = defaultdict(lambda: {"ly_qty": 0.0, "ly_rev": 0.0, "qty": 0.0})
        for key, (categ, kind) in owner.items():
            sums[categ][kind] += values.get(key, 0.0)
        return {categ: (s["ly_qty"], s["ly_rev"], s["qty"]) for categ, s in sums.items()}

    def _trend(self, rows, date_from, date_to):
        """Cumulative target and actual month by month (week by week in a pack of one month),
        with the chart as inline SVG."""
        tops = evaluation.top_rows(rows)
        month_list = evaluation.months(date_from, date_to)
        # a pack of one month follows it week by week
        weekly = len(month_list) < 2
        if weekly:
            month_list = periods.split(date_from, date_to, "week")
        if not tops or len(month_list) < 2:
            return None
        targets = evaluation.prorate(tops, month_list)
        Target = self.env["sales.target"]
        specs, owner = [], {}
        for spec in Target.browse([r["id"] for r in tops])._actuals_spec():
            for index, (start, end) in enumerate(month_list):
                start, end = max(start, spec["date_from"]), min(end, spec["date_to"])
                if start <= end:
                    specs.append({**spec, "id": len(specs) + 1, "date_from": start, "date_to": end})
                    owner[len(specs)] = (spec["id"], index)
        values = Target._measure_specs(specs)
        per_target = defaultdict(lambda: [0.0] * len(month_list))
        for key, (tid, index) in owner.items():
            per_target[tid][index] += values.get(key, 0.0)
        actuals = [0.0] * len(month_list)
        for row in tops:
            monthly = per_target[row["id"]]
            if row["frozen"]:
                # the shape from the documents, the total as frozen at the close
                monthly = evaluation.scale_to(monthly, row["actual_value"])
            actuals = [a + m for a, m in zip(actuals, monthly)]
        labels = [format_date(self.env, start, date_format="MMM d" if weekly else "MMM") for start, _end in month_list]
        cumulative_target, cumulative_actual = svg_chart.cumulate(targets), svg_chart.cumulate(actuals)
        return {
            "months": [{"label": label, "target": t, "actual": a}
                       for label, t, a in zip(labels, cumulative_target, cumulative_actual)],
            "svg": svg_chart.line_chart_svg(labels, cumulative_target, cumulative_actual,
                                            legend=(self.env._("Target"), self.env._("Actual"))),
        }

    def _subject_users(self, subject, record, rows):
        if subject == "user":
            return record
        if subject == "team":
            return record.member_ids
        return self.env["res.users"].browse({row["user_id"] for row in rows if row["user_id"]})

    def _sections(self, subject, record, rows, users, date_from, date_to):
        """Scorecards, adjustments, training, satisfaction, actions and risks (see
        ``sales_target_evaluation_sections.py``)."""
        return {}


#: subject -> model
SUBJECT_MODELS = {"plan": "sales.target.plan", "team": "crm.team", "user": "res.users"}
#: subject -> its field on a target
SUBJECT_FIELDS = {"plan": "plan_id", "team": "team_id", "user": "user_id"}
