#!/usr/bin/env python3
"""Browser tests of the secretariat's audit pages (issue 16, docs/CONSOLE.md "The secretariat's console").

A real collection: two nodes (MA and DZ, linked both ways) and the secretariat's own node XS in a
roster made with the command line as docs/OPERATIONS.md does; MA posts to DZ, `audit collect`
runs, DZ stops, MA posts again, `audit collect` runs again (DZ unreachable). Then
`console serve --secretariat` over that folder, and MA's node console, driven by a real headless
Chromium through Playwright. Run by `make test` and `make browser-test` after console_test.py:

    .build/browser-venv/bin/python Tests/Browser/audit_pages_test.py

Prints one `ok NAME` or `FAILED NAME: why` line per test, then "N passed, N failed"; exits 1 when a
test failed. Every wait has a deadline; every process it starts is stopped by its pid at the end.
Screenshots of the matrix, the findings and the history go to docs/console/audit-<page>-<lang>.png.
"""

import json
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from playwright.sync_api import sync_playwright

from console_test import (
    capture,
    finish,
    print_log_tails,
    run_tests,
    BINARY,
    PASSWORD,
    ROOT,
    SCREENSHOTS,
    Browser,
    Failure,
    Processes,
    check,
    free_base_port,
    raw_request,
    run,
    sign_in,
    wait_for_console,
    wait_for_node,
)

DELIVERY_SECONDS = 30  # a post at MA acknowledged by DZ

DETAILS = '{"seizures":[{"substance":"cannabis-resin","quantity":{"value":300,"unit":"kg"}}]}'


def post(data, title):
    out = run(["post", "--data", str(data), "--type", "drug-trafficking", "--lang", "fr", "--title", title,
               "--summary", "Saisie de 300 kg à Ahfir, deux interpellations.", "--severity", "high", "--details", DETAILS, "--to", "DZ"])
    for line in out.splitlines():
        if line.startswith("posted "):
            return line.split()[1]
    raise Failure(f"post printed no id: {out[-300:]}")


def acknowledged(data, recipient):
    status = wait_for_node(data)
    return next((o["acknowledged"] for o in status["outgoing"] if o["recipient"] == recipient), 0)


