#!/usr/bin/env python3
"""Browser tests of the web console (issue 16, docs/CONSOLE.md "Browser tests").

A region of two real nodes (MA and DZ, linked both ways) and a console for each, driven by a
real headless Chromium through Playwright. Run by `make test` and `make browser-test`, from the
repository's root, with the Python of .build/browser-venv:

    .build/browser-venv/bin/python Tests/Browser/console_test.py

Prints one `ok NAME` or `FAILED NAME: why` line per test, then "N passed, N failed"; exits 1 when
a test failed. Every wait has a deadline; every process it starts is stopped by its pid at the end.
Screenshots of the main pages in each language go to docs/console/<page>-<lang>.png.
"""

import base64
import http.client
import json
import os
import random
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("BORDERNET_BINARY", ROOT / ".build/debug/bordernet"))
SCREENSHOTS = ROOT / "docs/console"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

START_SECONDS = 40  # a node or console answering after it was started
ARRIVAL_MS = 30_000  # a bulletin posted at MA shown at DZ
PAGE_MS = 15_000  # one page load or element

PASSWORD = "browser-test-password-1"
REGION = """\
[region]
name = "Browser test region"
roster_valid_days = 30

[secretariat]
state = "XS"
name = "secretariat-1"

[members]
DZ = "alger-1"
MA = "rabat-1"

[links]
land = ["MA-DZ"]
"""

NOT_FOUND_AR = None  # the not-found heading, read from the first 404 page seen


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


# MARK: - Processes


class Processes:
    """Every process this run starts, stopped by pid at the end (SIGTERM, then SIGKILL)."""

    def __init__(self, logs):
        self.logs = logs
        self.started = []

    def start(self, name, arguments, stdin=None):
        out = open(self.logs / f"{name}.out", "wb")
        err = open(self.logs / f"{name}.err", "wb")
        process = subprocess.Popen(
            [str(BINARY), *arguments], cwd=ROOT, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, stdout=out, stderr=err
        )
        if stdin:
            process.stdin.write(stdin.encode())
            process.stdin.close()
        self.started.append((name, process))
        return process

    def stop(self, name, seconds):
        """SIGTERM to the process started as `name`; a Failure unless it exits within `seconds`."""
        process = next(process for started, process in self.started if started == name)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            raise Failure(f"{name} (pid {process.pid}) still runs {seconds} s after SIGTERM")
        check(process.returncode == 0, f"{name} exited with {process.returncode} after SIGTERM")

    def stop_all(self):
        for _, process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for name, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"note: {name} (pid {process.pid}) ignored SIGTERM for 10 s; killed")
                process.kill()
                process.wait(timeout=5)


