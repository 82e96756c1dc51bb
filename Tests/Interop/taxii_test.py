#!/usr/bin/env python3
"""The console's TAXII 2.1 server read by the OASIS client taxii2-client (issue 17, docs/TAXII.md).

Run by `make test` and `make browser-test` after the browser tests, from the repository's root,
with the Python of .build/browser-venv (taxii2-client, stix2 and stix2-validator pinned in
Tests/Browser/requirements.txt):

    .build/browser-venv/bin/python Tests/Interop/taxii_test.py

A real node (a two-state region; only MA runs) posts example bulletins of several working groups
and TLPs (a correction too); its console serves TAXII; agencies are added with
`bordernet console agency add`. Then, with taxii2-client 2.3.0: discovery, the API root, the
collections; every object paged with `as_pages` and a small `per_request`, each parsed by stix2,
the bundle of them all passing `stix2_validator --strict`; a customs agency never receives a
security-only or TLP:RED object, an agency named for RED does; `added_after` returns only what is
new; Bearer as well as Basic; a revoked and an expired token get 401; the node's audit log holds
the deliveries and the refusals (`audit entries --kind agencyAccess`).

Prints one `ok NAME` or `FAILED NAME: why` line per test, then "N passed, N failed"; exits 1 when
a test failed. Every wait has a deadline; the node and the console it starts are stopped by their
pids at the end.
"""

import datetime
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import requests
import stix2
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

ROOT = Path(__file__).resolve().parents[2]
# The node and command helpers are stix_test.py's (the same binary, validator and waits).
sys.path.insert(0, str(ROOT / "Tests/Interop"))
from stix_test import BINARY, START_SECONDS, VALIDATOR, Failure, bordernet, check, free_base_port, wait_for_node  # noqa: E402

EXAMPLES = ROOT / "Schemas/examples"
MEDIA_TYPE = "application/taxii+json;version=2.1"
RED_MARKING = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
EXTENSION = None  # the BorderNet extension's id, read from the first object that carries it

REGION = """\
[region]
name = "TAXII test region"
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

# Posted by MA, with (working group, TLP) as the examples have them.
POSTED = [
    "fuel-smuggling",          # customs GREEN
    "goods-smuggling",         # customs GREEN
    "wildlife-trafficking",    # customs GREEN
    "cultural-property-trafficking",  # customs AMBER
    "drug-trafficking",        # security AMBER
    "arms-cache",              # security AMBER
    "human-trafficking",       # justice RED
]


def wait_for_console(process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        match = re.search(r"console listening on (http://127\.0\.0\.1:\d+)", log.read_text(errors="replace"))
        if match:
            return match.group(1)
        if process.poll() is not None:
            raise Failure(f"the console exited with {process.returncode}: {log.read_text(errors='replace')[-800:]}")
        time.sleep(0.1)
    raise Failure(f"the console printed no address within {START_SECONDS} s")


def post(data, name, corrects=None):
    bulletin = json.loads((EXAMPLES / f"{name}.json").read_text())
    draft = {k: v for k, v in bulletin.items() if k not in ("id", "corrects")}
    path = data.parent / "draft.json"
    path.write_text(json.dumps(draft, ensure_ascii=False))
    arguments = ["post", "--data", str(data), "--file", str(path), "--json"]
    if corrects:
        arguments += ["--corrects", corrects]
    return json.loads(bordernet(arguments).stdout)["id"]


def add_agency(console_data, name, groups, tlp, named_for_red=False, extra=()):
    arguments = ["console", "agency", "add", name, "--console-data", str(console_data), "--working-groups", ",".join(groups),
                 "--tlp-max", tlp, "--kind", "law-enforcement", "--json", *extra]
    if named_for_red:
        arguments.append("--named-for-red")
    answer = json.loads(bordernet(arguments).stdout)
    token = answer.get("token")
    check(isinstance(token, str) and token.startswith("bnt_"), f"agency add printed no token: {answer}")
    return token


def bulletin_of(obj):
    """The BorderNet bulletin id an object comes from (its extension), or None for a shared object."""
    for key, value in (obj.get("extensions") or {}).items():
        if key.startswith("extension-definition--") and "bulletin_id" in value:
            return value["bulletin_id"], value
    return None, None


def collection_objects(collection, per_request, **filters):
    """Every object of `collection`, paged with as_pages; checks each page's size and headers."""
    objects = []
    pages = 0
    for envelope in as_pages(collection.get_objects, per_request=per_request, **filters):
        pages += 1
        check(pages <= 500, "more than 500 pages")
        page = envelope.get("objects", [])
        check(len(page) <= per_request, f"a page of {len(page)} objects for per_request={per_request}")
        objects += page
    return objects, pages


