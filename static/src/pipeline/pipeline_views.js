/** @odoo-module **/
/**
 * The CRM pipeline with the salesperson's targets above it: crm's kanban (js_class
 * crm_sales_target_kanban, set by the inherited crm.crm_case_kanban_view_leads) and the
 * opportunity list (crm_sales_target_list), each rendering SalesTargetPipelinePanel first.
 */
import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { crmKanbanView } from "@crm/views/crm_kanban/crm_kanban_view";
import { CrmKanbanRenderer } from "@crm/views/crm_kanban/crm_kanban_renderer";
import { SalesTargetPipelinePanel } from "./pipeline_panel/pipeline_panel";

const SHARE_FIELD = "sales_target_gap_share";

/** Order ``list`` (a kanban or list model's root) by the deal share, largest first. */
async function sortByShare(list) {
    if (!list.orderBy.length || list.orderBy[0].name !== SHARE_FIELD) {
        await list.sortBy(SHARE_FIELD);
    }
    if (list.orderBy[0].asc) {
        await list.sortBy(SHARE_FIELD);
    }
}

export class SalesTargetKanbanRenderer extends CrmKanbanRenderer {
    static template = "crm_sales_target.PipelineKanbanRenderer";
    static components = { ...CrmKanbanRenderer.components, SalesTargetPipelinePanel };

    sortByShare() {
        return sortByShare(this.props.list);
    }
}

export class SalesTargetListRenderer extends ListRenderer {
    static template = "crm_sales_target.PipelineListRenderer";
    static components = { ...ListRenderer.components, SalesTargetPipelinePanel };

    sortByShare() {
        return sortByShare(this.props.list);
    }
}

registry.category("views").add("crm_sales_target_kanban", {
    ...crmKanbanView,
    Renderer: SalesTargetKanbanRenderer,
});

registry.category("views").add("crm_sales_target_list", {
    ...listView,
    Renderer: SalesTargetListRenderer,
});