class Suite:
    def __init__(self, browser, sec, ma, bulletin):
        self.browser = browser
        self.sec, self.ma, self.bulletin = sec, ma, bulletin
        self.auditor = browser.context()
        self.page = self.auditor.new_page()

    def a_matrix(self):
        page = self.page
        sign_in(page, self.sec, "leila")
        check(page.url.endswith("/audit"), f"the auditor landed on {page.url}, not /audit")
        check(page.locator("html").get_attribute("dir") == "rtl", "the Arabic matrix is not right to left")
        cell = page.locator('#matrix td[data-link="MA-DZ"]')
        check(cell.count() == 1, "no MA→DZ cell in the matrix")
        check("health-amber" in (cell.get_attribute("class") or ""), f"MA→DZ is not amber: {cell.get_attribute('class')}")
        check(cell.locator(".counts").inner_text().strip() == "2 / 1 / 1", f"MA→DZ counts: {cell.inner_text()!r}")
        idle = page.locator('#matrix td[data-link="DZ-MA"]')
        check("health-idle" in (idle.get_attribute("class") or ""), "DZ→MA (no traffic) is not idle")
        # The cell links to the link's detail.
        with page.expect_navigation():
            cell.locator("a").click()
        check(page.url.endswith("/audit/links/MA/DZ"), f"the cell led to {page.url}")
        counts = page.locator("#link-counts").inner_text()
        check("2" in counts and "1" in counts, f"the link page has no counts: {counts!r}")
        page.goto(f"{self.sec}/audit")
        capture(page, "audit-matrix-ar.png", full_page=True)

    def b_findings(self):
        page = self.page
        page.goto(f"{self.sec}/audit/findings")
        page.select_option('select[name="kind"]', "pending")
        with page.expect_navigation():
            page.click('form.filters button[type="submit"]')
        check("kind=pending" in page.url, f"the filter did not apply: {page.url}")
        rows = page.locator("#reconciliation-findings tbody tr")
        check(rows.count() == 1, f"{rows.count()} pending findings, expected 1")
        check("MA→DZ" in rows.first.inner_text() and "seq 2" in rows.first.inner_text(), f"pending finding: {rows.first.inner_text()!r}")
        page.goto(f"{self.sec}/audit/findings?node=DZ&kind=unreachable")
        check("DZ did not answer" in page.locator("#reconciliation-findings").inner_text(), "DZ's unreachable finding is not listed")
        page.goto(f"{self.sec}/audit/findings")
        capture(page, "audit-findings-ar.png", full_page=True)

    def c_history(self):
        page = self.page
        page.goto(f"{self.sec}/audit/history")
        runs = page.locator("#history tbody.run")
        check(runs.count() == 2, f"{runs.count()} runs in the history, expected 2")
        newest = runs.first
        check(newest.locator("tr.outcome-unreachable").count() == 1, "the last run does not show DZ unreachable")
        check(newest.locator("tr.outcome-collected").count() == 1, "the last run does not show MA collected")
        check(runs.nth(1).locator("tr.outcome-collected").count() == 2, "the first run did not collect both")
        capture(page, "audit-history-ar.png", full_page=True)
        # The node page, in English this time.
        page.goto(f"{self.sec}/settings")
        page.select_option('select[name="lang"]', "en")
        with page.expect_navigation():
            page.click('form[action="/settings"] button[type="submit"]')
        page.goto(f"{self.sec}/audit/nodes/DZ")
        check(page.locator("html").get_attribute("dir") == "ltr", "the English node page is not left to right")
        check("unreachable" in page.locator("#node-history").inner_text(), "DZ's page does not show its failed collection")
        page.goto(f"{self.sec}/audit")
        capture(page, "audit-matrix-en.png", full_page=True)

    def d_officer_refused(self):
        context = self.browser.context()
        try:
            page = context.new_page()
            sign_in(page, self.sec, "amina")
            for path in ("/audit", "/audit/findings", "/audit/history", "/audit/nodes/MA", "/audit/links/MA/DZ", "/"):
                response = page.goto(f"{self.sec}{path}")
                check(response.status == 403, f"an officer opened {path} on the secretariat's console: {response.status}")
                check(page.locator("#matrix, #history, #collection-findings").count() == 0, f"an officer saw audit content at {path}")
        finally:
            context.close()

    def e_auditor_refused_bulletins(self):
        page = self.page
        for path in (f"/bulletins/{self.bulletin}", "/post/drug-trafficking", "/links", "/users"):
            response = page.goto(f"{self.sec}{path}")
            check(response.status == 403, f"the auditor opened {path} on the secretariat's console: {response.status}")
        # On MA's node console, where the bulletin is: the same answer as an unknown bulletin.
        context = self.browser.context()
        try:
            ma = context.new_page()
            sign_in(ma, self.ma, "leila-ma")
            response = ma.goto(f"{self.ma}/bulletins/{self.bulletin}")
            check(response.status == 404, f"the auditor opened a bulletin at MA: {response.status}")
            check("Saisie" not in ma.content(), "the bulletin's title reached the auditor")
            check(ma.goto(f"{self.ma}/").status == 403, "the auditor opened MA's feed")
            check(ma.goto(f"{self.ma}/audit").status == 404, "a node's console has audit pages")
        finally:
            context.close()
        # And without the browser: a POST to a bulletin route with the auditor's cookie is refused.
        cookies = {c["name"]: c["value"] for c in self.auditor.cookies()}
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        status, _, _ = raw_request(self.sec, "POST", "/post/drug-trafficking", cookie=cookie, form={"csrf": "x"})
        check(status == 403, f"POST /post as the auditor answered {status}")

    def f_no_errors(self):
        check(not self.browser.errors, "errors in pages:\n    " + "\n    ".join(f"{url}: {text}" for url, text in self.browser.errors))
        check(not self.browser.dialogs, f"dialogs fired: {self.browser.dialogs}")


