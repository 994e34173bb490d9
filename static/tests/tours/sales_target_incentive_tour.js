/** @odoo-module **/
/**
 * Incentives, run by tests/test_incentive_tour.py: from the incentive plan, a manager computes
 * the statements of the closed January and opens the salesperson's statement.
 */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("crm_sales_target_incentive_tour", {
    steps: () => [
        {
            content: "The incentive plan is open: compute its statements",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_open_compute]",
            run: "click",
        },
        {
            content: "The wizard proposes the plan's closed period",
            trigger: ".modal .o_field_widget[name=plan_id]",
        },
        {
            content: "Compute",
            trigger: ".modal .modal-footer button[name=action_compute]",
            run: "click",
        },
        {
            content: "The statement of the period is listed: open it",
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row td[name=user_id]:contains(CST Tour Rep)",
            run: "click",
        },
        {
            content: "Its line shows the tier and the amount from the frozen figures",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row:has(td[name=tier_label]:contains(80 % – 110 %)) td[name=amount]:contains(180.00)",
        },
    ],
});
