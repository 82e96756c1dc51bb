#!/usr/bin/env python3
"""Browser test of the console's second factor (issue 16, docs/CONSOLE.md "The second factor").

A real node (a region of two, MA started) and its console, driven by a real headless Chromium
through Playwright, with Chromium's virtual authenticator (CDP `WebAuthn.enable`,
`WebAuthn.addVirtualAuthenticator`: CTAP2 over USB, no resident key, user verification) standing
in for a security key. It registers a key on /security (recovery codes are shown once), signs in
with password and key, shows that a recovery code works once, that an authenticator whose counter
went back (a clone) is refused, that new recovery codes and removing a key take the password again
(a session alone is refused), that removing the key leaves the password alone, and that an
operator resets the second factor of a person who lost their key (with their own password again;
the person's session ends; the console logs it).

Run from the repository's root with the Python of .build/browser-venv (Playwright pinned in
Tests/Browser/requirements.txt; `playwright install` is never run: Debian's /usr/bin/chromium):

    .build/browser-venv/bin/python Tests/Browser/webauthn_test.py

Prints `ok NAME` or `FAILED NAME: why` per test, then "N passed, N failed"; exits 1 when a test
failed. Every wait has a deadline; every process it starts is stopped by its pid at the end.
"""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs

from playwright.sync_api import sync_playwright

