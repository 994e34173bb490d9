/** @odoo-module **/
/**
 * The salesperson's current targets above the CRM pipeline (kanban and list): target, actual,
 * attainment bar, gap (or surplus), needed run-rate, status and the coverage of the gap by the
 * weighted open pipeline. Data from sales.target.get_pipeline_panel (read-only, replica-safe).
 */
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { useService } from "@web/core/utils/hooks";

const STATUS_CLASSES = {
    not_started: "text-bg-secondary",
    on_track: "text-bg-success",
    achieved: "text-bg-success",
    at_risk: "text-bg-warning",
    off_track: "text-bg-danger",
    missed: "text-bg-danger",
};

export class SalesTargetPipelinePanel extends Component {
    static template = "crm_sales_target.PipelinePanel";
    static props = { onSortByShare: { type: Function, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ targets: [], folded: false, loaded: false });
        onWillStart(() => this.load());
    }

    async load() {
        const data = await this.orm.call("sales.target", "get_pipeline_panel", []);
        this.state.targets = data.targets;
        this.state.loaded = true;
    }

    format(target, value) {
        if (target.unit === "currency" && target.currency_id) {
            return formatMonetary(value, { currencyId: target.currency_id, digits: [16, 0] });
        }
        const text = formatFloat(value, { digits: [16, target.unit === "count" ? 0 : 1] });
        return target.unit === "percent" ? `${text} %` : text;
    }

    percent(value) {
        return `${formatFloat(value, { digits: [16, 0] })} %`;
    }

    period(target) {
        return `${formatDate(deserializeDate(target.date_from))} – ${formatDate(deserializeDate(target.date_to))}`;
    }

    barWidth(target) {
        return Math.max(0, Math.min(100, target.attainment || 0));
    }

    barClass(target) {
        if ((target.attainment || 0) >= 100) {
            return "bg-success";
        }
        return {
            at_risk: "bg-warning", off_track: "bg-danger", missed: "bg-danger", not_started: "bg-secondary",
        }[target.status] || "bg-success";
    }

    statusClass(target) {
        return STATUS_CLASSES[target.status] || "text-bg-secondary";
    }

    scopeLabel(target) {
        return target.scope === "user" ? _t("My target") : _t("Team: %(team)s", { team: target.team });
    }

    get title() {
        return _t("My current targets");
    }

    toggle() {
        this.state.folded = !this.state.folded;
    }

    openTarget(target) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "sales.target",
            res_id: target.id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}
