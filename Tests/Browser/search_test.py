#!/usr/bin/env python3
"""Browser tests of the console's search page and linked bulletins (issue 18, docs/CONSOLE.md
"Search", docs/SEARCH.md).

Two real nodes (MA and DZ, linked both ways) with their indexers, a console for each, a real
headless Chromium. An officer at MA posts two bulletins through the form that name a person in
Arabic only and carry the same passport; a reader at DZ, who watches the name in Latin letters,
searches in Latin letters, finds both (the reasons shown), opens one and sees the other among its
linked bulletins, with why and the score, and finds both among their alerts. Run from the repository's root with the Python of .build/browser-venv:

    .build/browser-venv/bin/python Tests/Browser/search_test.py

Prints `ok NAME` or `FAILED NAME: why` per test, then the summary; exits 1 when a test failed.
Every wait has a deadline; every process it starts is stopped by its pid at the end.
Screenshots: docs/console/search-ar.png, search-en.png, watch-ar.png.
"""

import json
import sys
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

from console_test import (
    capture,
    BINARY,
    PASSWORD,
    REGION,
    SCREENSHOTS,
    Browser,
    Failure,
    Processes,
    check,
    fill_bulletin,
    finish,
    free_base_port,
    posted_id,
    print_log_tails,
    run,
    run_tests,
    sign_in,
    submit_post,
    wait_for_console,
    wait_for_node,
)

ARRIVAL_SECONDS = 40  # a bulletin posted at MA found by DZ's search (delivery, then indexing)
NAME_AR = "محمد بن يوسف"
NAME_LATIN = "Mohamed Ben Youssef"
ADVANCED = {
    "people": [{"name": {"arabic": NAME_AR}, "sex": "male", "role": "driver"}],
    "documents": [{"documentType": "passport", "issuingState": "MAR", "documentNumber": "QK7319524"}],
}


def hits(page):
    return page.eval_on_selector_all("#hits tr[data-id]", "rows => rows.map(r => r.getAttribute('data-id'))")


