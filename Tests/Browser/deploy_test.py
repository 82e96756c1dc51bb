"""The consoles as a production site runs them, in a real browser (docs/CONSOLE.md, Deployment).

Two real nodes (MA, DZ), MA's console and the secretariat's console, set up the way the shipped
files say:

- the nodes and the consoles run as an unprivileged user (nobody), each console as the user of
  the folder it reads;
- each console runs in a mount namespace made from its unit's ReadOnlyPaths= and
  InaccessiblePaths= lines, read from Deploy/systemd/bordernet-console.service and
  Deploy/systemd/bordernet-secretariat-console.service and mapped onto the test's folders (a line
  removed from a unit is a mount missing here, and a check below fails), under the unit's seccomp
  filters (Deploy/systemd/sandbox-exec.py);
- nginx runs Deploy/nginx/bordernet-console.conf as shipped, with only its marked values (name,
  certificate, key) and its ports changed, in front of the console (--behind-proxy), with a
  self-signed certificate made by openssl.

Chromium signs in over HTTPS, reads a bulletin posted at DZ (the console reads the store's WAL
through the read-only mount), posts one through the form (the control socket through the same
mount) that reaches DZ, and the test checks what the console cannot do: see the keys, write the
node's folder, read the node's memory. Then the secretariat's console, over a collection made
by `audit collect` (as nobody) in the secretariat's folder: an auditor signs in through its own
nginx and sees the matrix; the console's view has no roster key and no keys, the folder is
read-only to it, and a running `audit collect` is closed to processes of its user.

Run by `make test` and `make browser-test` (needs root for the mount namespace and nginx; the
Makefile installs nginx and openssl). Exit status 0 when every test passed.
"""

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import http.client
from pathlib import Path

from playwright.sync_api import sync_playwright

import console_test as harness
from console_test import small_pdf
from console_test import BINARY, CHROMIUM, ROOT, Failure, check, fill_bulletin, finish, posted_id, print_log_tails, run_tests, submit_post

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
UNIT = ROOT / "Deploy/systemd/bordernet-console.service"
SECRETARIAT_UNIT = ROOT / "Deploy/systemd/bordernet-secretariat-console.service"
NGINX_SITE = ROOT / "Deploy/nginx/bordernet-console.conf"
SANDBOX = ROOT / "Deploy/systemd/sandbox-exec.py"
PASSWORD = harness.PASSWORD
ARRIVAL_SECONDS = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Started:
    """Every process this run starts, stopped by pid at the end (SIGTERM, then SIGKILL)."""

    def __init__(self, logs):
        self.logs = logs
        self.processes = []

    def start(self, name, command):
        out = open(self.logs / f"{name}.out", "wb")
        err = open(self.logs / f"{name}.err", "wb")
        process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        self.processes.append((name, process))
        return process

    def stop(self, name):
        for known, process in self.processes:
            if known == name and process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

    def stop_all(self):
        for _, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 10
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"note: {name} (pid {process.pid}) ignored SIGTERM for 10 s; killed")
                process.kill()
                process.wait(timeout=5)


