/** @odoo-module **/
/**
 * Adjusting a published target above the approval threshold, in three tours run by
 * tests/test_adjust_tour.py: a manager asks for 1,500.00 instead of 1,000.00 (it waits for
 * approval), another manager approves it, and the target's version history shows both values.
 */
import { registry } from "@web/core/registry";

const MODAL = ".modal:not(.o_inactive_modal)";
const LINES = `${MODAL} .o_field_widget[name=line_ids]`;

registry.category("web_tour.tours").add("crm_sales_target_adjust_request_tour", {
    steps: () => [
        {
            content: "The published target is open, read-only",
            trigger: ".o_form_view .alert-info:contains(Adjust)",
        },
        {
            content: "Click Adjust",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_adjust]",
            run: "click",
        },
        {
            content: "The wizard lists the target at its current value",
            trigger: `${LINES} .o_data_row td[name=old_value]:contains(1,000.00)`,
        },
        {
            content: "Edit the new value",
            trigger: `${LINES} .o_data_row td[name=new_value]`,
            run: "click",
        },
        {
            content: "Type 1,500",
            trigger: `${LINES} .o_data_row td[name=new_value] input`,
            run: "edit 1500",
        },
        {
            content: "Choose a reason",
            trigger: `${MODAL} .o_field_widget[name=reason_id] input`,
            run: "edit Market",
        },
        {
            content: "Market change",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Market change)",
            run: "click",
        },
        {
            content: "Justify",
            trigger: `${MODAL} .o_field_widget[name=justification] textarea`,
            run: "edit A competitor left the region.",
        },
        {
            content: "The difference is shown",
            trigger: `${LINES} .o_data_row td[name=difference]:contains(500.00)`,
        },
        {
            content: "Adjust",
            trigger: `${MODAL} .modal-footer button[name=action_apply]`,
            run: "click",
        },
        {
            content: "Above the threshold: the adjustment waits for approval",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains(To Approve)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_sales_target_adjust_approve_tour", {
    steps: () => [
        {
            content: "The adjustment waits",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(To Approve)",
        },
        {
            content: "Approve",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "It is applied",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Applied)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_sales_target_adjust_history_tour", {
    steps: () => [
        {
            content: "Open the version history",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Version History)",
            run: "click",
        },
        {
            content: "The former value",
            trigger: ".o_field_widget[name=adjustment_line_ids] .o_data_row td[name=old_value]:contains(1,000.00)",
        },
        {
            content: "The new value, and who approved it",
            trigger: ".o_field_widget[name=adjustment_line_ids] .o_data_row:has(td[name=new_value]:contains(1,500.00)):has(td[name=approver_id]:contains(CST Approver))",
        },
    ],
});
