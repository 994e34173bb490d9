"""Screenshots of the web client for the README, made from the demo database.

    make readme-screens           (builds the demo database cst_readme, then runs this)
    python scripts/readme_screens.py -c ODOO_CONF -d DATABASE [--port 8094]

Starts an Odoo server on ``--port`` (the server of ``readme_images.py``) and drives headless
Chromium over the DevTools protocol: it logs in as each user, opens a page, waits for the
elements that show real figures, and saves a PNG under ``static/description/``:

- ``dashboard.png``: the targets dashboard, as the manager (admin);
- ``pipeline.png``: the CRM pipeline of the salesperson east.rep1, the target panel above it;
- ``plan_by_team.png``: the demo plan's form on its *By Team* tab, as the manager;
- ``decompose_grid.png``: the decomposition preview of a team's yearly target into
  salesperson × month, the grid and the seasonality chart, as the manager;
- ``dashboard_zh_CN.png``: the dashboard again, the manager reading Simplified Chinese.

Before the server starts, the script adds to the demo database what the pictures need and the
demo lacks: Simplified Chinese, and a draft plan of next year with the East China team's
yearly target (the demo's plans are published: their targets are changed by adjustments, not
decomposed), and the decomposition wizard over it. A JavaScript error, an error dialog or an
element that does not show stops the script.
"""

import argparse
import base64
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

import websocket  # in the venv (Odoo's requirements)
from readme_images import OUT, start_server  # scripts/ is the script's folder

WIDTH, HEIGHT, MAX_HEIGHT = 1400, 900, 2400
MANAGER = ("admin", "admin")
SALESPERSON = ("east.rep1", "demo")
DEMO_PLAN = "crm_sales_target.demo_sales_plan"
DEMO_TEAM = "crm_sales_target.demo_team_east"
KPI = "crm_sales_target.kpi_ordered_revenue"
DASHBOARD = "/odoo/action-crm_sales_target.sales_target_dashboard_action"
PIPELINE = "/odoo/action-crm.crm_lead_action_pipeline"
PLAN_FORM = "/odoo/action-crm_sales_target.sales_target_plan_action/%d"
ERROR_DIALOG = ".o_error_dialog, .o_dialog_error, .modal .alert-danger"


# ---------------------------------------------------------------------- the demo database
def prepare(args):
    """Adds Simplified Chinese and next year's draft plan with its decomposition wizard to
    the demo database; returns the ids of the demo plan, the draft plan and the wizard."""
    import odoo  # the script is run by Odoo's Python
    from odoo.api import Environment

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = Environment(cr, odoo.SUPERUSER_ID, {"lang": "en_US"})
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
        admin = env.ref("base.user_admin")
        admin.tour_enabled = False
        demo_plan = env.ref(DEMO_PLAN)
        team, kpi = env.ref(DEMO_TEAM), env.ref(KPI)
        year = demo_plan.date_from.year + 1
        # next year's target: this year's targets of the team's salespeople, plus 12 % (rounded)
        this_year = demo_plan.target_ids.filtered(lambda t: t.kpi_id == kpi and t.team_id == team and t.user_id)
        value = round(sum(this_year.mapped("target_value")) * 1.12, -4)
        manager_env = env(user=admin)
        plan = manager_env["sales.target.plan"].create({
            "name": f"Sales Plan {year} – East China (draft)", "horizon": "mid",
            "date_from": date(year, 1, 1), "date_to": date(year, 12, 31)})
        target = manager_env["sales.target"].create({
            "plan_id": plan.id, "kpi_id": kpi.id, "team_id": team.id,
            "date_from": plan.date_from, "date_to": plan.date_to, "target_value": value})
        # salespeople by their history, months by the team's seasonality, rounded to 1,000;
        # the 24 months before the target hold every month of the demo's history once
        wizard = manager_env["sales.target.decompose"].with_context(
            active_model="sales.target", active_ids=target.ids).create({
                "dimension_1": "user", "method_1": "history", "dimension_2": "period", "method_2": "seasonality",
                "period_unit": "month", "rounding_step": "1000", "history_months": 24})
        cr.commit()
        return {"plan": demo_plan.id, "draft_plan": plan.id, "wizard": wizard.id}


