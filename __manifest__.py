{
    "name": "CRM Sales Targets",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Set realistic sales targets, split them, and follow them live against orders, invoices and leads",
    "author": "crm_sales_target",
    "license": "LGPL-3",
    "depends": ["crm", "sale_management", "sale_margin"],
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "data/sales_target_kpi_data.xml",
        "data/ir_cron_data.xml",
        "views/sales_target_decompose_views.xml",
        "views/sales_target_views.xml",
        "views/sales_target_plan_views.xml",
        "views/sales_target_kpi_views.xml",
        "views/sales_target_region_views.xml",
        "views/crm_team_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_sales_target/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