def as_nobody(arguments, stdin=None):
    result = subprocess.run(NOBODY + [str(BINARY), *arguments], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise Failure(f"bordernet {' '.join(arguments)} (as nobody) exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result.stdout


def wait_for_node(data):
    deadline = time.monotonic() + harness.START_SECONDS
    while time.monotonic() < deadline:
        if subprocess.run(NOBODY + [str(BINARY), "status", "--data", str(data)], capture_output=True, timeout=10).returncode == 0:
            return
        time.sleep(0.2)
    raise Failure(f"the node of {data} did not answer status within {harness.START_SECONDS} s")


def unit_paths(unit):
    """The unit's ReadOnlyPaths= and InaccessiblePaths= ([Service]), every value in order."""
    settings, section = {}, None
    for raw in unit.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).extend(value.split())
    return settings.get("ReadOnlyPaths", []), settings.get("InaccessiblePaths", [])


def unit_mounts(unit, folders, blank_file):
    """Shell commands making the mounts the unit's ReadOnlyPaths= and InaccessiblePaths= make, with
    the unit's folders mapped onto the test's (`folders`: unit folder -> test folder). Read-only
    first, then the inaccessible paths over them, as systemd orders them; an inaccessible folder
    becomes an empty, unreadable tmpfs, an inaccessible file an empty mode-0000 file (systemd's
    /run/systemd/inaccessible/ nodes); a path with `-` that does not exist is skipped, as systemd does."""
    read_only, inaccessible = unit_paths(unit)
    check(read_only and inaccessible, f"{unit.name} has no ReadOnlyPaths= or no InaccessiblePaths=")

    def mapped(entry):
        optional, path = entry.startswith("-"), entry.lstrip("-+")
        for unit_folder, test_folder in folders.items():
            if path == unit_folder or path.startswith(unit_folder + "/"):
                return optional, f"{test_folder}{path[len(unit_folder):]}"
        raise Failure(f"{unit.name} names {path}, which deploy_test.py does not map onto a folder of its own: map it")

    commands = []
    for entry in read_only:
        _, path = mapped(entry)
        commands += [f"mount --bind '{path}' '{path}'", f"mount -o remount,bind,ro '{path}'"]
    for entry in inaccessible:
        optional, path = mapped(entry)
        if Path(path).is_dir():
            commands.append(f"mount -t tmpfs -o mode=000,size=4k,ro bordernet-inaccessible '{path}'")
        elif Path(path).exists():
            commands += [f"mount --bind '{blank_file}' '{path}'", f"mount -o remount,bind,ro '{path}'"]
        else:
            check(optional, f"{unit.name}: InaccessiblePaths={entry} does not exist in the test's folders")
    return commands


def blank_file(folder):
    """An empty file of mode 0000 owned by root, bound over an inaccessible file."""
    path = folder / "inaccessible"
    if not path.exists():
        path.touch()
        os.chmod(path, 0)
    return path


def console_command(unit, mounts, arguments):
    """A console as its unit runs it: the unit's mounts in a mount namespace of its own, then as
    nobody, then under the unit's seccomp filters."""
    serve = NOBODY + ["/usr/bin/python3", str(SANDBOX), str(unit), "--", str(BINARY), "console", "serve", *arguments]
    quoted = " ".join(f"'{part}'" for part in serve)
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", f"{' && '.join(mounts)} && exec {quoted}"]


def node_console_command(tmp, data, console_data, port):
    mounts = unit_mounts(UNIT, {"/var/lib/bordernet": data}, blank_file(tmp))
    arguments = ["--data", str(data), "--console-data", str(console_data), "--host", "127.0.0.1", "--port", str(port), "--behind-proxy"]
    return console_command(UNIT, mounts, arguments)


def secretariat_console_command(tmp, secretariat, console_data, port):
    mounts = unit_mounts(SECRETARIAT_UNIT, {"/var/lib/bordernet-secretariat": secretariat}, blank_file(tmp))
    arguments = ["--secretariat", str(secretariat), "--console-data", str(console_data), "--host", "127.0.0.1", "--port", str(port), "--behind-proxy"]
    return console_command(SECRETARIAT_UNIT, mounts, arguments)


def nginx_configuration(folder, console_port, http_port, https_port):
    """The shipped site with its marked values and ports changed, in a main file of the test's own
    (for the secretariat's console, the upstream port 8470 becomes its port, as OPERATIONS.md says)."""
    site = NGINX_SITE.read_text()
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("server_name console.bordernet.example;", "server_name localhost;"),
        ("/etc/bordernet/tls/console.crt", str(folder / "console.crt")),
        ("/etc/bordernet/tls/console.key", str(folder / "console.key")),
        ("server 127.0.0.1:8470;", f"server 127.0.0.1:{console_port};"),
    ]
    for old, new in replacements:
        check(old in site, f"the shipped nginx site no longer has `{old}`: update this test with it")
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    main = f"""
daemon off;
master_process on;
worker_processes 1;
user nobody nogroup;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    (folder / "nginx.conf").write_text(main)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(folder / "console.key"), "-out", str(folder / "console.crt")],
        check=True, capture_output=True, timeout=60,
    )
    test = subprocess.run(["nginx", "-t", "-c", str(folder / "nginx.conf")], capture_output=True, text=True, timeout=30)
    check(test.returncode == 0, f"nginx -t refused the shipped site: {test.stderr[-800:]}")
    return folder / "nginx.conf"


def padded_pdf(size):
    """A valid PDF of about `size` bytes: the small one of console_test with a comment line of
    padding after its header (the cross-reference offsets are made after it)."""
    pdf = small_pdf()
    header, rest = pdf.split(b"\n", 1)
    padding = b"%" + b"x" * max(0, size - len(pdf) - 2) + b"\n"
    shifted = header + b"\n" + padding + rest
    # Offsets in the table and after startxref move by the padding's length.
    def shift(match):
        return b"%010d" % (int(match.group(0)) + len(padding))
    body, table = shifted.split(b"xref\n", 1)
    table = re.sub(rb"(?m)^\d{10}(?= 00000 n)", shift, table)
    table = re.sub(rb"(?<=startxref\n)\d+", lambda m: str(int(m.group(0)) + len(padding)).encode(), table)
    return body + b"xref\n" + table


def https_request(port, method, path, headers=None, body=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=15, context=context)
    connection.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
    response = connection.getresponse()
    result = (response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode(errors="replace"))
    connection.close()
    return result


def wait_until(seconds, condition):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return condition()


def check_view_of_folder(console_pid, folder, hidden_folders, hidden_files):
    """In the console's view: each hidden folder is empty or unreadable, each hidden file is empty
    and unreadable by its user, `folder` is mounted read-only and a write through the view fails."""
    for hidden in hidden_folders:
        check(hidden.is_dir() and any(hidden.iterdir()), f"{hidden} has nothing to hide")
        seen = Path(f"/proc/{console_pid}/root{hidden}")
        try:
            listed = list(seen.iterdir())
        except PermissionError:
            listed = []
        check(listed == [], f"the console's view of {hidden} holds {listed}")
    for hidden in hidden_files:
        check(hidden.stat().st_size > 0, f"{hidden} has nothing to hide")
        seen = f"/proc/{console_pid}/root{hidden}"
        # Read as root through the view: what is there is empty, not the file.
        check(Path(seen).read_bytes() == b"", f"the console's view of {hidden} holds its contents")
        attempt = subprocess.run(NOBODY + ["/usr/bin/cat", seen], capture_output=True, text=True, timeout=10)
        refused = attempt.returncode != 0 and attempt.stdout == "" and "Permission denied" in attempt.stderr
        check(refused, f"{hidden} was not refused to the console's user through its view: {attempt.stderr[-300:]!r}")
    # mountinfo: the fifth field is the mount point, the sixth its options (the last mount wins).
    mounts = [line.split() for line in Path(f"/proc/{console_pid}/mountinfo").read_text().splitlines()]
    folder_mounts = [fields for fields in mounts if fields[4] == str(folder)]
    check(folder_mounts and "ro" in folder_mounts[-1][5].split(","), f"{folder} is not read-only to the console: {folder_mounts}")
    probe = subprocess.run(
        NOBODY + ["/bin/sh", "-c", f"echo x > '/proc/{console_pid}/root{folder}/console-was-here'"], capture_output=True, text=True, timeout=10
    )
    refused = probe.returncode != 0 and "Read-only file system" in probe.stderr and not (folder / "console-was-here").exists()
    check(refused, f"{folder} was not refused as read-only through the console's view: {probe.stderr[-300:]!r}")


# Opens /proc/PID/environ (and reads a byte) and /proc/PID/mem (opening is where the kernel checks
# ptrace access; reading offset 0 would fail anyway, unmapped). An absolute path: a `python3` found
# through root's PATH (a pyenv shim under /root) fails for nobody with "Permission denied" itself,
# which would make every check below pass without reading anything.
READ_MEMORY = ["/usr/bin/python3", "-c", "import sys; f = open(sys.argv[1], 'rb'); sys.argv[1].endswith('environ') and f.read(1)"]


def open_as_nobody(path):
    return subprocess.run(NOBODY + READ_MEMORY + [path], capture_output=True, text=True, timeout=10)


def memory_closed(pid, who):
    """/proc/PID/environ and /proc/PID/mem refuse a process of the same user (nobody): the kernel's
    EACCES on that very file, not any other failure."""
    for file in ("environ", "mem"):
        path = f"/proc/{pid}/{file}"
        attempt = open_as_nobody(path)
        refused = attempt.returncode != 0 and f"PermissionError: [Errno 13] Permission denied: '{path}'" in attempt.stderr
        check(refused, f"{who}'s {path} was not refused to its user as EACCES: exit {attempt.returncode}, {attempt.stderr[-300:]!r}")


class Suite:
    def __init__(self, browser, region, console_pid, node_pids, ports):
        self.browser = browser
        self.region = region
        self.console_pid = console_pid
        self.node_pids = node_pids
        self.http_port, self.https_port = ports
        self.base = f"https://localhost:{self.https_port}"

    def a_http_redirects_and_headers(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=15)
        connection.request("GET", "/login", headers={"Host": "localhost"})
        response = connection.getresponse()
        location = response.getheader("Location") or ""
        connection.close()
        check(response.status == 301 and location.startswith("https://localhost/"), f"plain HTTP answered {response.status} {location}")
        status, headers, body = https_request(self.https_port, "GET", "/login")
        check(status == 200, f"GET /login over HTTPS answered {status}")
        check("max-age=63072000" in headers.get("strict-transport-security", ""), f"no HSTS: {headers}")
        check("default-src 'self'" in headers.get("content-security-policy", ""), "the console's CSP did not pass the proxy")
        check(re.fullmatch(r"nginx", headers.get("server", "nginx")), f"the proxy names its version: {headers.get('server')}")

    def b_sign_in_and_read_over_https(self):
        dz_id = self.post_from_dz()
        context = self.browser.browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
        context.set_default_timeout(harness.PAGE_MS)
        context.on("page", self.browser.watch)
        self.context = context
        page = context.new_page()
        harness.sign_in(page, self.base, "amina")
        check(page.url.rstrip("/") == self.base, f"signed in, the officer is on {page.url}")
        cookies = {c["name"]: c for c in context.cookies()}
        session = cookies.get("__Host-bn_session")
        check(session and session["secure"] and session["httpOnly"] and session["sameSite"] == "Strict", f"session cookie: {session}")
        # The console reads the store's WAL through a read-only mount: a bulletin DZ posted appears.
        found = wait_until(ARRIVAL_SECONDS, lambda: page.reload() or page.locator(harness.row(dz_id)).count() == 1)
        check(found, f"{dz_id} from DZ is not on MA's feed behind the proxy")
        page.click(f'{harness.row(dz_id)} a')
        page.wait_for_url(re.compile(r"/bulletins/"))
        check("Maghnia" in page.content(), "the bulletin page does not show DZ's bulletin")

    def c_post_through_the_proxy(self):
        page = self.context.new_page()
        page.goto(f"{self.base}/post/fuel-smuggling")
        fill_bulletin(page, "تهريب وقود قرب أحفير", "حجز 12000 لتر من الديزل في شاحنتين قرب أحفير.")
        # A scanned document over nginx's 300 KiB for other paths: the site lets posts through.
        page.set_input_files('[name="file.1"]', files=[{"name": "manifest.pdf", "mimeType": "application/pdf", "buffer": padded_pdf(1_200_000)}])
        submit_post(page)
        posted = posted_id(page)
        dz = self.region / "dz"
        arrived = wait_until(ARRIVAL_SECONDS, lambda: posted in as_nobody(["feed", "--data", str(dz), "--json"]))
        check(arrived, f"{posted}, posted through nginx and the read-only mount, never reached DZ")
        listed = as_nobody(["attachment", "list", posted, "--data", str(self.region / "ma"), "--json"])
        check("manifest.pdf" in listed, f"the file posted through nginx is not stored with {posted}: {listed[-300:]}")

    def d_console_cannot_see_keys_or_write(self):
        ma = self.region / "ma"
        check_view_of_folder(self.console_pid, ma, [ma / "keys"], [])
        check(not Path(f"/proc/{self.console_pid}/root{ma}/keys/signing.key").exists(), "the console can see signing.key")

    def e_node_memory_closed_to_its_user(self):
        # A process of the node's user (as the console is) cannot read the node's memory or
        # environment: the node made itself non-dumpable. The same read of a dumpable process of
        # that user succeeds, so the check means something.
        sleeper = subprocess.Popen(NOBODY + ["sleep", "30"])
        try:
            for file in ("environ", "mem"):
                control = open_as_nobody(f"/proc/{sleeper.pid}/{file}")
                check(control.returncode == 0, f"opening a dumpable process's {file} failed: {control.stderr[-300:]!r}")
        finally:
            sleeper.terminate()
            sleeper.wait(timeout=10)
        for state, pid in self.node_pids.items():
            memory_closed(pid, state)

    def f_no_errors(self):
        check(not self.browser.errors, f"errors on pages: {self.browser.errors[:5]}")

    def post_from_dz(self):
        dz = self.region / "dz"
        output = as_nobody(
            ["post", "--data", str(dz), "--to", "MA", "--type", "migrant-smuggling", "--lang", "fr",
             "--title", "Passeurs interpellés près de Maghnia", "--summary", "Un groupe de 23 personnes intercepté, deux passeurs interpellés.",
             "--severity", "high", "--tlp", "AMBER", "--working-group", "security", "--details", '{"persons": 23, "smugglersArrested": 2}', "--json"]
        )
        return re.search(r'"id"\s*:\s*"([^"]+)"', output).group(1)


class SecretariatSuite:
    """The secretariat's console under its unit's mounts, behind its own nginx."""

    def __init__(self, browser, tmp, started, console_pid, https_port):
        self.browser, self.tmp, self.started = browser, tmp, started
        self.secretariat = tmp / "region" / "secretariat"
        self.console_pid = console_pid
        self.base = f"https://localhost:{https_port}"

    def s_auditor_sees_the_matrix(self):
        context = self.browser.browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
        context.set_default_timeout(harness.PAGE_MS)
        context.on("page", self.browser.watch)
        try:
            page = context.new_page()
            harness.sign_in(page, self.base, "leila")
            check(page.url.endswith("/audit"), f"the auditor landed on {page.url}, not /audit")
            check(page.locator("#matrix").count() == 1, "no matrix on the secretariat's console")
            cell = page.locator('#matrix td[data-link="MA-DZ"]')
            check(cell.count() == 1, "no MA→DZ cell in the matrix read through the read-only mount")
        finally:
            context.close()

    def t_console_cannot_see_keys_or_write(self):
        sec = self.secretariat
        check_view_of_folder(self.console_pid, sec, [sec / "keys"], [sec / "secretariat.key"])
        check(not Path(f"/proc/{self.console_pid}/root{sec}/keys/transport.key").exists(), "the console can see transport.key")

    def u_collect_memory_closed(self):
        # DZ stops, so that a collection waits on it: while it does (its keys loaded, its store
        # open), a process of its user cannot read its memory.
        self.started.stop("node-dz")
        collect = self.started.start(
            "collect-2", NOBODY + [str(BINARY), "audit", "collect", "--data", str(self.secretariat), "--timeout-ms", "8000"])
        try:
            store = str(self.secretariat / "collected.sqlite")

            def store_open():
                try:
                    return any(os.readlink(entry) == store for entry in Path(f"/proc/{collect.pid}/fd").iterdir())
                except OSError:
                    return False

            check(wait_until(20, lambda: store_open() or collect.poll() is not None) and collect.poll() is None,
                  "audit collect ended before it was seen with its store open")
            memory_closed(collect.pid, "audit collect")
        finally:
            collect.wait(timeout=60)

    def v_no_errors(self):
        check(not self.browser.errors, f"errors on pages: {self.browser.errors[:5]}")


def secretariat_folder(tmp):
    """The region's secretariat folder with its own node identity in it, as `secretariat init` makes
    it (region generate keeps XS's keys, card and node.toml in xs/)."""
    region = tmp / "region"
    for name in ("keys", "card.json", "node.toml"):
        source = region / "xs" / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, region / "secretariat" / name)
    return region / "secretariat"