# ---------------------------------------------------------------------- the browser
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Headless Chromium driven over the DevTools protocol (one tab)."""

    def __init__(self, base_url, database):
        self.base_url, self.database = base_url, database
        self.profile = tempfile.TemporaryDirectory()
        port = free_port()
        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--hide-scrollbars", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={self.profile.name}", f"--remote-debugging-port={port}",
             f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tabs = None
        for _attempt in range(100):
            try:
                tabs = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2))
                break
            except OSError:
                time.sleep(0.2)
        if not tabs:
            self.close()
            raise SystemExit("Chromium did not start")
        tab = next(t for t in tabs if t["type"] == "page")
        self.ws = websocket.create_connection(tab["webSocketDebuggerUrl"], suppress_origin=True, timeout=120)
        self.count, self.errors = 0, []
        self.cmd("Page.enable")
        self.cmd("Runtime.enable")
        self.resize(HEIGHT)

    def close(self):
        self.process.kill()
        self.process.wait()
        self.profile.cleanup()

    def cmd(self, method, **params):
        self.count += 1
        self.ws.send(json.dumps({"id": self.count, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Runtime.exceptionThrown":
                details = msg["params"]["exceptionDetails"]
                self.errors.append(details.get("exception", {}).get("description") or details.get("text"))
            if msg.get("id") == self.count:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def js(self, expression):
        """The value of a JavaScript expression (promises awaited)."""
        result = self.cmd("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:200]}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait(self, expression, what, timeout=60):
        """Polls until the JavaScript ``expression`` is true; stops on a JS error or error dialog."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check()
            if self.js(f"!!({expression})"):
                return
            time.sleep(0.2)
        failed = Path(tempfile.gettempdir()) / "readme_screens_failed.png"
        self.shoot(failed)
        raise SystemExit(f"timed out waiting for {what} (the page as it was: {failed})")

    def wait_for(self, selector, what=None, timeout=60):
        self.wait(f"document.querySelector({json.dumps(selector)})", what or selector, timeout)

    def check(self):
        if self.errors:
            raise SystemExit("JavaScript error in the page: " + "\n".join(self.errors))
        if self.js(f"document.querySelector({json.dumps(ERROR_DIALOG)})"):
            text = self.js(f"document.querySelector({json.dumps(ERROR_DIALOG)}).innerText")
            raise SystemExit(f"error dialog in the page: {text[:1000]}")

    def login(self, login, password):
        self.goto("/web/login", ready="document.readyState === 'complete'")
        reply = self.js(
            "fetch('/web/session/authenticate', {method: 'POST', headers: {'Content-Type': 'application/json'}, "
            "body: JSON.stringify({jsonrpc: '2.0', params: %s})}).then(r => r.json())"
            % json.dumps({"db": self.database, "login": login, "password": password}))
        if not reply or "error" in reply:
            raise SystemExit(f"could not log in as {login}: {reply}")
        return reply["result"]["uid"]

    def rpc(self, model, method, args, kwargs=None):
        reply = self.js(
            "fetch('/web/dataset/call_kw', {method: 'POST', headers: {'Content-Type': 'application/json'}, "
            "body: JSON.stringify({jsonrpc: '2.0', params: %s})}).then(r => r.json())"
            % json.dumps({"model": model, "method": method, "args": args, "kwargs": kwargs or {}}))
        if "error" in reply:
            raise SystemExit(f"{model}.{method}: {reply['error']}")
        return reply["result"]

    def goto(self, path, ready="document.querySelector('.o_action_manager .o_action')"):
        self.resize(HEIGHT)
        self.cmd("Page.navigate", url=self.base_url + path)
        self.wait(ready, f"{path} to load")

    def resize(self, height):
        self.cmd("Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False)

    def fit(self, within=None):
        """Makes the window tall enough for the page's (or ``within``'s) scrolling element to show whole."""
        extra = self.js(
            f"(() => {{ const root = {json.dumps(within)} ? document.querySelector({json.dumps(within)}) : document; "
            "const els = root === document ? [...root.querySelectorAll('*')] : [root, ...root.querySelectorAll('*')]; "
            "let most = 0; for (const el of els) { "
            "const overflow = getComputedStyle(el).overflowY; if (overflow === 'auto' || overflow === 'scroll') "
            "most = Math.max(most, el.scrollHeight - el.clientHeight); "
            "} return most; })()")
        if extra > 0:
            self.resize(min(HEIGHT + extra, MAX_HEIGHT))

    def show_down_to(self, scroller, selector, margin=0):
        """Makes the window tall enough for ``scroller`` to show down to ``selector``'s bottom."""
        extra = self.js(
            f"(() => {{ const box = document.querySelector({json.dumps(scroller)}).getBoundingClientRect(); "
            f"const el = document.querySelector({json.dumps(selector)}).getBoundingClientRect(); "
            f"return Math.ceil(el.bottom + {int(margin)} - box.bottom); }})()")
        if extra > 0:
            self.resize(min(HEIGHT + extra, MAX_HEIGHT))

    def settle(self):
        """Waits for the fonts and two frames to be painted (after a resize, say)."""
        self.js("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => "
                "requestAnimationFrame(() => r(true)))))")

    def click_text(self, selector, text):
        found = self.js(
            f"(() => {{ const el = [...document.querySelectorAll({json.dumps(selector)})]"
            f".find(e => e.textContent.trim() === {json.dumps(text)}); if (el) el.click(); return !!el; }})()")
        if not found:
            raise SystemExit(f"no {selector} reading {text!r}")

    def shoot(self, path):
        self.settle()
        data = self.cmd("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        print(f"wrote {path}")


# ---------------------------------------------------------------------- the pictures
def dashboard(browser, name):
    browser.goto(DASHBOARD)
    browser.wait_for(".o_cst_dashboard_teams .o_cst_dashboard_row .o_cst_attainment", "the teams' attainment")
    browser.wait_for(".o_cst_dashboard_users .o_cst_dashboard_row .o_cst_attainment", "the salespeople")
    browser.wait_for(".o_cst_dashboard_chart svg polyline.o_cst_chart_actual", "the chart")
    browser.wait_for(".o_cst_dashboard_leaderboard .o_cst_leader", "the leaderboard")
    browser.fit()
    browser.shoot(OUT / name)


def pipeline(browser):
    browser.goto(PIPELINE)
    browser.wait_for(".o_cst_pipeline_panel .o_cst_panel_target .o_cst_panel_attainment", "the target panel")
    browser.wait_for(".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)", "the opportunities")
    browser.shoot(OUT / "pipeline.png")


def plan_by_team(browser, plan_id):
    browser.goto(PLAN_FORM % plan_id)
    browser.wait_for(".o_form_view .o_notebook .nav-link", "the plan's tabs")
    browser.click_text(".o_form_view .o_notebook .nav-link", "By Team")
    browser.wait_for(".o_notebook .tab-pane.active table tr", "the targets by team")
    browser.fit()
    browser.shoot(OUT / "plan_by_team.png")


def decompose_grid(browser, plan_id, wizard_id):
    browser.goto(PLAN_FORM % plan_id)  # the wizard opens over the draft plan it decomposes
    browser.wait_for(".o_form_view .o_notebook", "the draft plan")
    browser.js("odoo.__WOWL_DEBUG__.root.env.services.action.doAction({type: 'ir.actions.act_window', "
               f"res_model: 'sales.target.decompose', res_id: {int(wizard_id)}, views: [[false, 'form']], "
               "target: 'new', context: {dialog_size: 'extra-large'}}), true")  # as sales_target_decompose_action
    browser.wait_for(".modal button[name=action_preview]", "the wizard")
    browser.js("document.querySelector('.modal button[name=action_preview]').click(), true")
    browser.wait_for(".modal .o_decompose_grid_field table .o_decompose_grand_total", "the grid")
    browser.wait_for(".modal .o_field_widget[name=chart_html] svg rect", "the seasonality chart")
    browser.wait_for(".modal .o_decompose_lines .o_data_row", "the lines")
    # the grid, the chart, the legend and the first lines of the preview
    browser.show_down_to(".modal .modal-body", ".modal .o_decompose_lines .o_data_row:nth-child(3)")
    browser.shoot(OUT / "decompose_grid.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8094)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ids = prepare(args)
    server = start_server(args)
    browser = None
    try:
        browser = Browser(f"http://127.0.0.1:{args.port}", args.database)
        browser.login(*SALESPERSON)
        pipeline(browser)
        uid = browser.login(*MANAGER)
        dashboard(browser, "dashboard.png")
        plan_by_team(browser, ids["plan"])
        decompose_grid(browser, ids["draft_plan"], ids["wizard"])
        browser.rpc("res.users", "write", [[uid], {"lang": "zh_CN"}])
        dashboard(browser, "dashboard_zh_CN.png")
        browser.check()
    finally:
        if browser:
            browser.close()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
