/** @odoo-module **/
/**
 * The targets dashboard (CRM > Targets > Dashboard): attainment by team and by salesperson
 * for the current month, quarter and year, cumulative target against actual by month, the
 * targets at risk and a leaderboard, for one KPI at a time. All figures come from one
 * read-only call, sales.target.get_dashboard_data, made with the user's own rights.
 */
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const CHART = { width: 720, height: 240, left: 64, right: 16, top: 16, bottom: 28 };

export class SalesTargetDashboard extends Component {
    static template = "crm_sales_target.SalesTargetDashboard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, filters: {} });
        onWillStart(() => this.load({}));
    }

    async load(filters) {
        const data = await this.orm.call("sales.target", "get_dashboard_data", [filters]);
        this.state.filters = { ...data.filters };
        this.state.data = data;
    }

    get data() {
        return this.state.data;
    }

    get periodChoices() {
        return [
            ["month", _t("Month")],
            ["quarter", _t("Quarter")],
            ["year", _t("Year")],
        ];
    }

    onFilterChange(name, ev) {
        const raw = ev.target.value;
        const value = name === "period" ? raw : parseInt(raw) || false;
        const filters = { ...this.state.filters, [name]: value };
        if (name === "plan_id") {
            filters.kpi_id = false; // the KPIs of another plan
        }
        return this.load(filters);
    }

    // ---------------------------------------------------------------- formatting
    formatValue(value, humanReadable = false) {
        const kpi = this.data.kpi;
        if (value === null || value === undefined || value === false) {
            return "";
        }
        if (kpi.currency_id) {
            return formatMonetary(value, { currencyId: kpi.currency_id, humanReadable });
        }
        const digits = kpi.unit === "count" ? [16, 0] : [16, 2];
        const text = formatFloat(value, { digits, humanReadable });
        return kpi.unit === "percent" ? `${text} %` : text;
    }

    formatAttainment(cell) {
        return cell ? `${formatFloat(cell.attainment, { digits: [16, 0] })} %` : "";
    }

    barWidth(cell) {
        return cell ? Math.max(0, Math.min(100, cell.attainment)) : 0;
    }

    barClass(cell) {
        if (!cell) {
            return "";
        }
        // the light is decided by the server: the pace against the KPI's thresholds while the
        // period runs, the attainment once it is over
        return { good: "bg-success", warning: "bg-warning", bad: "bg-danger" }[cell.light] || "bg-secondary";
    }

    statusClass(status) {
        return status === "at_risk" ? "text-bg-warning" : "text-bg-danger";
    }

    // ---------------------------------------------------------------- chart (inline SVG)
    get chart() {
        const chart = this.data.chart;
        const values = [...chart.target, ...chart.actual].filter((v) => v !== null);
        const max = Math.max(1, ...values);
        const n = chart.labels.length;
        const innerW = CHART.width - CHART.left - CHART.right;
        const innerH = CHART.height - CHART.top - CHART.bottom;
        const x = (i) => CHART.left + (n > 1 ? (i * innerW) / (n - 1) : innerW / 2);
        const y = (v) => CHART.top + innerH - (v / max) * innerH;
        const points = (series) =>
            series
                .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
                .filter(Boolean)
                .join(" ");
        const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({
            y: y(max * f),
            label: this.formatValue(max * f, true),
        }));
        return {
            ...CHART,
            ticks,
            labels: chart.labels.map((label, i) => ({ x: x(i), label })),
            target: points(chart.target),
            actual: points(chart.actual),
            dots: chart.actual
                .map((v, i) => (v === null ? null : { x: x(i), y: y(v), title: this.formatValue(v) }))
                .filter(Boolean),
            right: CHART.width - CHART.right,
            bottom: CHART.height - CHART.bottom,
        };
    }

    get hasChart() {
        return this.data.chart.target.some((v) => v) || this.data.chart.actual.some((v) => v);
    }

    // ---------------------------------------------------------------- navigation
    openTarget(id) {
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "sales.target",
            res_id: id,
            views: [[false, "form"]],
        });
    }

    openTargets(field, row) {
        const domain = [
            ["kpi_id", "=", this.data.kpi.id],
            [field, "=", row.id],
            ["child_ids", "=", false],
        ];
        if (this.data.filters.plan_id) {
            domain.push(["plan_id", "=", this.data.filters.plan_id]);
        }
        return this.action.doAction({
            type: "ir.actions.act_window",
            name: row.name,
            res_model: "sales.target",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain,
            context: { search_default_running: 1 },
        });
    }
}

registry.category("actions").add("crm_sales_target.dashboard", SalesTargetDashboard);
