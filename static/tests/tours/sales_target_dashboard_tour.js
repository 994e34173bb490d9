/** @odoo-module **/
/**
 * The manager opens the targets dashboard, chooses the plan made by
 * tests/test_dashboard_tour.py and reads the team, the salespeople, the chart, the
 * leaderboard and the targets at risk; then opens the plan grouped by team.
 */
import { registry } from "@web/core/registry";

// keep in sync with tests/test_dashboard_tour.py
const PLAN_NAME = "CST Dashboard Tour Plan";
const TEAM_NAME = "CST Dashboard Tour Team";

registry.category("web_tour.tours").add("crm_sales_target_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard is loaded",
            trigger: ".o_cst_dashboard .o_cst_filter_plan",
        },
        {
            content: "Choose the tour's plan",
            trigger: `.o_cst_dashboard .o_cst_filter_plan:has(option:contains(${PLAN_NAME}))`,
            run() {
                const select = document.querySelector(".o_cst_dashboard .o_cst_filter_plan");
                const option = [...select.options].find((o) => o.textContent.trim() === PLAN_NAME);
                select.value = option.value;
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "The team reaches 75 % this month: 3,000 of 4,000",
            trigger: `.o_cst_dashboard_teams .o_cst_dashboard_row:contains(${TEAM_NAME}) td[data-period=month] .o_cst_attainment:contains(75 %)`,
        },
        {
            content: "Each salesperson on their own line",
            trigger: ".o_cst_dashboard_users .o_cst_dashboard_row:contains(CST Dashboard Rep A) td[data-period=month] .o_cst_attainment:contains(50 %)",
        },
        {
            content: "The cumulative chart draws the actual",
            trigger: ".o_cst_dashboard_chart svg polyline.o_cst_chart_actual",
        },
        {
            content: "Rep B leads the board",
            trigger: ".o_cst_dashboard_leaderboard .o_cst_leader:first:contains(CST Dashboard Rep B)",
        },
        {
            content: "Open the target at risk",
            trigger: ".o_cst_dashboard_at_risk .o_cst_at_risk_row a:contains(CST Dashboard Rep A)",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_field_widget[name=user_id]:contains(CST Dashboard Rep A)",
        },
    ],
});

registry.category("web_tour.tours").add("crm_sales_target_plan_by_team_tour", {
    steps: () => [
        {
            content: "Open the plan's targets by team",
            trigger: ".o_form_view .o_notebook .nav-link:contains(By Team)",
            run: "click",
        },
        {
            content: "The summary names the team, its salespeople and their totals",
            trigger: `.o_cst_plan_summary tr:contains(${TEAM_NAME}):contains(4,000.00)`,
        },
        {
            content: "Open the targets grouped by team",
            trigger: ".o_form_view .o_notebook button[name=action_view_targets_by_team]",
            run: "click",
        },
        {
            content: "Grouped by team",
            trigger: `.o_list_view .o_group_header:contains(${TEAM_NAME})`,
        },
    ],
});