class Suite:
    def __init__(self, browser, ma, dz):
        self.browser = browser
        self.ma, self.dz = ma, dz
        self.officer = browser.context().new_page()  # MA officer, Arabic
        self.reader = browser.context().new_page()  # DZ reader: customs, AMBER; Arabic
        self.ids = []

    def a_watch(self):
        page = self.reader
        sign_in(page, self.dz, "karim")
        page.goto(f"{self.dz}/")
        with page.expect_navigation():
            page.click('nav a[href="/watch"]')
        page.select_option('form#watch-add select[name="kind"]', "name")
        page.fill('form#watch-add input[name="value"]', NAME_LATIN)
        page.fill('form#watch-add input[name="label"]', "متابعة")
        with page.expect_navigation():
            page.click('form#watch-add button[type="submit"]')
        check(page.url.endswith("/watch"), f"adding an entry went to {page.url}: {page.inner_text('main')[:300]}")
        entries = page.eval_on_selector_all("#entries tr[data-entry]", "rows => rows.map(r => r.getAttribute('data-entry'))")
        check(len(entries) == 1, f"the watch-list shows {entries}")
        self.entry = entries[0]
        check(NAME_LATIN in page.inner_text("#entries"), "the entry's value is not shown")
        # A second tab stays on the watch-list with its alerts stream open (test f).
        self.watching = page.context.new_page()
        self.watching.goto(f"{self.dz}/watch")
        self.watching.wait_for_selector("#alerts-live:not([hidden])")
        self.watching.evaluate("window.__noReload = true")

    def a_post(self):
        sign_in(self.officer, self.ma, "amina")
        for title in ("تهريب وقود قرب وجدة", "تهريب وقود ثانٍ قرب وجدة"):
            self.officer.goto(f"{self.ma}/post/fuel-smuggling")
            fill_bulletin(self.officer, title, "سائق الشاحنة يحمل جواز سفر مغربيًا.", extra={"advanced": json.dumps(ADVANCED, ensure_ascii=False)})
            submit_post(self.officer)
            self.ids.append(posted_id(self.officer))

    def b_search_in_latin(self):
        check(len(self.ids) == 2, "needs the two bulletins of test a")
        page = self.reader
        page.goto(f"{self.dz}/")
        page.click('nav a[href="/search"]')
        page.wait_for_selector("form#search")
        check(page.get_attribute("html", "dir") == "rtl", "the search page is not right to left")
        # Delivered, then indexed: searched again until both are found, within a deadline.
        deadline = time.monotonic() + ARRIVAL_SECONDS
        found = []
        while time.monotonic() < deadline:
            page.goto(f"{self.dz}/search")
            page.fill('form#search input[name="q"]', NAME_LATIN)
            with page.expect_navigation():
                page.click('form#search button[type="submit"]')
            found = hits(page)
            if set(self.ids) <= set(found):
                break
            time.sleep(1)
        check(set(self.ids) <= set(found), f"the search for {NAME_LATIN} found {found}, not {self.ids}; page: {page.inner_text('main')[:500]}")
        check(found.index(self.ids[1]) < found.index(self.ids[0]), "the results are not newest first")
        reasons = page.inner_text(f'#hits tr[data-id="{self.ids[1]}"] ul.reasons')
        check(reasons.strip() != "", "no reason is shown for the result")
        check(urllib.parse.urlsplit(page.url).path == "/search", f"the form went to {page.url}")
        capture(page, "search-ar.png", full_page=False)

    def c_linked(self):
        check(len(self.ids) == 2, "needs the two bulletins of test a")
        page = self.reader
        with page.expect_navigation():
            page.click(f'#hits tr[data-id="{self.ids[1]}"] a')
        check(page.url.endswith(f"/bulletins/{self.ids[1]}"), f"the result opened {page.url}")
        page.wait_for_selector("#linked")
        linked = page.eval_on_selector_all("#linked tr[data-id]", "rows => rows.map(r => r.getAttribute('data-id'))")
        check(self.ids[0] in linked, f"the linked bulletins are {linked}, not the first bulletin {self.ids[0]}")
        row = page.locator(f'#linked tr[data-id="{self.ids[0]}"]')
        check(row.locator("td.why").inner_text().strip() != "", "the link does not say why")
        check(row.locator("td.score").inner_text().strip() != "", "the link has no score")
        with page.expect_navigation():
            row.locator("a").click()
        check(page.url.endswith(f"/bulletins/{self.ids[0]}"), f"the link opened {page.url}")

    def d_refusals_and_english(self):
        page = self.officer
        response = page.goto(f"{self.ma}/search?from=2026-02-30")
        check(response.status == 400, f"a day that does not exist answered {response.status}")
        check(page.locator("#search-refused").count() == 1, "the refusal is not shown")
        page.goto(f"{self.ma}/settings")
        page.select_option('select[name="lang"]', "en")
        with page.expect_navigation():
            page.click('form[action="/settings"] button[type="submit"]')
        page.goto(f"{self.ma}/search?q=" + urllib.parse.quote(NAME_LATIN))
        check(page.get_attribute("html", "dir") == "ltr", "the English search page is not left to right")
        check(set(self.ids) <= set(hits(page)), f"the officer at MA does not find the bulletins: {hits(page)}")
        capture(page, "search-en.png", full_page=False)

    def f_alerts(self):
        check(len(self.ids) == 2 and getattr(self, "entry", None), "needs the entry and the two bulletins")
        # Live: both arrive on the open tab without a reload.
        live = self.watching
        for id in self.ids:
            live.wait_for_selector(f'#alerts tr[data-id="{id}"]', timeout=ARRIVAL_SECONDS * 1000)
        check(live.evaluate("window.__noReload === true"), "the watch-list tab was reloaded")
        check(live.locator("#no-alerts").count() == 0, "'no alerts' is still shown beside the alerts")
        check(NAME_AR in live.inner_text("#alerts"), "the live alert does not say why (the name as the bulletin wrote it)")
        # Each alert once, by its number (console.js skips a number already listed).
        numbers = live.eval_on_selector_all("#alerts tr[data-id]", "rows => rows.map(r => r.getAttribute('data-alert'))")
        check(all(numbers) and len(numbers) == len(set(numbers)), f"live alert rows without a number or repeated: {numbers}")
        live.close()  # done with it; the reader's tab is the one shown from here on
        page = self.reader
        deadline = time.monotonic() + ARRIVAL_SECONDS
        alerted = []
        while time.monotonic() < deadline:
            page.goto(f"{self.dz}/watch")
            alerted = page.eval_on_selector_all("#alerts tr[data-id]", "rows => rows.map(r => r.getAttribute('data-id'))")
            if set(self.ids) <= set(alerted):
                break
            time.sleep(1)
        check(set(self.ids) <= set(alerted), f"the watch page shows alerts for {alerted}, not {self.ids}")
        check(alerted.index(self.ids[1]) < alerted.index(self.ids[0]), "the alerts are not newest first")
        numbers = page.eval_on_selector_all("#alerts tr[data-id]", "rows => rows.map(r => r.getAttribute('data-alert'))")
        check(all(numbers) and len(numbers) == len(set(numbers)), f"alert rows without a number or repeated: {numbers}")
        capture(page, "watch-ar.png", full_page=False)
        with page.expect_navigation():
            page.click(f'#entries tr[data-entry="{self.entry}"] button[type="submit"]')
        check(page.locator("#entries tr[data-entry]").count() == 0, "the entry is still listed after its removal")

    def e_no_errors(self):
        errors = [e for e in self.browser.errors if "status of 400" not in e[1]]
        check(not errors, f"errors on pages: {errors[:5]}")
        check(not self.browser.dialogs, f"dialogs: {self.browser.dialogs[:3]}")


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-search-") as temporary:
        tmp = Path(temporary)
        logs = tmp / "logs"
        logs.mkdir()
        processes = Processes(logs)
        browser = None
        playwright = None
        try:
            (tmp / "region.toml").write_text(REGION)
            run(["region", "generate", "--config", str(tmp / "region.toml"), "--out", str(tmp / "region"), "--base-port", str(free_base_port())])
            for state in ("ma", "dz"):
                processes.start(f"node-{state}", ["node", "run", "--data", str(tmp / "region" / state)])
            for state in ("ma", "dz"):
                wait_for_node(tmp / "region" / state)
            users = [
                ("ma", ["--username", "amina", "--name", "أمينة ب.", "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "ar"]),
                ("dz", ["--username", "karim", "--name", "كريم ع.", "--role", "reader", "--working-groups", "customs",
                        "--tlp", "AMBER", "--agency", "law-enforcement", "--lang", "ar"]),
            ]
            for state, arguments in users:
                run(["console", "user", "add", "--console-data", str(tmp / f"console-{state}"), *arguments, "--password-stdin"], stdin=PASSWORD + "\n")
            bases = {}
            for state in ("ma", "dz"):
                process = processes.start(
                    f"console-{state}",
                    ["console", "serve", "--data", str(tmp / "region" / state), "--console-data", str(tmp / f"console-{state}"), "--port", "0"],
                )
                bases[state] = wait_for_console(process, logs / f"console-{state}.out")

            playwright = sync_playwright().start()
            browser = Browser(playwright)
            suite = Suite(browser, bases["ma"], bases["dz"])
            tests = [
                ("search a0 the DZ reader adds a name to their watch-list", suite.a_watch),
                ("search a the MA officer posts two bulletins naming a person in Arabic, with one passport", suite.a_post),
                ("search b the DZ reader finds both in Latin letters, newest first, with reasons, right to left", suite.b_search_in_latin),
                ("search c a result's page lists the other as linked, with why and the score", suite.c_linked),
                ("search d a bad day is a 400 shown on the page; the search in English, left to right", suite.d_refusals_and_english),
                ("search f both alerts arrive live on an open watch-list tab, and are on the page, newest first; the entry is removed", suite.f_alerts),
                ("search e no JavaScript error, CSP violation or dialog", suite.e_no_errors),
            ]
            run_tests(tests, passed, failed)
        except Exception as error:  # noqa: BLE001
            failed.append("setup")
            print(f"FAILED setup: {error if isinstance(error, Failure) else traceback.format_exc(limit=4)}", flush=True)
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