def make_region(tmp, base):
    """secretariat init, init MA and DZ, roster add/link/sign/install: the steps of docs/OPERATIONS.md."""
    key = json.loads(run(["secretariat", "init", "--data", str(tmp / "sec"), "--json"]))["publicKey"]
    for index, state in enumerate(("MA", "DZ")):
        publish, service = f"tcp://127.0.0.1:{base + 2 * index}", f"tcp://127.0.0.1:{base + 2 * index + 1}"
        run(["init", "--state", state, "--name", f"{state.lower()}-1", "--data", str(tmp / state.lower()), "--secretariat-key", key,
             "--advertise-publish", publish, "--advertise-service", service, "--bind-publish", publish, "--bind-service", service])
        run(["roster", "add", str(tmp / state.lower() / "card.json"), "--data", str(tmp / "sec")])
    for origin, recipient in (("MA", "DZ"), ("DZ", "MA")):
        run(["roster", "link", origin, recipient, "--data", str(tmp / "sec")])
    run(["roster", "sign", "--data", str(tmp / "sec"), "--out", str(tmp / "roster.signed")])
    for state in ("ma", "dz"):
        run(["roster", "install", str(tmp / "roster.signed"), "--data", str(tmp / state)])


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-audit-browser-") as temporary:
        tmp = Path(temporary)
        logs = tmp / "logs"
        logs.mkdir()
        processes = Processes(logs)
        browser = None
        playwright = None
        try:
            make_region(tmp, free_base_port())
            for state in ("ma", "dz"):
                processes.start(f"node-{state}", ["node", "run", "--data", str(tmp / state)])
            for state in ("ma", "dz"):
                wait_for_node(tmp / state)
            bulletin = post(tmp / "ma", "Saisie de résine")
            deadline = time.monotonic() + DELIVERY_SECONDS
            while acknowledged(tmp / "ma", "DZ") < 1:
                check(time.monotonic() < deadline, f"DZ did not acknowledge MA's bulletin within {DELIVERY_SECONDS} s")
                time.sleep(0.2)
            run(["audit", "collect", "--data", str(tmp / "sec"), "--timeout-ms", "5000"], timeout=60)
            processes.stop("node-dz", 10)
            post(tmp / "ma", "Saisie de résine, suite")
            run(["audit", "collect", "--data", str(tmp / "sec"), "--timeout-ms", "2000"], timeout=60)

            users = [
                ("console-sec", ["--username", "leila", "--name", "ليلى ك.", "--role", "auditor", "--tlp", "CLEAR", "--agency", "other", "--lang", "ar"]),
                ("console-sec", ["--username", "amina", "--name", "Amina B.", "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "fr"]),
                ("console-ma", ["--username", "leila-ma", "--name", "Leila", "--role", "auditor", "--tlp", "CLEAR", "--agency", "other", "--lang", "en"]),
            ]
            for folder, arguments in users:
                run(["console", "user", "add", "--console-data", str(tmp / folder), *arguments, "--password-stdin"], stdin=PASSWORD + "\n")
            sec = processes.start(
                "console-sec", ["console", "serve", "--secretariat", str(tmp / "sec"), "--console-data", str(tmp / "console-sec"), "--port", "0"])
            sec_base = wait_for_console(sec, logs / "console-sec.out")
            ma = processes.start("console-ma", ["console", "serve", "--data", str(tmp / "ma"), "--console-data", str(tmp / "console-ma"), "--port", "0"])
            ma_base = wait_for_console(ma, logs / "console-ma.out")

            playwright = sync_playwright().start()
            browser = Browser(playwright)
            suite = Suite(browser, sec_base, ma_base, bulletin)
            tests = [
                ("audit a the auditor lands on the matrix: MA→DZ amber 2/1/1, its detail", suite.a_matrix),
                ("audit b the findings, filtered by kind and node", suite.b_findings),
                ("audit c the collection history: two runs, DZ unreachable in the last; a node page", suite.c_history),
                ("audit d an officer is refused every audit page", suite.d_officer_refused),
                ("audit e the auditor is refused every bulletin page, here and at MA", suite.e_auditor_refused_bulletins),
                ("audit f no JavaScript error, CSP violation or dialog on any page", suite.f_no_errors),
                ("audit the secretariat's console stops within 5 s of SIGTERM", lambda: processes.stop("console-sec", 5)),
            ]
            run_tests(tests, passed, failed)
        except Exception as error:  # noqa: BLE001
            failed.append("audit setup")
            print(f"FAILED audit setup: {error if isinstance(error, Failure) else traceback.format_exc(limit=4)}", flush=True)
        finally:
            if browser:
                browser.close()
            if playwright:
                playwright.stop()
            processes.stop_all()
            if failed:
                print_log_tails(logs)
    return finish(passed, failed)


if __name__ == "__main__":
    sys.exit(main())
