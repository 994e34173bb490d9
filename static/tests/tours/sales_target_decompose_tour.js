/** @odoo-module **/
/**
 * Decomposes the one quarterly target of a draft plan by salesperson × month, the months
 * weighted by seasonality, checks the preview (6 lines adding up to 900.00) and applies it.
 * The plan, its team (two salespeople) and the 900.00 target are made by
 * tests/test_tour.py, which then checks the sub-targets that were stored.
 */
import { registry } from "@web/core/registry";

// keep in sync with PLAN_NAME in tests/test_tour.py
const PLAN_NAME = "CST Decompose Tour Plan";
const MODAL = ".modal:not(.o_inactive_modal)";

function select(field, value) {
    return {
        content: `Set ${field} to ${value}`,
        trigger: `${MODAL} .o_field_widget[name=${field}] select`,
        run: `select "${value}"`,
    };
}

function checkSelected(field, value) {
    return {
        content: `${field} is ${value}`,
        trigger: `${MODAL} .o_field_widget[name=${field}] select:has(option[value='"${value}"']:selected)`,
    };
}

function expectCount(selector, count, what) {
    return {
        content: `${count} ${what}`,
        trigger: selector,
        run() {
            const found = document.querySelectorAll(selector).length;
            if (found !== count) {
                throw new Error(`Expected ${count} ${what}, found ${found}`);
            }
        },
    };
}

registry.category("web_tour.tours").add("crm_sales_target_decompose_tour", {
    url: "/odoo/action-crm_sales_target.sales_target_plan_action",
    steps: () => [
        // ---- find and open the plan
        {
            content: "Wait for the list of plans",
            trigger: ".o_list_view",
        },
        {
            content: "Search the plan by its name",
            trigger: ".o_searchview_input",
            run: `edit ${PLAN_NAME}`,
        },
        {
            content: "Search by name",
            trigger: `.o_searchview_autocomplete .o_menu_item:contains(${PLAN_NAME}):first`,
            run: "click",
        },
        {
            content: "The search is applied",
            trigger: `.o_searchview_facet:contains(${PLAN_NAME})`,
        },
        {
            content: "Open the plan",
            trigger: `.o_list_view .o_data_row td[name=name]:contains(${PLAN_NAME})`,
            run: "click",
        },
        {
            content: "The plan is open",
            trigger: `.o_form_view .o_breadcrumb .active:contains(${PLAN_NAME})`,
        },
        // ---- open the wizard
        {
            content: "Click Decompose",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Decompose)",
            run: "click",
        },
        {
            content: "The wizard shows the plan's target",
            trigger: `${MODAL} .o_field_widget[name=target_ids] .o_tag`,
        },
        // ---- salesperson × month, seasonality along the months
        select("dimension_1", "user"),
        checkSelected("dimension_1", "user"),
        select("method_1", "history"),
        checkSelected("method_1", "history"),
        select("dimension_2", "period"),
        checkSelected("dimension_2", "period"),
        select("method_2", "seasonality"),
        checkSelected("method_2", "seasonality"),
        select("period_unit", "month"),
        checkSelected("period_unit", "month"),
        {
            content: "Preview",
            trigger: `${MODAL} .modal-footer button[name=action_preview]:contains(Preview)`,
            run: "click",
        },
        // ---- the preview
        {
            content: "The preview total is the target's value",
            trigger: `${MODAL} .o_decompose_preview_total:contains(900.00)`,
        },
        {
            content: "The months were weighted by the team's seasonality (not the even fallback)",
            trigger: `${MODAL} .o_field_widget[name=chart_html]:contains(monthly seasonality indices)`,
        },
        {
            content: "The grid shows salespeople × months and the grand total",
            trigger: `${MODAL} .o_field_widget[name=grid_html] .o_decompose_grand_total:contains(900.00)`,
        },
        {
            content: "The preview lists its lines",
            trigger: `${MODAL} .o_decompose_lines .o_data_row`,
        },
        expectCount(`${MODAL} .o_decompose_lines .o_data_row`, 6, "preview lines (2 salespeople × 3 months)"),
        {
            content: "Apply",
            trigger: `${MODAL} .modal-footer button[name=action_apply]:contains(Apply)`,
            run: "click",
        },
        // ---- the sub-targets
        {
            content: "A notification tells how many sub-targets were created",
            trigger: ".o_notification:contains(6 sub-targets created)",
        },
        {
            content: "The wizard is closed and the new sub-targets are listed",
            trigger: "body:not(:has(.modal)) .o_breadcrumb .active:contains(Sales Targets)",
        },
        {
            content: "The list of sub-targets is loaded",
            trigger: ".o_action_manager .o_view_controller.o_list_view .o_data_row:eq(5)",
        },
        expectCount(".o_action_manager .o_view_controller.o_list_view .o_data_row", 6, "sub-targets"),
    ],
});