def run(arguments, stdin=None, timeout=30):
    result = subprocess.run(
        [str(BINARY), *arguments], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise Failure(f"bordernet {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result.stdout


def free_base_port():
    """A base port below the ephemeral range whose next six ports (three nodes) are free."""
    for _ in range(200):
        base = random.randrange(21000, 31000, 2)
        sockets = []
        try:
            for port in range(base, base + 6):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise Failure("no six free consecutive ports")


def wait_for_node(data):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        result = subprocess.run(
            [str(BINARY), "status", "--data", str(data), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        if result.returncode == 0:
            return json.loads(result.stdout)
        time.sleep(0.2)
    raise Failure(f"the node of {data} did not answer status within {START_SECONDS} s")


def wait_for_console(process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        match = re.search(r"console listening on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
        if match:
            return match.group(1)
        if process.poll() is not None:
            raise Failure(f"the console exited with {process.returncode}: {log.with_suffix('.err').read_text()[-800:]}")
        time.sleep(0.1)
    raise Failure(f"the console printed no address within {START_SECONDS} s")


# MARK: - HTTP without the browser (CSRF, fixation)


def raw_request(base, method, path, cookie=None, form=None):
    """One request with no redirect followed: (status, headers, body)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    headers = {}
    body = None
    if cookie:
        headers["Cookie"] = cookie
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = (response.status, dict(response.getheaders()), response.read().decode(errors="replace"))
    connection.close()
    return result


# MARK: - The browser side


class Browser:
    """One Chromium; a context per person; every page watched for errors and dialogs."""

    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        self.errors = []  # (page url, text): JavaScript errors, CSP violations, failed assets
        self.dialogs = []

    def context(self):
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        context.set_default_timeout(PAGE_MS)
        context.on("page", self.watch)
        return context

    def watch(self, page):
        def console(message):
            if message.type != "error":
                return
            text = message.text
            # A page answered with 401/403/404/422 on purpose logs this for the document itself;
            # the status is checked by the test. Anything else (an asset, a script) is an error.
            location = message.location.get("url", "") if message.location else ""
            if text.startswith("Failed to load resource: the server responded with a status of") and "/assets/" not in location:
                if re.search(r"status of (401|403|404|422)", text):
                    return
            self.errors.append((page.url, f"console: {text}"))

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append((page.url, f"pageerror: {error}")))

        def dialog(d):
            self.dialogs.append((page.url, d.type, d.message))
            d.dismiss()

        page.on("dialog", dialog)

        def response(r):
            if "/assets/" in r.url and r.status != 200:
                self.errors.append((page.url, f"asset {r.url} answered {r.status}"))

        page.on("response", response)

    def close(self):
        self.browser.close()


# `console user add` gives a one-time password: the first sign-in of each person leads to
# /password, which they must replace before any other page (docs/CONSOLE.md). The new one is
# used from then on.
NEW_PASSWORD = "browser-test-password-2-chosen"
CHANGED = set()


def capture(page, name, full_page=False):
    """Saves a screenshot of `page` as docs/console/NAME for CONSOLE.md.

    The page is brought to the front first: headless Chromium may not paint a tab that another tab of
    its window covers, and the screenshot then waits until it times out (a CI run failed so). A second
    timeout is reported and skipped: the image documents the console, it is not what a test checks.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        try:
            page.bring_to_front()
            page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page, timeout=15000)
            return
        except PlaywrightTimeoutError as error:
            if attempt == 2:
                print(f"  note: screenshot {name} not refreshed: {str(error).splitlines()[0]}", file=sys.stderr)


def sign_in(page, base, username, password=None, lang=None):
    first = (base, username) not in CHANGED
    if password is None:
        password = PASSWORD if first else NEW_PASSWORD
    page.goto(f"{base}/login" + (f"?lang={lang}" if lang else ""))
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click('form[action="/login"] button[type="submit"]')
    if page.url.endswith("/password"):
        check(first, f"{username} was sent to /password after choosing a password")
        # No other page opens before the password is replaced.
        page.goto(f"{base}/")
        check(page.url.endswith("/password"), f"a one-time password opened {page.url}")
        page.fill('input[name="current"]', password)
        page.fill('input[name="new"]', NEW_PASSWORD)
        page.fill('input[name="repeat"]', NEW_PASSWORD)
        with page.expect_navigation():
            page.click('form[action="/password"] button[type="submit"]')
        CHANGED.add((base, username))


def select(page, name, value):
    page.select_option(f'[name="{name}"]', value)


def fill_bulletin(page, title_ar, summary_ar, tlp="AMBER", group="customs", volume="12000", extra=None):
    page.fill('[name="title.ar"]', title_ar)
    page.fill('[name="summary.ar"]', summary_ar)
    page.fill('[name="occurredAt"]', "2026-11-29T10:00:00+01:00")
    select(page, "location.country", "MA")
    select(page, "severity", "high")
    select(page, "tlp", tlp)
    select(page, "sourceReliability", "B")
    select(page, "informationCredibility", "2")
    select(page, "workingGroup", group)
    select(page, "d.fuelType", "diesel")
    if volume is not None:
        page.fill('[name="d.volumeLitres"]', volume)
    for name, value in (extra or {}).items():
        page.fill(f'[name="{name}"]', value)


def submit_post(page):
    with page.expect_navigation():
        page.click('form.post button[type="submit"]')


def posted_id(page):
    match = re.search(r"/bulletins/([^/?#]+)$", page.url)
    check(match, f"the post did not land on a bulletin page but on {page.url}: {page_errors(page)}")
    return urllib.parse.unquote(match.group(1))


def page_errors(page):
    return " | ".join(page.locator(".error, .field-error").all_inner_texts())[:600]


def post_bulletin(page, base, title_ar, summary_ar, **options):
    page.goto(f"{base}/post/fuel-smuggling")
    fill_bulletin(page, title_ar, summary_ar, **options)
    submit_post(page)
    return posted_id(page)


def row(id):
    return f'#bulletins tr[data-id="{id}"]'


# MARK: - The tests


def small_pdf():
    """A small valid PDF (header, objects, cross-reference table, trailer), as the node checks it."""
    pdf = b"%PDF-1.7\n"
    offsets = []
    for text in (b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"):
        offsets.append(len(pdf))
        pdf += text
    xref = len(pdf)
    table = b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return pdf + table + b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n"


def exif_gps_segment():
    """An APP1 Exif segment (big-endian TIFF) whose IFD0 names the camera ("BNCam") and points to a
    GPS directory holding a latitude (34 deg 1 min N): what a phone writes into a photo."""
    def entry(tag, kind, count, value):
        return struct.pack(">HHI", tag, kind, count) + value

    gps_directory = 8 + 2 + 12 * 2 + 4
    tiff = b"MM" + struct.pack(">HI", 42, 8)
    tiff += struct.pack(">H", 2) + entry(0x010F, 2, 4, b"BNC\0") + entry(0x8825, 4, 1, struct.pack(">I", gps_directory))
    tiff += struct.pack(">I", 0)
    rationals = gps_directory + 2 + 24 + 4
    tiff += struct.pack(">H", 2) + entry(0x0001, 2, 2, b"N\0\0\0") + entry(0x0002, 5, 3, struct.pack(">I", rationals))
    tiff += struct.pack(">I", 0) + struct.pack(">6I", 34, 1, 1, 1, 0, 1)
    data = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(data) + 2) + data


def with_exif_gps(jpeg):
    """`jpeg` (SOI, then APP0 JFIF as Chromium writes it) with the Exif GPS segment after its APP0."""
    check(jpeg[:4] == b"\xff\xd8\xff\xe0", f"not a JFIF JPEG: {jpeg[:4]!r}")
    app0_end = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:app0_end] + exif_gps_segment() + jpeg[app0_end:]


def jpeg_segments(jpeg):
    """The markers of a JPEG's segments before its scan (APPn, DQT, SOF…), in order."""
    markers, offset = [], 2
    while offset + 4 <= len(jpeg) and jpeg[offset] == 0xFF:
        marker = jpeg[offset + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        offset += 2 + struct.unpack(">H", jpeg[offset + 2:offset + 4])[0]
    return markers


def canvas_image(context, media_type):
    """A 64x48 image drawn and encoded by Chromium itself (`image/jpeg` or `image/png`)."""
    maker = context.new_page()
    try:
        data_url = maker.evaluate(
            "(type) => { const c = document.createElement('canvas'); c.width = 64; c.height = 48;"
            " const g = c.getContext('2d'); g.fillStyle = '#3a3'; g.fillRect(0, 0, 64, 48);"
            " g.fillStyle = '#a33'; g.fillRect(8, 8, 24, 16); return c.toDataURL(type, 0.9); }", media_type)
    finally:
        maker.close()
    return base64.b64decode(data_url.split(",", 1)[1])


FETCH_BYTES = """async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());
    return {status: r.status, type: r.headers.get('content-type'), body: Array.from(b)}; }"""


class Suite:
    def __init__(self, browser, ma, dz, tmp=None):
        self.browser = browser
        self.tmp = tmp  # the region's and the consoles' folders (test k reads their logs and accounts)
        self.refused_ids = []  # bulletins the DZ reader was refused by URL (test e)
        self.sentinel_id = None
        self.ma, self.dz = ma, dz
        self.officer = browser.context()  # MA officer, Arabic
        self.reader = browser.context()  # DZ reader: security, customs; AMBER; law-enforcement; Arabic
        self.dz_officer = browser.context()  # DZ officer
        self.officer_page = self.officer.new_page()
        self.reader_page = None
        self.arabic_id = None

    def a_sign_in(self):
        page = self.officer_page
        sign_in(page, self.ma, "amina")
        check(page.url == f"{self.ma}/", f"signed in, the officer is on {page.url}, not /")
        check(page.get_attribute("html", "dir") == "rtl", "the officer's pages are not dir=rtl")
        check(page.get_attribute("html", "lang") == "ar", "the officer's pages are not lang=ar")
        check(page.locator(".who bdi").inner_text() == "أمينة ب.", "the person's name is not isolated (bdi) in the bar")
        check(any(c["name"] == "__Host-bn_session" for c in self.officer.cookies()), "no session cookie after signing in")

        context = self.browser.context()
        try:
            wrong = context.new_page()
            sign_in(wrong, self.ma, "amina", password="not-the-password-at-all")
            check(wrong.url.startswith(f"{self.ma}/login"), f"a wrong password went to {wrong.url}")
            alert = wrong.locator('p.error[role="alert"]')
            check(alert.count() == 1 and alert.inner_text().strip(), "a wrong password shows no error")
            check(not any(c["name"] == "__Host-bn_session" for c in context.cookies()), "a wrong password left a session cookie")
            check(wrong.input_value('input[name="username"]') == "amina", "the username typed was not kept")
        finally:
            context.close()

    def c_before_post(self):
        """The DZ reader signs in and stays on the feed, whose live stream is open, before MA posts."""
        page = self.reader.new_page()
        sign_in(page, self.dz, "karim")
        check(page.url == f"{self.dz}/", f"the reader is on {page.url}")
        page.wait_for_selector("#live:not([hidden])")  # the EventSource is open
        page.evaluate("window.__noReload = true")
        self.reader_page = page

    def b_post_in_arabic(self):
        page = self.officer_page
        page.goto(f"{self.ma}/post")
        with page.expect_navigation():
            page.click('a[href="/post/fuel-smuggling"]')
        check(page.url.endswith("/post/fuel-smuggling"), f"choosing the type went to {page.url}")
        check(page.locator('input[name="to"][value="DZ"]').is_checked(), "DZ is not preselected as a recipient")
        self.arabic_title = "تهريب ١٢٠٠٠ لتر من المازوت قرب وجدة"
        fill_bulletin(page, self.arabic_title, "اعترضت دورية شاحنة بخزان معدَّل تنقل المازوت نحو الحدود.")
        submit_post(page)
        self.arabic_id = posted_id(page)
        check(page.locator("article.bulletin h1 bdi").first.inner_text() == self.arabic_title, "the bulletin page does not show the Arabic title")
        check(page.get_attribute("html", "dir") == "rtl", "the bulletin page is not right-to-left")

    def c_live_arrival(self):
        check(self.reader_page is not None and self.arabic_id, "needs the reader's feed and the posted bulletin")
        page = self.reader_page
        page.wait_for_selector(row(self.arabic_id), timeout=ARRIVAL_MS)
        check(page.evaluate("window.__noReload === true"), "the feed page was reloaded")
        check(page.locator(row(self.arabic_id) + " bdi").inner_text() == self.arabic_title, "the live row does not show the title")
        check(page.get_attribute("html", "dir") == "rtl", "the reader's feed is not dir=rtl")
        # The TLP colours mark the badge, not the row: a row stays readable (dark text, light ground).
        for selector in (row(self.arabic_id),):
            ground = page.eval_on_selector(selector, "tr => getComputedStyle(tr).backgroundColor")
            check(ground != "rgb(0, 0, 0)", f"the row's ground is {ground}")
        page.reload()
        ground = page.eval_on_selector(row(self.arabic_id), "tr => getComputedStyle(tr).backgroundColor")
        check(ground != "rgb(0, 0, 0)", f"the server-rendered row's ground is {ground}")
        page.evaluate("window.__noReload = true")
        direction = page.eval_on_selector("#bulletins", "table => getComputedStyle(table).direction")
        check(direction == "rtl", f"the feed table is laid out {direction}")
        first = page.locator(row(self.arabic_id) + " td").first.bounding_box()
        last = page.locator(row(self.arabic_id) + " td").last.bounding_box()
        check(first["x"] > last["x"], "the row's first cell is not on the right")

    def d_invalid_form(self):
        page = self.officer_page
        page.goto(f"{self.ma}/post/fuel-smuggling")
        title = "عنوان يجب أن يبقى بعد الرفض"
        fill_bulletin(page, title, "ملخص يبقى كذلك.", volume=None)
        # A browser without number inputs (or a person who pasted) sends letters: the server decides.
        page.eval_on_selector('[name="location.latitude"]', "input => input.type = 'text'")
        page.fill('[name="location.latitude"]', "abc")
        submit_post(page)
        check(page.url.endswith("/post/fuel-smuggling"), f"an invalid form went to {page.url}")
        check(page.locator('div.error[role="alert"]').count() == 1, "no refusal above the form")
        for name in ("location.latitude", "d.volumeLitres"):
            field = page.locator(f'.field.invalid:has([name="{name}"])')
            check(field.count() == 1, f"{name} is not marked invalid")
            check(field.locator(".field-error").inner_text().strip(), f"{name} has no error beside it")
        check(page.locator(".field.invalid").count() == 2, f"{page.locator('.field.invalid').count()} fields marked invalid, expected 2")
        check(page.input_value('[name="title.ar"]') == title, "the title typed was lost")
        check(page.input_value('[name="location.latitude"]') == "abc", "the latitude typed was lost")
        check(page.input_value('[name="summary.ar"]') == "ملخص يبقى كذلك.", "the summary typed was lost")
        check(page.input_value('[name="tlp"]') == "AMBER", "the TLP chosen was lost")
        check(page.input_value('[name="d.fuelType"]') == "diesel", "the fuel type chosen was lost")

    def e_clearance(self):
        dz_page = self.dz_officer.new_page()
        sign_in(dz_page, self.dz, "yacine")
        dz_page.wait_for_selector("#live:not([hidden])")
        page = self.officer_page
        red = post_bulletin(page, self.ma, "نشرة حمراء للضباط فقط", "محتوى لا يقرأه إلا ضباط الاتصال.", tlp="RED", group="customs")
        justice = post_bulletin(page, self.ma, "نشرة فريق العدالة", "محتوى لفريق العدالة.", tlp="GREEN", group="justice")
        sentinel = post_bulletin(page, self.ma, "نشرة جمركية بعدهما", "تصل بعد النشرتين.", tlp="GREEN", group="customs")
        self.refused_ids, self.sentinel_id = [red, justice], sentinel
        for id in (red, justice, sentinel):
            dz_page.wait_for_selector(row(id), timeout=ARRIVAL_MS)
        for id in (red, justice):
            response = dz_page.goto(f"{self.dz}/bulletins/{id}")
            check(response.status == 200, f"the DZ officer cannot open {id} ({response.status})")

        reader = self.reader_page
        reader.wait_for_selector(row(sentinel), timeout=ARRIVAL_MS)  # arrived after the two others
        for id in (red, justice):
            check(reader.locator(row(id)).count() == 0, f"{id} was pushed live to the reader")
        probe = self.reader.new_page()
        try:
            for query in ("", "?tlp=RED", "?group=justice", "?show=received"):
                probe.goto(f"{self.dz}/{query}")
                for id in (red, justice):
                    check(probe.locator(row(id)).count() == 0, f"{id} is listed for the reader at /{query}")
            probe.goto(f"{self.dz}/bulletins/{sentinel}")
            check(probe.locator("article.bulletin").count() == 1, "the reader cannot open a bulletin of their group")
            for id in (red, justice):
                response = probe.goto(f"{self.dz}/bulletins/{id}")
                check(response.status == 404, f"the reader opened {id} by URL: {response.status}")
                check(probe.locator("article.bulletin").count() == 0, f"{id} shown to the reader")
                heading = probe.locator("main h1").inner_text()
                unknown = probe.goto(f"{self.dz}/bulletins/MA-01ZZZZZZZZZZZZZZZZZZZZZZZZ")
                check(unknown.status == 404, f"an unknown bulletin answered {unknown.status}")
                check(probe.locator("main h1").inner_text() == heading, "a refused bulletin does not look like an unknown one")
        finally:
            probe.close()
            dz_page.close()

    def l_attachments(self):
        """A bulletin with a JPEG and a PDF (posted with `bordernet post --attach`, justice, GREEN):
        the DZ officer sees the photo inline and a link to the PDF, served with the file headers;
        the DZ reader (security, customs) gets neither; MA's officer sees DZ acknowledge both."""
        folder = self.tmp / "attachments"
        folder.mkdir(exist_ok=True)
        maker = self.dz_officer.new_page()
        try:
            # A real JPEG, drawn and encoded by Chromium itself.
            data_url = maker.evaluate(
                "() => { const c = document.createElement('canvas'); c.width = 64; c.height = 48;"
                " const g = c.getContext('2d'); g.fillStyle = '#c33'; g.fillRect(0, 0, 64, 48);"
                " g.fillStyle = '#33c'; g.fillRect(16, 12, 32, 24); return c.toDataURL('image/jpeg', 0.9); }")
        finally:
            maker.close()
        jpeg = base64.b64decode(data_url.split(",", 1)[1])
        (folder / "camion.jpg").write_bytes(jpeg)
        (folder / "rapport final.pdf").write_bytes(small_pdf())
        output = run([
            "post", "--data", str(self.tmp / "region" / "ma"), "--type", "fuel-smuggling", "--lang", "fr",
            "--title", "Camion-citerne avec pièces jointes", "--summary", "Photo du camion et procès-verbal.",
            "--tlp", "GREEN", "--working-group", "justice", "--to", "DZ",
            "--details", json.dumps({"fuelType": "diesel", "volumeLitres": 9000}),
            "--attach", f"{folder / 'camion.jpg'}:Le camion", "--attach", str(folder / "rapport final.pdf"), "--json",
        ])
        id = json.loads(output)["id"]
        page = self.dz_officer.new_page()
        try:
            deadline = time.monotonic() + 40
            while True:
                response = page.goto(f"{self.dz}/bulletins/{id}")
                if response.status == 200 and page.locator("li.attachment.state-complete").count() == 2:
                    break
                check(time.monotonic() < deadline, f"the attachments of {id} were not complete at DZ within 40 s ({response.status})")
                time.sleep(1)
            image = page.locator("li.attachment img")
            check(image.count() == 1, "the photo is not shown inline")
            check(image.get_attribute("alt") == "Le camion", f"the photo's alt is {image.get_attribute('alt')!r}")
            check(image.get_attribute("loading") == "lazy", "the photo is not loaded lazily")
            image.scroll_into_view_if_needed()
            page.wait_for_function("() => { const i = document.querySelector('li.attachment img'); return i && i.complete && i.naturalWidth > 0; }", timeout=10_000)
            check(page.evaluate("() => document.querySelector('li.attachment img').naturalWidth") == 64, "the photo did not decode at its width")
            link = page.locator("li.attachment a.download")
            check(link.count() == 1, "no link to the PDF")
            url = f"{self.dz}{link.get_attribute('href')}"
            # fetch() from the page: the session cookie (__Host-, Secure) goes with it as with a click.
            fetch = """async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());
                const h = {}; r.headers.forEach((v, k) => { h[k] = v; }); return {status: r.status, headers: h, body: Array.from(b)}; }"""
            pdf = page.evaluate(fetch, url)
            headers = pdf["headers"]
            check(pdf["status"] == 200, f"the PDF answered {pdf['status']}")
            served = bytes(pdf["body"])
            check(served == small_pdf(), f"the PDF served is not the one posted: {len(served)} bytes, {served[:40]!r}")
            check(headers.get("content-type") == "application/pdf", f"PDF content-type {headers.get('content-type')}")
            check(headers.get("content-disposition") == "attachment; filename=\"rapport final.pdf\"; filename*=UTF-8''rapport%20final.pdf",
                  f"PDF content-disposition {headers.get('content-disposition')}")
            check(headers.get("content-security-policy") == "default-src 'none'; sandbox", f"PDF CSP {headers.get('content-security-policy')}")
            check(headers.get("x-content-type-options") == "nosniff", "PDF without nosniff")
            check(headers.get("cache-control") == "private, no-store", f"PDF cache-control {headers.get('cache-control')}")
            check(headers.get("content-length") == str(len(small_pdf())), f"PDF content-length {headers.get('content-length')}")
            photo = page.evaluate(fetch, f"{self.dz}/bulletins/{id}/attachments/1")
            check(photo["status"] == 200 and photo["headers"].get("content-type") == "image/jpeg", "the photo is not served as image/jpeg")
            check(photo["headers"].get("content-disposition", "").startswith('inline; filename="camion.jpg"'), "the photo is not inline")
        finally:
            page.close()

        probe = self.reader.new_page()
        try:
            for number in (1, 2):
                response = probe.goto(f"{self.dz}/bulletins/{id}/attachments/{number}")
                check(response.status == 404, f"the reader got file {number}: {response.status}")
                check(response.headers.get("content-disposition") is None, f"file {number} was sent to the reader")
                check(probe.locator("main h1").count() == 1, "the reader's refusal is not the console's page")
            response = probe.goto(f"{self.dz}/bulletins/{id}")
            check(response.status == 404 and probe.locator("li.attachment").count() == 0, "the reader sees the attachments")
        finally:
            probe.close()

        own = self.officer.new_page()
        try:
            deadline = time.monotonic() + 40
            while True:
                own.goto(f"{self.ma}/bulletins/{id}")
                receipts = own.locator("ul.attachment-receipts li")
                text = receipts.first.inner_text() if receipts.count() == 1 else ""
                if "\u2068" + "2" + "\u2069" + " من " + "\u2068" + "2" + "\u2069" in text and "قيد النقل" not in text:
                    break
                check(time.monotonic() < deadline, f"MA does not show DZ's receipts for both files within 40 s: {text!r}")
                time.sleep(1)
            check("DZ" in text, f"the receipts line does not name DZ: {text!r}")
        finally:
            own.close()

    def m_uploads(self):
        """The post form's upload fields, in Arabic: a JPEG carrying Exif GPS posted with a caption is
        shown on the bulletin page, and neither the file served nor the one stored holds Exif or GPS
        (metadata removal is on by default); a PNG renamed .pdf refuses the whole post beside its
        input, in Arabic, keeps what was typed, asks for the files again, and stores nothing."""
        page = self.officer.new_page()
        try:
            jpeg = with_exif_gps(canvas_image(self.officer, "image/jpeg"))
            check(b"Exif\0\0MM" in jpeg and b"BNC\0" in jpeg and 0xE1 in jpeg_segments(jpeg), "the test photo has no Exif GPS")
            png = canvas_image(self.officer, "image/png")
            check(png[:8] == b"\x89PNG\r\n\x1a\n", "the test image is not a PNG")
            token = f"{random.randrange(16**6):06x}"

            # Refused first: a PNG renamed .pdf beside a good photo; nothing of the post is stored.
            refused_title = f"نشرة مرفوضة {token}"
            page.goto(f"{self.ma}/post/fuel-smuggling")
            check(page.get_attribute("form.post", "enctype") == "multipart/form-data", "the post form is not multipart")
            check(page.locator('input[type="file"]').count() == 4, "the form has not four file inputs")
            check(not page.is_checked('[name="keepMetadata"]'), "keeping the photos' metadata is ticked by default")
            check(page.input_value('[name="captionLang"]') == "ar", "the caption language is not the officer's")
            fill_bulletin(page, refused_title, "ملخص مع ملفين.")
            page.set_input_files('[name="file.1"]', files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg}])
            page.fill('[name="caption.1"]', "صورة سليمة")
            page.set_input_files('[name="file.2"]', files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": png}])
            page.fill('[name="caption.2"]', "محضر ممسوح")
            submit_post(page)
            check(page.url.endswith("/post/fuel-smuggling"), f"a PNG named .pdf was posted: {page.url}")
            error = page.locator("#upload-2 .field-error")
            check(error.count() == 1, f"no refusal beside the second file: {page_errors(page)}")
            text = error.inner_text()
            for words in ("اسم الملف يدلّ على", "PDF", "PNG", "scan.pdf"):
                check(words in text, f"the refusal beside the file does not say {words!r}: {text!r}")
            check(page.locator("#upload-1.invalid").count() == 0, "the good photo is marked refused")
            check(page.get_attribute('[name="file.2"]', "aria-invalid") == "true", "the refused file input is not aria-invalid")
            check(page.get_attribute('[name="caption.2"]', "aria-invalid") is None, "the caption of the refused file is marked invalid")
            check(page.locator(".files-lost").count() == 1, "the page does not ask for the files again")
            check(page.input_value('[name="title.ar"]') == refused_title, "the title typed was lost")
            check(page.input_value('[name="caption.2"]') == "محضر ممسوح", "the caption typed was lost")
            check(page.locator('div.error[role="alert"]').count() == 1, "no refusal above the form")
            page.locator("#uploads").screenshot(path=str(SCREENSHOTS / "post-files-refused-ar.png"))
            page.goto(f"{self.ma}/?" + urllib.parse.urlencode({"q": token}))
            check(page.locator("#bulletins tr[data-id]").count() == 0, "the refused post was stored")

            # Accepted: the photo with its caption, metadata removed.
            title = f"شاحنة مصوَّرة {token}"
            caption = "الشاحنة عند المعبر"
            reopened = page.goto(f"{self.ma}/post/fuel-smuggling")
            check(reopened.status == 200, "the post form did not open again")
            fill_bulletin(page, title, "صورة الشاحنة مرفقة.")
            page.set_input_files('[name="file.1"]', files=[{"name": "camion gps.jpg", "mimeType": "image/jpeg", "buffer": jpeg}])
            page.fill('[name="caption.1"]', caption)
            submit_post(page)
            id = posted_id(page)
            image = page.locator("li.attachment img")
            check(image.count() == 1, "the bulletin page does not show the photo")
            check(image.get_attribute("alt") == caption, f"the photo's alt is {image.get_attribute('alt')!r}")
            check(page.locator("li.attachment .file-name").inner_text() == "camion gps.jpg", "the file name shown is not the one chosen")
            image.scroll_into_view_if_needed()
            page.wait_for_function(
                "() => { const i = document.querySelector('li.attachment img'); return i && i.complete && i.naturalWidth > 0; }",
                timeout=10_000)
            check(page.evaluate("() => document.querySelector('li.attachment img').naturalWidth") == 64, "the photo did not decode")
            served = page.evaluate(FETCH_BYTES, f"{self.ma}/bulletins/{id}/attachments/1")
            check(served["status"] == 200 and served["type"] == "image/jpeg", f"the photo answered {served['status']} {served['type']}")
            body = bytes(served["body"])
            check(body[:2] == b"\xff\xd8" and len(body) < len(jpeg), f"the photo served is {len(body)} bytes, posted {len(jpeg)}")
            for marker in (b"Exif", b"BNC\0", b"MM\0*"):
                check(marker not in body, f"the photo served still holds {marker!r}")
            check(0xE1 not in jpeg_segments(body), f"the photo served still has an APP1 segment: {jpeg_segments(body)}")
            stored_path = self.tmp / f"stored-{token}.jpg"
            run(["attachment", "get", id, "1", "--out", str(stored_path), "--data", str(self.tmp / "region" / "ma")])
            stored = stored_path.read_bytes()
            check(stored == body, "the file stored is not the one served")
            page.goto(f"{self.ma}/?" + urllib.parse.urlencode({"q": token}))
            rows = page.locator("#bulletins tr[data-id]")
            check(rows.count() == 1 and rows.first.get_attribute("data-id") == id,
                  f"the feed search by the token finds {rows.count()} bulletins, not the one posted")
        finally:
            page.close()

    def f_inert_text(self):
        page = self.officer_page
        # The last two escape per-character HTML escaping: a quote or angle bracket joined to a
        # combining mark (U+0301) or after a prepend mark (U+0600) is one grapheme cluster.
        markup_title = 'عنوان <script>alert(1)</script> <img src=x onerror=alert(2)> "\u0301 autofocus x="y \u0600<b>\u0301BOLD'
        markup_summary = 'ملخص <img src=x onerror=alert(2)> و <script>alert(1)</script>'
        page.goto(f"{self.ma}/post/fuel-smuggling")
        fill_bulletin(page, "عنوان \u202emaerts\u202c مقلوب", markup_summary)
        submit_post(page)
        check(page.url.endswith("/post/fuel-smuggling"), f"a title with U+202E was accepted: {page.url}")
        check(page.locator('div.error[role="alert"]').count() == 1, "the refusal of U+202E is not shown")
        check(page.locator('.field.invalid:has([name="title.ar"]) .field-error').count() == 1, "the U+202E refusal is not beside the title")
        check("\u202e" in page.input_value('[name="title.ar"]'), "the refused title was not kept")

        page.fill('[name="title.ar"]', markup_title)
        submit_post(page)
        id = posted_id(page)
        check(page.locator("article.bulletin h1 bdi").first.inner_text() == markup_title, "MA does not show the title as text")

        reader = self.reader_page
        reader.wait_for_selector(row(id), timeout=ARRIVAL_MS)
        check(reader.locator(row(id) + " bdi").inner_text() == markup_title, "the live row does not show the markup as text")
        reader.reload()
        check(reader.locator(row(id) + " bdi").inner_text() == markup_title, "the feed does not show the markup as text")
        with reader.expect_navigation():
            reader.click(row(id) + " a")
        check(reader.locator("article.bulletin h1 bdi").first.inner_text() == markup_title, "the bulletin page does not show the title as text")
        check(markup_summary in reader.locator("section.summary p").first.inner_text(), "the summary is not shown as text")
        for view in (reader, page):
            scripts = view.eval_on_selector_all("script", "all => all.map(s => s.getAttribute('src'))")
            check(scripts == ["/assets/console.js"], f"script elements on {view.url}: {scripts}")
            check(view.locator("img").count() == 0, f"an img element on {view.url}")
            check(view.locator("main b").count() == 0, f"a b element from the text on {view.url}")
            check(view.locator("[autofocus], [x]").count() == 0, f"an attribute from the text on {view.url}")
        check(not self.browser.dialogs, f"dialogs fired: {self.browser.dialogs}")

    def g_csrf_and_fixation(self):
        cookie = next(c for c in self.officer.cookies() if c["name"] == "__Host-bn_session")
        session = f"__Host-bn_session={cookie['value']}"
        form = {"title.ar": "لا يجب أن تُرسل", "occurredAt": "2026-11-29T10:00:00+01:00", "location.country": "MA", "tlp": "GREEN"}
        for path in ("/post/fuel-smuggling", "/logout", "/settings"):
            for token in (None, "A" * 43, ""):
                fields = dict(form, lang="fr") if token is None else dict(form, csrf=token, lang="fr")
                status, _, _ = raw_request(self.ma, "POST", path, cookie=session, form=fields)
                check(status == 403, f"POST {path} with csrf={token!r} answered {status}, not 403")
        status, _, body = raw_request(self.ma, "GET", "/", cookie=session)
        check(status == 200 and 'lang="ar"' in body, f"the session did not survive the refused posts ({status})")

        context = self.browser.context()
        try:
            fixed = "FixedByAnAttacker" + "x" * 26
            # Host-only (no Domain attribute), Secure, path /: what a __Host- cookie must be.
            context.add_cookies([{"name": "__Host-bn_session", "value": fixed, "domain": "127.0.0.1", "path": "/", "secure": True}])
            page = context.new_page()
            sign_in(page, self.dz, "yacine")
            check(page.url == f"{self.dz}/", f"signing in with a planted cookie went to {page.url}")
            values = [c["value"] for c in context.cookies() if c["name"] == "__Host-bn_session"]
            check(values and fixed not in values, f"the planted session cookie was kept: {values}")
            status, headers, _ = raw_request(self.dz, "GET", "/", cookie=f"__Host-bn_session={fixed}")
            check(status == 303 and headers.get("Location", headers.get("location")) == "/login", f"the planted cookie was accepted: {status}")
            # And the browser's new session works while the planted one does not.
            status, _, _ = raw_request(self.dz, "GET", "/", cookie=f"__Host-bn_session={values[0]}")
            check(status == 200, f"the session made at sign-in answered {status}")
            # Signing in again replaces the session: the earlier token no longer opens pages.
            sign_in(page, self.dz, "yacine")
            renewed = [c["value"] for c in context.cookies() if c["name"] == "__Host-bn_session"]
            check(renewed and renewed[0] != values[0], "signing in again kept the session token")
        finally:
            context.close()

    def i_screenshots(self):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page = self.officer_page
        anonymous = self.browser.context()
        try:
            login = anonymous.new_page()
            for lang in ("ar", "fr", "en"):
                self.set_language(page, lang)
                check(page.get_attribute("html", "lang") == lang, f"the settings did not switch to {lang}")
                check(page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr"), f"{lang} pages have the wrong direction")
                login.goto(f"{self.ma}/login?lang={lang}")
                check(login.get_attribute("html", "lang") == lang, f"the sign-in page in {lang} says lang={login.get_attribute('html', 'lang')}")
                capture(login, f"sign-in-{lang}.png")
                for name, path in (("feed", "/"), ("bulletin", f"/bulletins/{self.arabic_id}"), ("post", "/post/fuel-smuggling")):
                    response = page.goto(self.ma + path)
                    check(response.status == 200, f"{path} in {lang} answered {response.status}")
                    capture(page, f"{name}-{lang}.png")
        finally:
            anonymous.close()
            self.set_language(page, "ar")

    def set_language(self, page, lang):
        page.goto(f"{self.ma}/settings")
        select(page, "lang", lang)
        with page.expect_navigation():
            page.click('form[action="/settings"] button[type="submit"]')

    def stop_consoles(self, processes):
        self.reader_page.goto(f"{self.dz}/")
        self.reader_page.wait_for_selector("#live:not([hidden])")  # the EventSource is open
        self.officer_page.goto(f"{self.ma}/")
        self.officer_page.wait_for_selector("#live:not([hidden])")
        for name in ("console-dz", "console-ma"):
            processes.stop(name, 5)

    def j_operator(self):
        context = self.browser.context()
        try:
            page = context.new_page()
            sign_in(page, self.ma, "omar")
            check(page.url.endswith("/links"), f"the operator landed on {page.url}, not /links")
            check(page.locator("table.links").count() == 2, "the links page has no outgoing and incoming tables")
            check("DZ" in page.locator("table.links").first.inner_text(), "the link to DZ is not listed")
            response = page.goto(f"{self.ma}/bulletins/{self.arabic_id}")
            check(response.status == 404, f"the operator opened a bulletin: {response.status}")
            page.goto(f"{self.ma}/users")
            page.fill('form[action="/users"] input[name="username"]', "salma")
            page.fill('form[action="/users"] input[name="name"]', "سلمى ق.")
            page.select_option('form[action="/users"] select[name="role"]', "reader")
            page.check('form[action="/users"] input[name="groups"][value="customs"]')
            page.select_option('form[action="/users"] select[name="tlp"]', "GREEN")
            with page.expect_navigation():
                page.click('form[action="/users"] button[type="submit"]')
            check(page.locator(".notice code").count() == 1, "no one-time password shown for the new user")
            check("salma" in page.locator("table.users").inner_text(), "the new user is not listed")
        finally:
            context.close()
        # An officer is not an operator.
        response = self.officer_page.goto(f"{self.ma}/users")
        check(response.status == 403, f"an officer opened /users: {response.status}")
        self.officer_page.goto(f"{self.ma}/")

    def k_access_records(self):
        """The sign-ins and openings of tests a and e are in the nodes' audit logs, as metadata."""
        check(self.tmp is not None and self.sentinel_id and self.refused_ids, "needs tests a and e")
        region = self.tmp / "region"

        def account(state, username):
            users = json.loads(run(["console", "user", "list", "--console-data", str(self.tmp / f"console-{state}"), "--json"]))
            return next(user["id"] for user in users if user["username"] == username)

        def records(state, wanted):
            """The consoleAccess events of `state`'s log once every wanted one is there (15 s deadline)."""
            deadline = time.monotonic() + 15
            while True:
                output = run(["audit", "entries", "--data", str(region / state), "--kind", "consoleAccess", "--last", "5000", "--json"])
                events = [entry["event"] for entry in json.loads(output)]
                missing = [want for want in wanted if not any(all(event.get(k) == v for k, v in want.items()) for event in events)]
                if not missing:
                    return output, events
                if time.monotonic() > deadline:
                    raise Failure(f"not in {state}'s audit log after 15 s: {missing}; it holds {events[-12:]}")
                time.sleep(0.3)

        karim, amina = account("dz", "karim"), account("ma", "amina")
        red, justice = self.refused_ids
        dz_output, _ = records("dz", [
            {"account": karim, "role": "reader", "action": "signIn", "outcome": "succeeded"},
            {"account": karim, "action": "openBulletin", "outcome": "succeeded", "reference": self.sentinel_id},
            {"account": karim, "action": "openBulletin", "outcome": "refused", "reference": red},
            {"account": karim, "action": "openBulletin", "outcome": "refused", "reference": justice},
            {"account": karim, "action": "openBulletin", "outcome": "notFound", "reference": "MA-01ZZZZZZZZZZZZZZZZZZZZZZZZ"},
        ])
        ma_output, _ = records("ma", [
            {"account": amina, "role": "officer", "action": "signIn", "outcome": "succeeded"},
            {"account": amina, "role": "officer", "action": "signIn", "outcome": "refused"},  # test a's wrong password
        ])
        # Metadata only: no username, no password, no title.
        for output in (dz_output, ma_output):
            for text in ("karim", "amina", PASSWORD, "not-the-password-at-all", "نشرة"):
                check(text not in output, f"the audit log holds {text!r}")
        text = run(["audit", "entries", "--data", str(region / "dz"), "--kind", "consoleAccess", "--last", "5000"])
        check(f'"outcome":"refused","reference":"{red}"' in text, f"audit entries does not show the refused opening: {text[-600:]}")
        for state in ("dz", "ma"):
            check("intact" in run(["audit", "verify", "--data", str(region / state)]), f"{state}'s audit log does not verify")
        # (The secretariat's collection and report of these entries: NodeTests/ConsoleAccessRegionTests;
        # the region generated here has no secretariat node to collect with.)

    def h_no_errors(self):
        check(not self.browser.errors, "errors in pages:\n    " + "\n    ".join(f"{url}: {text}" for url, text in self.browser.errors))
        check(not self.browser.dialogs, f"dialogs fired: {self.browser.dialogs}")


# MARK: - Running a file's tests (shared by every browser test file)


def run_tests(tests, passed, failed):
    """Runs each (name, test) in order and prints `ok NAME (S s)` or `FAILED NAME: why`; a failure
    is recorded in `failed` and the next test still runs."""
    for name, test in tests:
        started = time.monotonic()
        try:
            test()
            passed.append(name)
            print(f"ok {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception as error:  # noqa: BLE001 — every failure is reported, the run goes on
            failed.append(name)
            detail = str(error) if isinstance(error, Failure) else traceback.format_exc(limit=3)
            print(f"FAILED {name}: {detail}", flush=True)


def print_log_tails(logs):
    """The last 15 lines of each process log in `logs`, after a failure."""
    for log in sorted(logs.iterdir()):
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        if tail:
            print(f"--- {log.name} (last lines) ---")
            print("\n".join(tail))


def finish(passed, failed, label=""):
    """Prints the file's summary (`make test` repeats the FAILED lines) and returns its exit status."""
    print(f"{label}{len(passed)} passed, {len(failed)} failed")
    if failed:
        print("failed: " + "; ".join(failed))
    return 1 if failed else 0


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-browser-") as temporary:
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
                ("dz", ["--username", "karim", "--name", "كريم ع.", "--role", "reader", "--working-groups", "security,customs",
                        "--tlp", "AMBER", "--agency", "law-enforcement", "--lang", "ar"]),
                ("dz", ["--username", "yacine", "--name", "Yacine M.", "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "fr"]),
                ("ma", ["--username", "omar", "--name", "Omar Operator", "--role", "operator", "--tlp", "CLEAR", "--agency", "other", "--lang", "en"]),
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
            suite = Suite(browser, bases["ma"], bases["dz"], tmp)
            tests = [
                ("a sign-in with password; a wrong password refused", suite.a_sign_in),
                ("c (before the post) the DZ reader is on the live feed", suite.c_before_post),
                ("b an officer posts in Arabic through the form", suite.b_post_in_arabic),
                ("c the DZ reader sees it arrive live, right-to-left", suite.c_live_arrival),
                ("d an invalid form shows field errors and keeps what was typed", suite.d_invalid_form),
                ("i screenshots of the main pages in ar, fr, en", suite.i_screenshots),
                ("e a reader cannot open TLP:RED or another group's bulletin", suite.e_clearance),
                ("f markup and bidi overrides in text are inert", suite.f_inert_text),
                ("l attachments: a photo inline, a PDF served with its headers, nothing to a reader without clearance", suite.l_attachments),
                ("m the post form's files: a photo posted without its Exif GPS; a PNG named .pdf refused beside its input, nothing stored", suite.m_uploads),
                ("g CSRF and session fixation refused", suite.g_csrf_and_fixation),
                ("j the operator sees links and manages users, and no bulletin", suite.j_operator),
                ("k sign-ins and bulletins opened or refused are in the nodes' audit logs", suite.k_access_records),
                ("h no JavaScript error, CSP violation or dialog on any page", suite.h_no_errors),
                # Last: the consoles stop while the reader's live feed is still open.
                ("consoles stop within 5 s of SIGTERM with a live feed open", lambda: suite.stop_consoles(processes)),
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