from console_test import Failure, check, finish, print_log_tails, run_tests

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("BORDERNET_BINARY", ROOT / ".build/debug/bordernet"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
START_SECONDS = 40
PAGE_MS = 15_000
PASSWORD = "browser-test-password-1"
REGION = """\
[region]
name = "WebAuthn browser test region"
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


class Processes:
    """Every process this run starts, stopped by pid at the end (SIGTERM, then SIGKILL)."""

    def __init__(self, logs):
        self.logs = logs
        self.started = []

    def start(self, name, arguments):
        out = open(self.logs / f"{name}.out", "wb")
        err = open(self.logs / f"{name}.err", "wb")
        process = subprocess.Popen([str(BINARY), *arguments], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        self.started.append((name, process))
        return process

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
    result = subprocess.run([str(BINARY), *arguments], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise Failure(f"bordernet {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result.stdout


def free_base_port():
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
        result = subprocess.run([str(BINARY), "status", "--data", str(data), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        if result.returncode == 0:
            return json.loads(result.stdout)
        time.sleep(0.2)
    raise Failure(f"the node of {data} did not answer status within {START_SECONDS} s")


def wait_for_console(process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        match = re.search(r"console listening on http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        if process.poll() is not None:
            raise Failure(f"the console exited with {process.returncode}: {log.with_suffix('.err').read_text()[-800:]}")
        time.sleep(0.1)
    raise Failure(f"the console printed no address within {START_SECONDS} s")


class Suite:
    """One person (amina, an officer at MA) in one browser context with a virtual authenticator."""

    def __init__(self, browser, base):
        self.base = base  # http://localhost:PORT: browsers refuse an IP address as RP ID
        self.errors = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.set_default_timeout(PAGE_MS)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

        def console(message):
            if message.type == "error" and not re.search(r"status of (401|403|404|422)", message.text):
                self.errors.append(f"console: {message.text}")

        self.page.on("console", console)
        # BORDERNET_WEBAUTHN_CAPTURE=DIR: keep what Chromium's authenticator sent (registrations and
        # sign-ins, as the forms post them) for the fuzz seeds (Fuzz/seeds.py; docs/FUZZING.md).
        self.captured = 0
        capture = os.environ.get("BORDERNET_WEBAUTHN_CAPTURE")
        if capture:
            self.page.on("request", lambda request: self.capture(request, Path(capture)))
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("WebAuthn.enable")
        self.authenticator = self.cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "usb",
                    "hasResidentKey": False,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )["authenticatorId"]
        self.codes = []
        self.password = PASSWORD

    def capture(self, request, folder):
        path = request.url.split("?")[0]
        if request.method != "POST" or not (path.endswith("/security/keys") or path.endswith("/login/key")):
            return
        fields = {k: v[0] for k, v in parse_qs(request.post_data or "").items() if k not in ("csrf", "name")}
        if "clientDataJSON" not in fields or not fields["clientDataJSON"]:
            return
        folder.mkdir(parents=True, exist_ok=True)
        self.captured += 1
        kind = "registration" if path.endswith("/security/keys") else "assertion"
        (folder / f"chromium-{kind}-{self.captured}.json").write_text(json.dumps(fields, indent=1, sort_keys=True) + "\n")

    def credentials(self):
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.authenticator})["credentials"]

    def has_session(self):
        return any(c["name"] == "__Host-bn_session" and c["value"] for c in self.context.cookies())

    def password_step(self):
        page = self.page
        page.goto(f"{self.base}/login")
        page.fill('input[name="username"]', "amina")
        page.fill('input[name="password"]', self.password)
        with page.expect_navigation():
            page.click('form[action="/login"] button[type="submit"]')

    def sign_out(self):
        page = self.page
        if page.locator('form[action="/logout"] button').count():
            with page.expect_navigation():
                page.click('form[action="/logout"] button')
        self.context.clear_cookies()

    def a_register_key(self):
        page = self.page
        self.password_step()
        if page.url == f"{self.base}/password":
            # `console user add` gives a one-time password: choose one first.
            page.fill('input[name="current"]', self.password)
            page.fill('input[name="new"]', "second browser-test password")
            page.fill('input[name="repeat"]', "second browser-test password")
            with page.expect_navigation():
                page.click('form[action="/password"] button[type="submit"]')
            self.password = "second browser-test password"
        check(page.url == f"{self.base}/", f"without a key the password alone signs in; at {page.url}")
        page.goto(f"{self.base}/security")
        check(page.locator("#webauthn-create").count() == 1, "the security page offers no key registration at localhost")
        # A session alone cannot register a key: a wrong password is refused and nothing is added.
        page.fill('#webauthn-create input[name="name"]', "clé volée")
        page.fill('#webauthn-create input[name="password"]', "not the password")
        with page.expect_navigation():
            page.click("#add-key")
        check(page.locator("#recovery-codes li").count() == 0, "a key registered with a wrong password showed recovery codes")
        check(page.locator("#keys").count() == 0, "a key is listed after a registration with a wrong password")
        # The browser's ceremony ran before the server refused: forget the authenticator's copy.
        self.cdp.send("WebAuthn.clearCredentials", {"authenticatorId": self.authenticator})
        page.goto(f"{self.base}/security")
        page.fill('#webauthn-create input[name="name"]', "clé bleue")
        page.fill('#webauthn-create input[name="password"]', self.password)
        with page.expect_navigation():
            page.click("#add-key")
        codes = page.locator("#recovery-codes li").all_inner_texts()
        check(len(codes) == 10, f"the first key did not show 10 recovery codes: {page.url} {page.locator('main').inner_text()[:300]}")
        check(all(re.fullmatch(r"[0-9a-z]{4}(-[0-9a-z]{4}){3}", c.strip()) for c in codes), f"recovery codes look wrong: {codes}")
        self.codes = [c.strip() for c in codes]
        stored = self.credentials()
        check(len(stored) == 1 and not stored[0]["isResidentCredential"], f"the virtual authenticator holds {stored}")
        page.goto(f"{self.base}/security")
        rows = page.locator("#keys tbody tr")
        check(rows.count() == 1 and "clé bleue" in rows.first.inner_text(), "the key is not listed on /security")
        check(page.locator(".count").inner_text().strip() == "10", "10 unused codes are not shown")
        # Shown once: the codes are nowhere on the page now.
        check(not any(code in page.content() for code in self.codes), "a recovery code is shown again")

    def b_sign_in_with_key(self):
        page = self.page
        self.sign_out()
        self.password_step()
        check(page.url == f"{self.base}/login/key", f"the password led to {page.url}, not the key step")
        check(not self.has_session(), "a session cookie exists before the key was used")
        # The half-signed-in cookie opens no page.
        page.goto(f"{self.base}/")
        check(page.url.startswith(f"{self.base}/login"), f"the feed opened before the key: {page.url}")
        page.goto(f"{self.base}/login/key")
        before = self.credentials()[0]["signCount"]
        with page.expect_navigation():
            page.click("#use-key")
        check(page.url == f"{self.base}/", f"the key did not sign in: {page.url} {page.locator('main').inner_text()[:200]}")
        check(self.has_session(), "no session cookie after the key")
        check(self.credentials()[0]["signCount"] > before, "the authenticator's counter did not move")
        page.goto(f"{self.base}/security")
        check("never" not in page.locator("#keys tbody tr").first.inner_text().lower(), "the key's last use is not recorded")

    def c_recovery_code_once(self):
        page = self.page
        for attempt, code in enumerate([self.codes[0], self.codes[0], self.codes[1]]):
            if attempt != 2:
                self.sign_out()
                self.password_step()
            check(page.url in (f"{self.base}/login/key", f"{self.base}/login/recovery"), f"not at the key step: {page.url}")
            page.fill('#recovery input[name="code"]', code.upper())
            with page.expect_navigation():
                page.click('#recovery button[type="submit"]')
            if attempt == 1:
                # The refusal is the key step again, answered to the form's POST.
                check(page.url == f"{self.base}/login/recovery", f"a used recovery code was accepted: {page.url}")
                check(page.locator("p.error:visible").count() >= 1, "no error for a used recovery code")
                check(not self.has_session(), "a used recovery code gave a session")
            else:
                check(page.url == f"{self.base}/", f"recovery code {attempt} did not sign in: {page.url}")
                check(self.has_session(), "no session after a recovery code")
        page.goto(f"{self.base}/security")
        check(page.locator(".count").inner_text().strip() == "8", "two used codes are not counted")

    def d_clone_refused(self):
        """The same key with its counter set back (as a copy of it would be) is refused."""
        page = self.page
        credential = self.credentials()[0]
        self.cdp.send("WebAuthn.removeCredential", {"authenticatorId": self.authenticator, "credentialId": credential["credentialId"]})
        clone = dict(credential)
        clone["signCount"] = 0
        self.cdp.send("WebAuthn.addCredential", {"authenticatorId": self.authenticator, "credential": clone})
        self.sign_out()
        self.password_step()
        with page.expect_navigation():
            page.click("#use-key")
        check(page.url == f"{self.base}/login/key", f"a key whose counter went back signed in: {page.url}")
        check(page.locator("p.error:visible").count() >= 1 and not self.has_session(), "the clone was not refused with an error")
        # The genuine counter again: accepted.
        self.cdp.send("WebAuthn.removeCredential", {"authenticatorId": self.authenticator, "credentialId": credential["credentialId"]})
        credential["signCount"] = credential["signCount"] + 10
        self.cdp.send("WebAuthn.addCredential", {"authenticatorId": self.authenticator, "credential": credential})
        with page.expect_navigation():
            page.click("#use-key")
        check(page.url == f"{self.base}/", f"the key with a higher counter was refused: {page.url}")

    def h_new_codes_need_the_password(self):
        """New recovery codes are made only after the password is typed again: a stolen session
        alone cannot replace them."""
        page = self.page
        page.goto(f"{self.base}/security")
        left = page.locator(".count").inner_text().strip()
        page.fill('#new-codes input[name="password"]', "not my password at all")
        with page.expect_navigation():
            page.click('#new-codes button[type="submit"]')
        check(page.locator("#recovery-codes").count() == 0, "a wrong password made new recovery codes")
        check(page.locator("p.error:visible").count() == 1, "no error for a wrong password")
        check(page.locator(".count").inner_text().strip() == left, "the unused codes changed after a wrong password")
        # Without the field at all (a forged POST with the session's CSRF token): refused too.
        csrf = page.locator('#new-codes input[name="csrf"]').input_value()
        response = page.request.post(f"{self.base}/security/recovery", form={"csrf": csrf})
        check(response.status == 422 and 'id="recovery-codes"' not in response.text(), f"a POST without password answered {response.status}")
        page.goto(f"{self.base}/security")
        page.fill('#new-codes input[name="password"]', self.password)
        with page.expect_navigation():
            page.click('#new-codes button[type="submit"]')
        codes = [c.strip() for c in page.locator("#recovery-codes li").all_inner_texts()]
        check(len(codes) == 10 and not set(codes) & set(self.codes), f"the password did not make ten new codes: {codes}")
        self.codes = codes
        page.goto(f"{self.base}/security")
        check(page.locator(".count").inner_text().strip() == "10", "ten unused codes are not shown after renewal")

    def e_remove_key(self):
        """Removing a key asks for the password again."""
        page = self.page
        page.goto(f"{self.base}/security")
        form = 'form[action="/security/keys/remove"]'
        page.fill(f'{form} input[name="password"]', "not my password at all")
        with page.expect_navigation():
            page.click(f"{form} button")
        check(page.locator("#keys tbody tr").count() == 1, "a wrong password removed the key")
        check(page.locator("p.error:visible").count() == 1, "no error for a wrong password")
        key_id = page.locator(f'{form} input[name="id"]').input_value()
        csrf = page.locator(f'{form} input[name="csrf"]').input_value()
        response = page.request.post(f"{self.base}/security/keys/remove", form={"csrf": csrf, "id": key_id})
        check(response.status == 422, f"a POST without password answered {response.status}")
        page.goto(f"{self.base}/security")
        check(page.locator("#keys tbody tr").count() == 1, "a POST without password removed the key")
        page.fill(f'{form} input[name="password"]', self.password)
        with page.expect_navigation():
            page.click(f"{form} button")
        check(page.locator("#keys").count() == 0, "the key is still listed after removal")
        self.sign_out()
        self.password_step()
        check(page.url == f"{self.base}/", f"without keys the password alone should sign in: {page.url}")

    def i_operator_reset(self, browser, console_log):
        """An operator resets the second factor of a person who lost their key, after typing
        their own password again: keys and codes gone, the person's session ended, logged."""
        page = self.page
        page.goto(f"{self.base}/security")
        page.fill('#webauthn-create input[name="name"]', "spare key")
        page.fill('#webauthn-create input[name="password"]', self.password)
        with page.expect_navigation():
            page.click("#add-key")
        page.goto(f"{self.base}/security")
        check(page.locator("#keys tbody tr").count() == 1, "the spare key was not registered")
        context = browser.new_context()
        context.set_default_timeout(PAGE_MS)
        operator = context.new_page()
        try:
            operator.goto(f"{self.base}/login")
            operator.fill('input[name="username"]', "omar")
            operator.fill('input[name="password"]', PASSWORD)
            with operator.expect_navigation():
                operator.click('form[action="/login"] button[type="submit"]')
            if operator.url.endswith("/password"):
                operator.fill('input[name="current"]', PASSWORD)
                operator.fill('input[name="new"]', "omar's own passphrase")
                operator.fill('input[name="repeat"]', "omar's own passphrase")
                with operator.expect_navigation():
                    operator.click('form[action="/password"] button[type="submit"]')
            operator.goto(f"{self.base}/users")
            row = operator.locator("table.users tbody tr", has_text="amina")
            check(row.locator("td.keys").inner_text().strip() == "1", f"the users page does not show amina's key: {row.inner_text()}")
            row.locator('.reset-second-factor input[name="password"]').fill("not omar's password")
            with operator.expect_navigation():
                row.locator(".reset-second-factor button").click()
            check(operator.locator("p.error:visible").count() == 1, "no error for the operator's wrong password")
            row = operator.locator("table.users tbody tr", has_text="amina")
            check(row.locator("td.keys").inner_text().strip() == "1", "a wrong operator password reset amina's keys")
            row.locator('.reset-second-factor input[name="password"]').fill("omar's own passphrase")
            with operator.expect_navigation():
                row.locator(".reset-second-factor button").click()
            check("amina" in operator.locator("#reset-done").inner_text(), "no notice of the reset")
            row = operator.locator("table.users tbody tr", has_text="amina")
            check(row.locator("td.keys").inner_text().strip() == "0", "amina's keys are still counted")
            check(row.locator(".reset-second-factor").count() == 0, "the reset is still offered with nothing to reset")
        finally:
            context.close()
        # Amina's session has ended; her password alone signs her in; no key, no code left.
        page.goto(f"{self.base}/security")
        check(page.url.startswith(f"{self.base}/login"), f"amina's session survived the reset: {page.url}")
        self.context.clear_cookies()
        self.password_step()
        check(page.url == f"{self.base}/", f"after the reset the password alone should sign in: {page.url}")
        page.goto(f"{self.base}/security")
        check(page.locator("#keys").count() == 0 and page.locator(".count").inner_text().strip() == "0", "keys or codes left after the reset")
        log = console_log.read_text(errors="replace")
        lines = [line for line in log.splitlines() if "console second factor reset" in line]
        check(any("by=omar" in line and "user=amina" in line and "keys=1" in line for line in lines), f"the reset is not in the console's log: {lines}")

    def g_origin_allow_list(self, browser, configured):
        """A console started with --public-origin http://localhost:P offers no key ceremony when
        reached at http://127.0.0.1:P, and does at its configured origin."""
        context = browser.new_context()
        context.set_default_timeout(PAGE_MS)
        page = context.new_page()
        password = PASSWORD
        try:
            for base, offered in ((configured.replace("localhost", "127.0.0.1"), False), (configured, True)):
                page.goto(f"{base}/login")
                page.fill('input[name="username"]', "karim")
                page.fill('input[name="password"]', password)
                with page.expect_navigation():
                    page.click('form[action="/login"] button[type="submit"]')
                if page.url.endswith("/password"):
                    page.fill('input[name="current"]', PASSWORD)
                    page.fill('input[name="new"]', "karim's own passphrase")
                    page.fill('input[name="repeat"]', "karim's own passphrase")
                    with page.expect_navigation():
                        page.click('form[action="/password"] button[type="submit"]')
                    password = "karim's own passphrase"
                page.goto(f"{base}/security")
                check(page.locator("#webauthn-create").count() == (1 if offered else 0), f"{base}: key registration offered is not {offered}")
                check(page.locator("p.error:visible").count() == (0 if offered else 1), f"{base}: the origin refusal is not shown as expected")
                context.clear_cookies()
        finally:
            context.close()

    def f_no_errors(self):
        # Leave the feed (its live stream) before the console is stopped.
        self.page.goto("about:blank")
        check(not self.errors, f"JavaScript errors or CSP violations: {self.errors[:5]}")


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-webauthn-") as temporary:
        tmp = Path(temporary)
        logs = tmp / "logs"
        logs.mkdir()
        processes = Processes(logs)
        browser = None
        playwright = None
        try:
            (tmp / "region.toml").write_text(REGION)
            run(["region", "generate", "--config", str(tmp / "region.toml"), "--out", str(tmp / "region"), "--base-port", str(free_base_port())])
            processes.start("node-ma", ["node", "run", "--data", str(tmp / "region" / "ma")])
            wait_for_node(tmp / "region" / "ma")
            run(
                ["console", "user", "add", "--console-data", str(tmp / "console-ma"), "--username", "amina", "--name", "Amina B.",
                 "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "en", "--password-stdin"],
                stdin=PASSWORD + "\n",
            )
            run(
                ["console", "user", "add", "--console-data", str(tmp / "console-ma"), "--username", "omar", "--name", "Omar T.",
                 "--role", "operator", "--tlp", "CLEAR", "--agency", "other", "--lang", "en", "--password-stdin"],
                stdin=PASSWORD + "\n",
            )
            # No --public-origin: the defaults are http://127.0.0.1:PORT and http://localhost:PORT.
            process = processes.start(
                "console-ma", ["console", "serve", "--data", str(tmp / "region" / "ma"), "--console-data", str(tmp / "console-ma"), "--port", "0"]
            )
            port = wait_for_console(process, logs / "console-ma.out")
            # A second console over the same node, configured for http://localhost:P only.
            run(
                ["console", "user", "add", "--console-data", str(tmp / "console-ma-2"), "--username", "karim", "--name", "Karim A.",
                 "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "fr", "--password-stdin"],
                stdin=PASSWORD + "\n",
            )
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            second_port = probe.getsockname()[1]
            probe.close()
            second = processes.start(
                "console-ma-2",
                ["console", "serve", "--data", str(tmp / "region" / "ma"), "--console-data", str(tmp / "console-ma-2"),
                 "--port", str(second_port), "--public-origin", f"http://localhost:{second_port}"],
            )
            wait_for_console(second, logs / "console-ma-2.out")
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            suite = Suite(browser, f"http://localhost:{port}")
            tests = [
                ("a register a security key on /security; recovery codes shown once", suite.a_register_key),
                ("b sign in with password and security key", suite.b_sign_in_with_key),
                ("c a recovery code replaces the key once", suite.c_recovery_code_once),
                ("d an authenticator whose counter went back is refused", suite.d_clone_refused),
                ("h new recovery codes only with the password typed again", suite.h_new_codes_need_the_password),
                ("e removing a key asks the password again; a removed key is no longer asked", suite.e_remove_key),
                ("i an operator resets a lost key's second factor (password again), logged", lambda: suite.i_operator_reset(browser, logs / "console-ma.err")),
                ("g --public-origin: no key ceremony at an address not configured", lambda: suite.g_origin_allow_list(browser, f"http://localhost:{second_port}")),
                ("f no JavaScript error or CSP violation", suite.f_no_errors),
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
