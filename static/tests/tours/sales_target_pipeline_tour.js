/** @odoo-module **/
/**
 * The pipeline, run by tests/test_pipeline_tour.py: a salesperson opens the CRM pipeline, sees
 * their current target above the columns and the share of their gap on their opportunity, sorts
 * by it, and finds both in the list.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_sales_target_pipeline_tour", {
    steps: () => [
        {
            content: "The panel above the columns shows the salesperson's current target",
            trigger: ".o_kanban_view .o_cst_pipeline_panel .o_cst_panel_target[data-scope=user] .o_cst_panel_kpi:contains(Ordered Revenue)",
        },
        {
            content: "with its target and its gap",
            trigger: ".o_cst_panel_target[data-scope=user]:has(.o_cst_panel_target_value:contains(6,000)) .o_cst_panel_gap:contains(6,000)",
        },
        {
            content: "and its attainment (nothing ordered yet)",
            trigger: ".o_cst_panel_target[data-scope=user]:has(.progress) .o_cst_panel_attainment:contains(0 %)",
        },
        {
            content: "The opportunity shows the share of the gap it would cover (10,000 × 30 % of 6,000)",
            trigger: ".o_kanban_record:contains(CST Pipeline Tour Deal) .o_cst_gap_share:contains(50)",
        },
        {
            content: "Sort by the largest share",
            trigger: ".o_cst_pipeline_panel .o_cst_sort_share",
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows the panel and the share",
            trigger: ".o_list_view .o_cst_pipeline_panel .o_cst_panel_target[data-scope=user]",
        },
        {
            content: "The list shows the share of the gap",
            trigger: ".o_list_view .o_data_row:contains(CST Pipeline Tour Deal) td[name=sales_target_gap_share]:contains(50.0)",
        },
    ],
});
