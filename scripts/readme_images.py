"""Screenshots of the evaluation pack for the README, made from the demo database.

    make readme-images            (builds the demo database cst_readme, then runs this)
    python scripts/readme_images.py -c ODOO_CONF -d DATABASE [--port 8093]

Renders the pack of the demo's closed plan (last month, figures from its snapshot) in
English and in Simplified Chinese, and saves page 1 of each as a PNG under
``static/description/``. pdftoppm is not installed on every machine: the report's HTML is
shot with headless Chromium instead, its stylesheets served by an Odoo server this script
starts on ``--port`` for the time it runs.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
OUT = HERE / "static" / "description"
PLAN_XMLID = "crm_sales_target.demo_sales_plan_closed_month"
REPORT = "crm_sales_target.report_evaluation_pack"
CONCLUSION = {
    "en_US": "<p>East China beat its target on volume; the price effect shows discounts to watch next month.</p>",
    "zh_CN": "<p>华东地区靠销量超额完成目标；价格效应显示折扣偏多，下月需关注。</p>",
}


def start_server(args):
    server = subprocess.Popen(
        [sys.executable, os.path.join(os.environ.get("ODOO_SRC", "/opt/odoo-18.0"), "odoo-bin"), "-c", args.config,
         "-d", args.database, "--http-port", str(args.port), "--max-cron-threads", "0", "--log-level", "warn"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _attempt in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/web/login", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the Odoo server did not start")


def render_pages(args):
    """``{lang: HTML}`` of the demo closed plan's pack, as the admin reads it."""
    import odoo  # the script is run by Odoo's Python
    from odoo.api import Environment

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    pages = {}
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        for lang in CONCLUSION:
            if lang != "en_US":
                env["res.lang"]._activate_lang(lang)
                env["ir.module.module"]._load_module_terms(["crm_sales_target"], [lang], overwrite=True)
            lang_env = env(user=admin, context={"lang": lang})
            plan = lang_env.ref(PLAN_XMLID)
            pack = {"subject": "plan", "subject_id": plan.id, "date_from": str(plan.date_from),
                    "date_to": str(plan.date_to), "conclusion": CONCLUSION[lang]}
            html, _kind = lang_env["ir.actions.report"]._render_qweb_html(REPORT, [], data={"packs": [pack]})
            pages[lang] = html.decode()
        cr.rollback()  # the languages activated here stay out of the demo database
    return pages


def shoot(html, out, port):
    # the stylesheets are links relative to the server
    html = html.replace("<head>", f'<head><base href="http://127.0.0.1:{port}/"/>', 1)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "pack.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={tmp}/profile", "--window-size=900,1270", "--virtual-time-budget=8000",
                        f"--screenshot={out}", page.as_uri()], check=True, capture_output=True)
    print(f"wrote {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8093)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    pages = render_pages(args)
    server = start_server(args)
    try:
        for lang, html in pages.items():
            shoot(html, OUT / f"evaluation_pack_{lang}.png", args.port)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