def start_nginx(started, folder, upstream_port, name):
    folder.mkdir()
    http_port, https_port = free_port(), free_port()
    started.start(name, ["nginx", "-c", str(nginx_configuration(folder, upstream_port, http_port, https_port))])
    check(wait_until(15, lambda: https_ready(https_port)), f"nginx did not answer on {https_port}: {(folder / 'error.log').read_text()[-500:] if (folder / 'error.log').exists() else ''}")
    return http_port, https_port


def main():
    for tool in ("nginx", "openssl", "unshare", "setpriv"):
        if not shutil.which(tool):
            print(f"FAILED setup: {tool} is not installed (make test installs it)")
            return 1
    if os.geteuid() != 0:
        print("FAILED setup: the deployment test needs root (a mount namespace, setpriv, nginx)")
        return 1
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bn-deploy-") as temporary:
        tmp = Path(temporary)
        os.chmod(tmp, 0o755)
        logs = tmp / "logs"
        logs.mkdir()
        started = Started(logs)
        browser = playwright = None
        try:
            (tmp / "region.toml").write_text(harness.REGION)
            harness.run(["region", "generate", "--config", str(tmp / "region.toml"), "--out", str(tmp / "region"), "--base-port", str(harness.free_base_port())])
            (tmp / "console-ma").mkdir(mode=0o700)
            (tmp / "console-sec").mkdir(mode=0o700)
            secretariat = secretariat_folder(tmp)
            subprocess.run(["chown", "-R", "65534:65534", str(tmp / "region"), str(tmp / "console-ma"), str(tmp / "console-sec")], check=True)
            node_pids = {}
            for state in ("ma", "dz"):
                node_pids[state] = started.start(f"node-{state}", NOBODY + [str(BINARY), "node", "run", "--data", str(tmp / "region" / state)]).pid
            for state in ("ma", "dz"):
                wait_for_node(tmp / "region" / state)
            as_nobody(
                ["console", "user", "add", "--console-data", str(tmp / "console-ma"), "--username", "amina", "--name", "أمينة ب.",
                 "--role", "officer", "--tlp", "RED", "--agency", "law-enforcement", "--lang", "ar", "--password-stdin"],
                stdin=PASSWORD + "\n",
            )
            console_port = free_port()
            console = started.start("console-ma", node_console_command(tmp, tmp / "region" / "ma", tmp / "console-ma", console_port))
            harness.wait_for_console(console, logs / "console-ma.out")
            http_port, https_port = start_nginx(started, tmp / "nginx", console_port, "nginx")

            # The secretariat: one collection (as the timer's unit runs it, as nobody), an auditor,
            # then its console under its unit's mounts, behind an nginx of its own.
            as_nobody(["audit", "collect", "--data", str(secretariat), "--timeout-ms", "5000"])
            as_nobody(
                ["console", "user", "add", "--console-data", str(tmp / "console-sec"), "--username", "leila", "--name", "ليلى ك.",
                 "--role", "auditor", "--tlp", "CLEAR", "--agency", "other", "--lang", "ar", "--password-stdin"],
                stdin=PASSWORD + "\n",
            )
            sec_port = free_port()
            sec_console = started.start("console-sec", secretariat_console_command(tmp, secretariat, tmp / "console-sec", sec_port))
            harness.wait_for_console(sec_console, logs / "console-sec.out")
            _, sec_https_port = start_nginx(started, tmp / "nginx-sec", sec_port, "nginx-sec")

            playwright = sync_playwright().start()
            browser = harness.Browser(playwright)
            suite = Suite(browser, tmp / "region", console.pid, node_pids, (http_port, https_port))
            sec_suite = SecretariatSuite(browser, tmp, started, sec_console.pid, sec_https_port)
            tests = [
                ("a plain HTTP redirects to HTTPS; HSTS and the console's CSP arrive", suite.a_http_redirects_and_headers),
                ("b sign in and read a neighbour's bulletin over HTTPS", suite.b_sign_in_and_read_over_https),
                ("c post through the proxy: it reaches DZ", suite.c_post_through_the_proxy),
                ("d the console cannot see the keys or write the node's folder", suite.d_console_cannot_see_keys_or_write),
                ("e the node's memory is closed to processes of its user", suite.e_node_memory_closed_to_its_user),
                ("f no JavaScript error or CSP violation", suite.f_no_errors),
                ("s the secretariat's console: an auditor signs in over HTTPS and sees the matrix", sec_suite.s_auditor_sees_the_matrix),
                ("t the secretariat's console has no roster key and no keys, and cannot write the folder", sec_suite.t_console_cannot_see_keys_or_write),
                ("u a running `audit collect` is closed to processes of its user", sec_suite.u_collect_memory_closed),
                ("v no JavaScript error or CSP violation on the secretariat's console", sec_suite.v_no_errors),
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
            started.stop_all()
            if failed:
                print_log_tails(logs)
    return finish(passed, failed, 'deploy: ')


def https_ready(port):
    try:
        return https_request(port, "GET", "/login")[0] in (200, 502)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