def parse_all(objects):
    for obj in objects:
        stix2.parse(obj, allow_custom=False)


def validate_bundle(objects, path):
    unique = {}
    for obj in objects:
        unique[(obj["id"], obj.get("modified", obj.get("created")))] = obj
    bundle = {"type": "bundle", "id": "bundle--6f8b2a8e-3b0e-4e4c-8f55-0b1f0d1d4b11", "objects": list(unique.values())}
    path.write_text(json.dumps(bundle))
    result = subprocess.run(
        [str(VALIDATOR), "--version", "2.1", "--strict", "--enforce-refs", "-d", "uuid-check", str(path)],
        capture_output=True, text=True, timeout=120)
    findings = [line.strip() for line in result.stdout.splitlines() + result.stderr.splitlines() if "[X]" in line or "[!]" in line]
    check(result.returncode == 0 and "STIX JSON: Valid" in result.stdout,
          f"stix2_validator refuses the objects received: " + " | ".join(findings)[:1500])


def run(tmp, base, console_data, posted, correction):
    customs = add_agency(console_data, "ma-customs", ["customs"], "amber")
    security = add_agency(console_data, "ma-security", ["security", "customs"], "amber")
    justice = add_agency(console_data, "ma-justice", ["justice"], "red", named_for_red=True)
    results = []

    def test(name, body):
        try:
            body()
            results.append((name, None))
            print(f"ok {name}", flush=True)
        except Exception as error:  # noqa: BLE001 - every failure is reported, the others still run
            results.append((name, error))
            print(f"FAILED {name}: {error}", flush=True)
            if not isinstance(error, Failure):
                traceback.print_exc()

    def discovery():
        server = Server(f"{base}/taxii2/", user="ma-customs", password=customs)
        check(server.title.startswith("BorderNet"), f"discovery title {server.title!r}")
        check([root.url for root in server.api_roots] == [f"{base}/taxii2/bordernet/"], f"api roots {server.api_roots}")
        root = server.default
        check(MEDIA_TYPE in root.versions, f"API root versions {root.versions}")
        titles = [c.title for c in root.collections]
        check(len(root.collections) == 2, f"customs agency: collections {titles}")
        check(all(c.can_read and not c.can_write for c in root.collections), "collections must be read-only")

    def customs_scope():
        root = ApiRoot(f"{base}/taxii2/bordernet/", user="ma-customs", password=customs)
        everything = root.collections[0]
        objects, pages = collection_objects(everything, per_request=7)
        check(pages >= 3, f"only {pages} pages of 7")
        parse_all(objects)
        bulletins = {bulletin_of(o)[0] for o in objects} - {None}
        expected = {posted[n] for n in ("fuel-smuggling", "goods-smuggling", "wildlife-trafficking", "cultural-property-trafficking")}
        check(bulletins == expected, f"customs received {sorted(bulletins)}, expected {sorted(expected)}")
        check(all(RED_MARKING not in o.get("object_marking_refs", []) and o["id"] != RED_MARKING for o in objects),
              "a TLP:RED object reached the customs agency")
        # Reports and incidents carry the bulletin's working group (the other objects only its id).
        groups = [bulletin_of(o)[1].get("working_group") for o in objects if o["type"] in ("report", "incident")]
        check(groups and all(group == "customs" for group in groups), f"working groups reaching customs: {sorted(set(map(str, groups)))}")
        # A bulletin's own objects (they carry its marking) come once; shared ones with each page.
        own = [(o["id"], o.get("modified", o.get("created"))) for o in objects if o.get("object_marking_refs")]
        check(len(own) == len(set(own)), "an object was delivered twice across pages")
        validate_bundle(objects, tmp / "customs.json")

    def security_versions():
        root = ApiRoot(f"{base}/taxii2/bordernet/", user="ma-security", password=security)
        titles = {c.title.rsplit(": ", 1)[-1].split(" ")[0]: c for c in root.collections}
        check(len(root.collections) == 3, f"security+customs agency: {sorted(titles)}")
        everything = root.collections[0]
        reports, _ = collection_objects(everything, per_request=5, type="report")
        ids = [r["id"] for r in reports]
        check(len(ids) == len(set(ids)) == 6, f"six reports by default (the last version only), got {len(ids)}")
        corrected = [r for r in reports if bulletin_of(r)[0] == correction]
        check(len(corrected) == 1 and corrected[0]["modified"] > corrected[0]["created"], "the correction is the last version")
        versions = everything.object_versions(corrected[0]["id"])
        check(len(versions.get("versions", [])) == 2, f"two versions of the corrected report: {versions}")
        one = everything.get_object(corrected[0]["id"], version="all")
        check(len(one.get("objects", [])) == 2, "match[version]=all gives both versions")
        first = everything.get_object(corrected[0]["id"], version="first")
        check(first["objects"][0]["modified"] == first["objects"][0]["created"], "match[version]=first gives the original")
        manifest = everything.get_manifest(type="report")
        check(len(manifest.get("objects", [])) == 6, "the manifest lists six reports")
        parse_all(reports)

    def red_named():
        root = ApiRoot(f"{base}/taxii2/bordernet/", user="ma-justice", password=justice)
        objects, _ = collection_objects(root.collections[0], per_request=50)
        check({bulletin_of(o)[0] for o in objects} - {None} == {posted["human-trafficking"]}, "the RED-named agency gets the RED bulletin")
        check(any(RED_MARKING in o.get("object_marking_refs", []) for o in objects), "no TLP:RED marking on its objects")
        parse_all(objects)
        validate_bundle(objects, tmp / "justice.json")
        # The customs agency asks for the justice collection's id: 404, not 403.
        other = root.collections[0].id
        response = requests.get(f"{base}/taxii2/bordernet/collections/{other}/objects/", auth=("ma-customs", customs),
                                headers={"Accept": MEDIA_TYPE}, timeout=10)
        check(response.status_code == 404 and response.json().get("http_status") == "404", f"another agency's collection: {response.status_code}")

    def added_after():
        root = ApiRoot(f"{base}/taxii2/bordernet/", user="ma-customs", password=customs)
        collection = root.collections[0]
        # Every page read (raw requests for the headers), keeping the last page's Date-Added-Last.
        last, params = None, {"limit": "100"}
        for _ in range(100):
            response = collection._conn.session.get(collection.objects_url, headers={"Accept": MEDIA_TYPE}, params=params, timeout=10)
            check(response.status_code == 200, f"objects: {response.status_code}")
            envelope = response.json()
            last = response.headers.get("X-TAXII-Date-Added-Last") or last
            if not envelope.get("more"):
                break
            params = {"limit": "100", "next": envelope["next"]}
        check(last, "no X-TAXII-Date-Added-Last header")
        check(collection.get_objects(added_after=last).get("objects") is None, "nothing is new yet")
        new = post(tmp / "region" / "ma", "fuel-smuggling")
        # A bulletin is served once the node's search index has reached it, with the
        # relationships of its correlation links (held back at most 30 s: docs/TAXII.md).
        deadline = time.monotonic() + 40
        while True:
            fresh = collection.get_objects(added_after=last)
            if fresh.get("objects") or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        check({bulletin_of(o)[0] for o in fresh.get("objects", [])} - {None} == {new}, "added_after returns only the new bulletin")
        # Its links (if the correlation made any): related-to from its report to reports of the collection.
        reports = {o["id"] for o in collection_objects(collection, 100)[0] if o["type"] == "report"}
        new_report = next(o["id"] for o in fresh["objects"] if o["type"] == "report")
        for link in (o for o in fresh["objects"] if o["type"] == "relationship" and "confidence" in o):
            check(link["relationship_type"] == "related-to" and link["source_ref"] == new_report and link["target_ref"] in reports
                  and 0 <= link["confidence"] <= 100 and link["description"], f"a link's relationship: {link}")

    def bearer_and_refusals():
        response = requests.get(f"{base}/taxii2/", headers={"Accept": MEDIA_TYPE, "Authorization": f"Bearer {customs}"}, timeout=10)
        check(response.status_code == 200 and response.headers["Content-Type"] == MEDIA_TYPE, f"Bearer: {response.status_code}")
        response = requests.get(f"{base}/taxii2/", headers={"Accept": "application/json", "Authorization": f"Bearer {customs}"}, timeout=10)
        check(response.status_code == 406, f"Accept application/json: {response.status_code}")
        for auth in [None, ("ma-customs", "bnt_wrong"), ("ma-security", customs)]:
            response = requests.get(f"{base}/taxii2/", headers={"Accept": MEDIA_TYPE}, auth=auth, timeout=10)
            check(response.status_code == 401 and response.headers.get("WWW-Authenticate") == 'Basic realm="BorderNet TAXII"',
                  f"{auth and auth[0]}: {response.status_code} {response.headers.get('WWW-Authenticate')}")
            check(response.json().get("http_status") == "401", "401 without a TAXII error body")
        bordernet(["console", "agency", "revoke", "ma-security", "--console-data", str(console_data)])
        try:
            Server(f"{base}/taxii2/", user="ma-security", password=security).title
            raise Failure("a revoked token was accepted")
        except (TAXIIServiceException, requests.HTTPError) as error:
            check("401" in str(error), f"revoked: {error}")
        # A token that stops working four seconds from now (`agency add --expires TIME`).
        expiry = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=4)
        expired = add_agency(console_data, "ma-expiring", ["customs"], "green", extra=("--expires", expiry.strftime("%Y-%m-%dT%H:%M:%SZ")))
        response = requests.get(f"{base}/taxii2/", headers={"Accept": MEDIA_TYPE}, auth=("ma-expiring", expired), timeout=10)
        check(response.status_code == 200, f"a token before its expiry: {response.status_code}")
        time.sleep(max(0.0, (expiry - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 0.2)
        response = requests.get(f"{base}/taxii2/", headers={"Accept": MEDIA_TYPE}, auth=("ma-expiring", expired), timeout=10)
        check(response.status_code == 401, f"an expired token: {response.status_code}")

    def audit_records():
        # The console queues the records; the node writes them (a bounded wait).
        data = tmp / "region" / "ma"
        deadline = time.monotonic() + 15
        while True:
            entries = json.loads(bordernet(["audit", "entries", "--data", str(data), "--kind", "agencyAccess", "--last", "1000", "--json"]).stdout)
            text = json.dumps(entries)
            delivered = posted["human-trafficking"] in text and "delivered" in text
            if (delivered and "refused" in text) or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        check(delivered, f"no delivery of the RED bulletin recorded ({len(entries)} agencyAccess entries)")
        check("refused" in text, "no refusal recorded")

    test("discovery, API root and the agency's collections (taxii2-client)", discovery)
    test("a customs agency pages every object it may receive (as_pages, 7 a page), nothing else; stix2 parses them; the bundle is valid", customs_scope)
    test("versions: the last by default, first and all when asked, the versions endpoint, the manifest", security_versions)
    test("an agency named for TLP:RED receives the RED bulletin; another agency's collection is 404", red_named)
    test("added_after returns only what is new", added_after)
    test("Bearer and Basic; Accept negotiated; no, wrong, revoked and expired credentials get 401", bearer_and_refusals)
    test("the node's audit log holds the deliveries (with bulletins) and the refusals", audit_records)
    return results


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    check(VALIDATOR.exists(), f"{VALIDATOR} is missing: make .build/browser-venv/installed")
    results = []
    processes = []
    with tempfile.TemporaryDirectory(prefix="bordernet-taxii-") as temporary:
        tmp = Path(temporary)
        try:
            try:
                (tmp / "region.toml").write_text(REGION)
                bordernet(["region", "generate", "--config", str(tmp / "region.toml"), "--out", str(tmp / "region"),
                           "--base-port", str(free_base_port())])
                data = tmp / "region" / "ma"
                node_log = open(tmp / "node-ma.log", "wb")
                processes.append(subprocess.Popen([str(BINARY), "node", "run", "--data", str(data)], cwd=ROOT,
                                                  stdin=subprocess.DEVNULL, stdout=node_log, stderr=node_log))
                wait_for_node(data)
                posted = {name: post(data, name) for name in POSTED}
                correction = post(data, "drug-trafficking.correction", corrects=posted["drug-trafficking"])
                console_data = tmp / "console"
                console_log_path = tmp / "console.log"
                console_log = open(console_log_path, "wb")
                processes.append(subprocess.Popen(
                    [str(BINARY), "console", "serve", "--data", str(data), "--console-data", str(console_data), "--port", "0",
                     "--schemas", "Schemas"], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=console_log, stderr=console_log))
                base = wait_for_console(processes[-1], console_log_path)
                results = run(tmp, base, console_data, posted, correction)
            except Exception as error:  # noqa: BLE001
                results.append(("a node, its console and agencies start", error))
                print(f"FAILED a node, its console and agencies start: {error}", flush=True)
                if not isinstance(error, Failure):
                    traceback.print_exc()
        finally:
            for process in reversed(processes):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        print(f"note: pid {process.pid} ignored SIGTERM for 15 s; killed")
                        process.kill()
                        process.wait(timeout=5)
            if any(error for _, error in results):
                for name in ("node-ma.log", "console.log"):
                    path = tmp / name
                    if path.exists():
                        print(f"--- {name} (last lines)\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:]))
    passed = sum(1 for _, error in results if error is None)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
