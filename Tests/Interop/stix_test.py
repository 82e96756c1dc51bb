#!/usr/bin/env python3
"""The STIX 2.1 export checked by the OASIS tools (issue 17, docs/STIX.md).

Run by `make test` and `make browser-test` after the browser tests, from the repository's root,
with the Python of .build/browser-venv (stix2 and stix2-validator pinned in
Tests/Browser/requirements.txt):

    .build/browser-venv/bin/python Tests/Interop/stix_test.py

1. Every example bulletin of Schemas/examples (a correction and a withdrawal after the bulletin
   they name) is exported with `bordernet export stix --file`; each bundle passes
   `stix2_validator --version 2.1 --strict --enforce-refs -d uuid-check` (UUIDv5 ids are ours,
   docs/STIX.md), parses with the stix2 library, equals its worked example in docs/stix/, and
   carries the official TLP 2.0 marking of its bulletin's TLP (the validator does not check TLP).
2. A real node (a two-state region; only MA runs): the examples are posted, a correction too, and
   `export stix --data` selects by --id, --type, --origin and --since, refuses a selection over
   --max, and its bundles pass the validator; the correction is a new version of the same report;
   a correction that lowers a TLP:RED bulletin to AMBER reveals nothing of it under --tlp-max AMBER;
   two bulletins with the same passport give one related-to relationship (reason, confidence 100),
   and one to a bulletin above --tlp-max is not written.

Prints one `ok NAME` or `FAILED NAME: why` line per test, then "N passed, N failed"; exits 1 when
a test failed. Every wait has a deadline; the node it starts is stopped by its pid at the end.
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import jsonschema
import stix2
from stix2validator import ValidationOptions, validate_file

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("BORDERNET_BINARY", ROOT / ".build/debug/bordernet"))
VALIDATOR = Path(sys.executable).parent / "stix2_validator"
EXAMPLES = ROOT / "Schemas/examples"
WORKED = ROOT / "docs/stix"
START_SECONDS = 40

# The official TLP 2.0 marking definitions (OASIS cti-stix-common-objects, tlp-2.0), written here
# again on purpose: the test does not read them from the code it checks.
TLP = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

REGION = """\
[region]
name = "STIX test region"
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


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def bordernet(arguments, stdin=None, timeout=60, expect=0):
    result = subprocess.run([str(BINARY), *arguments], cwd=ROOT, input=stdin, capture_output=True, timeout=timeout)
    if expect is not None and result.returncode != expect:
        raise Failure(f"bordernet {' '.join(arguments)} exited {result.returncode} (expected {expect}): "
                      f"{result.stderr.decode(errors='replace').strip()[-600:]}")
    return result


# The validator's options as the command line gives them; run in this process (its own
# API, the same checks) so that 27 bundles do not start 27 interpreters. `validate_with_command`
# runs the command itself once, on every worked example together.
VALIDATOR_OPTIONS = ValidationOptions(version="2.1", strict=True, enforce_refs=True, disabled="uuid-check")


def validate(path):
    """The OASIS validator with the issue's options; a Failure with its findings."""
    result = validate_file(str(path), VALIDATOR_OPTIONS)
    findings = [str(result.fatal)] if result.fatal else []
    for objects in result.object_results or []:
        findings += [str(e) for e in objects.errors] + [str(w) for w in objects.warnings]
    check(result.is_valid, f"stix2_validator refuses {path.name}: " + " | ".join(findings)[:1500])


def validate_with_command(paths):
    """`stix2_validator --version 2.1 --strict --enforce-refs -d uuid-check FILE…`, as the issue runs it."""
    result = subprocess.run(
        [str(VALIDATOR), "--version", "2.1", "--strict", "--enforce-refs", "-d", "uuid-check", *map(str, paths)],
        capture_output=True, text=True, timeout=300)
    findings = [line.strip() for line in result.stdout.splitlines() + result.stderr.splitlines() if "[X]" in line or "[!]" in line]
    check(result.returncode == 0 and result.stdout.count("STIX JSON: Valid") == len(paths),
          "stix2_validator refuses: " + " | ".join(findings)[:1500])


def check_markings(bundle, tlps, name):
    """Every object of a bulletin carries the official marking of its TLP, defined in the bundle."""
    objects = bundle["objects"]
    markings = {o["id"]: o for o in objects if o["type"] == "marking-definition"}
    for tlp in tlps:
        marking = markings.get(TLP[tlp])
        check(marking is not None, f"{name}: no marking-definition {TLP[tlp]} for TLP:{tlp}")
        check(marking["name"] == f"TLP:{tlp}", f"{name}: {TLP[tlp]} is named {marking['name']}")
        check(marking["created"] == "2022-10-01T00:00:00.000Z", f"{name}: {marking['id']} created {marking['created']}")
        check(marking["extensions"][TLP_EXTENSION] == {"extension_type": "property-extension", "tlp_2_0": tlp.lower()},
              f"{name}: {marking['id']} extension {marking['extensions']}")
    check(set(markings) == {TLP[t] for t in tlps}, f"{name}: markings {sorted(markings)} for {tlps}")
    for o in objects:
        if o["type"] in ("report", "incident", "relationship", "location", "threat-actor", "infrastructure", "note", "language-content") \
                and not o["created"].startswith("2025-01-01"):
            refs = o.get("object_marking_refs", [])
            check(len(refs) == 1 and refs[0] in {TLP[t] for t in tlps}, f"{name}: {o['id']} is marked {refs}")


EXTENSION_SCHEMA = json.loads((WORKED / "bulletin-extension.schema.json").read_text())


def check_extension(bundle, name):
    """The BorderNet extension is defined in the bundle, and each use of it follows its schema."""
    definitions = [o for o in bundle["objects"] if o["type"] == "extension-definition"]
    check(len(definitions) == 1 and definitions[0]["schema"] == EXTENSION_SCHEMA["$id"], f"{name}: extension definitions {definitions}")
    used = 0
    for o in bundle["objects"]:
        content = o.get("extensions", {}).get(definitions[0]["id"])
        if content is not None:
            jsonschema.validate(content, EXTENSION_SCHEMA, cls=jsonschema.Draft202012Validator)
            used += 1
    check(used >= 2, f"{name}: the extension is used {used} times")


def export_files(files, out):
    bordernet(["export", "stix", "--schemas", "Schemas", *sum((["--file", str(f)] for f in files), []), "--out", str(out)])
    return json.loads(out.read_text())


def worked_examples():
    """(name, files): each example, a correction or withdrawal after the bulletin it names."""
    bulletins = {p.stem: json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))}
    by_id = {b["id"]: name for name, b in bulletins.items()}
    for name, bulletin in bulletins.items():
        target = bulletin.get("corrects") or bulletin.get("withdraws")
        files = [EXAMPLES / f"{by_id[target]}.json"] if target else []
        yield name, files + [EXAMPLES / f"{name}.json"], bulletin


def test_examples(tmp):
    count = 0
    outputs = []
    for name, files, bulletin in worked_examples():
        out = tmp / f"{name}.json"
        outputs.append(out)
        bundle = export_files(files, out)
        validate(out)
        parsed = stix2.parse(out.read_text(), allow_custom=False)
        check(len(parsed.objects) == len(bundle["objects"]), f"{name}: stix2 read {len(parsed.objects)} objects")
        check(out.read_bytes() == (WORKED / f"{name}.json").read_bytes(), f"{name}: differs from docs/stix/{name}.json")
        tlps = sorted({json.loads(f.read_text())["tlp"] for f in files})
        check_markings(bundle, tlps, name)
        check_extension(bundle, name)
        reports = [o for o in bundle["objects"] if o["type"] == "report"]
        check(any(r["external_references"][0]["external_id"] == bulletin["id"] for r in reports), f"{name}: no report names {bulletin['id']}")
        if bulletin.get("withdraws"):
            check(len({r["id"] for r in reports}) == 1 and reports[-1].get("revoked") is True, f"{name}: the withdrawal does not revoke the report")
        if bulletin.get("corrects"):
            check(len({r["id"] for r in reports}) == 1 and reports[0]["modified"] < reports[1]["modified"]
                  and reports[0]["created"] == reports[1]["created"], f"{name}: the correction is not a new version of the report")
        count += 1
    check(count == 22, f"{count} examples exported, 22 expected")
    validate_with_command(outputs)


def test_tlp_values(tmp):
    """Each TLP gives its own official marking (the examples do not use all five)."""
    base = json.loads((EXAMPLES / "arms-cache.json").read_text())
    for tlp in TLP:
        bulletin = dict(base, tlp=tlp)
        path = tmp / f"tlp-{tlp}.bulletin.json"
        path.write_text(json.dumps(bulletin, ensure_ascii=False))
        out = tmp / f"tlp-{tlp}.json"
        check_markings(export_files([path], out), [tlp], f"TLP:{tlp}")
        validate(out)


# Attachments (schema 1.2, docs/STIX.md "Attachments"): the keys are secrets that must appear nowhere.
ATTACHMENT_BASE = "https://console.example.org"
ATTACHMENT_KEYS = ("SECRETkey0123456789_-abcdefghijklmnopqrstuv", "OTHERkey0123456789_-abcdefghijklmnopqrstuvw")


def attachment_bulletin(tmp):
    """drug-trafficking as a 1.2 bulletin with a captioned photo of the suspect p1 and a PDF,
    made here (Schemas/examples is the 1.1 set of worked examples); valid for the schemas."""
    bulletin = json.loads((EXAMPLES / "drug-trafficking.json").read_text())
    bulletin["schemaVersion"] = "1.2.0"
    bulletin["attachments"] = [
        {"sha256": "3f" * 32, "mediaType": "image/jpeg", "size": 48213, "fileName": "suspect-p1.jpg",
         "caption": {"fr": "Le suspect au poste frontière", "ar": "المشتبه به في المعبر", "en": "The suspect at the crossing"},
         "shows": "p1", "key": ATTACHMENT_KEYS[0]},
        {"sha256": "a1" * 32, "mediaType": "application/pdf", "size": 1200, "fileName": "proces-verbal.pdf",
         "key": ATTACHMENT_KEYS[1]},
    ]
    path = tmp / "attachments.bulletin.json"
    path.write_text(json.dumps(bulletin, ensure_ascii=False))
    bordernet(["schema", "validate", "--schemas", "Schemas", str(path)])
    return path, bulletin


def test_attachments(tmp):
    """With --attachment-url each file is an artifact (SHA-256, type, the console's url, the id
    stix2 gives it) linked to the person it shows; without, no artifact (STIX refuses one with
    neither content nor url) and the notes still name the files; never a key; always valid."""
    path, bulletin = attachment_bulletin(tmp)
    outputs = []
    for base in (ATTACHMENT_BASE, None):
        out = tmp / f"attachments-{'url' if base else 'none'}.json"
        outputs.append(out)
        bordernet(["export", "stix", "--schemas", "Schemas", "--file", str(path), "--out", str(out),
                   *(["--attachment-url", base] if base else [])])
        validate(out)
        text = out.read_text()
        parsed = stix2.parse(text, allow_custom=False)
        bundle = json.loads(text)
        check(len(parsed.objects) == len(bundle["objects"]), f"stix2 read {len(parsed.objects)} objects")
        check(not any(key in text for key in ATTACHMENT_KEYS) and '"key"' not in text, "a file's key is in the bundle")
        check_markings(bundle, ["AMBER"], out.name)
        check_extension(bundle, out.name)
        objects = {o["id"]: o for o in bundle["objects"]}
        report = next(o for o in bundle["objects"] if o["type"] == "report")
        notes = [o for o in bundle["objects"] if o["type"] == "note" and o["abstract"].startswith("Attachment")]
        check(len(notes) == 2 and notes[0]["content"] == "Le suspect au poste frontière" and notes[0]["lang"] == "fr"
              and all(n["id"] in report["object_refs"] for n in notes), f"the attachments' notes: {notes}")
        captions = [o for o in bundle["objects"] if o["type"] == "language-content" and o["object_ref"] == notes[0]["id"]]
        check(len(captions) == 1 and captions[0]["contents"]["en"]["content"] == "The suspect at the crossing",
              f"the caption's translations: {captions}")
        artifacts = [o for o in bundle["objects"] if o["type"] == "artifact"]
        if base is None:
            check(artifacts == [] and all("SHA-256" in n["abstract"] for n in notes), f"without a base: {artifacts}")
            continue
        check(len(artifacts) == 2, f"{len(artifacts)} artifacts, 2 expected")
        for number, (artifact, entry) in enumerate(zip(artifacts, bulletin["attachments"]), start=1):
            url = f"{ATTACHMENT_BASE}/bulletins/{bulletin['id']}/attachments/{number}"
            check(artifact["hashes"] == {"SHA-256": entry["sha256"]} and artifact["mime_type"] == entry["mediaType"]
                  and artifact["url"] == url and artifact["object_marking_refs"] == [TLP["AMBER"]], f"artifact {artifact}")
            # The deterministic id STIX 2.1 gives an artifact, as the stix2 library computes it.
            expected = stix2.Artifact(hashes={"SHA-256": entry["sha256"]}, url=url, mime_type=entry["mediaType"]).id
            check(artifact["id"] == expected and artifact["id"] in report["object_refs"], f"artifact id {artifact['id']} ≠ {expected}")
        shows = [o for o in bundle["objects"] if o["type"] == "relationship" and o["source_ref"] == artifacts[0]["id"]]
        target = objects[shows[0]["target_ref"]] if len(shows) == 1 else {}
        check(target.get("type") == "threat-actor"
              and next(iter(target["extensions"].values()))["observable"]["localId"] == "p1",
              f"the photo's relationship to the suspect it shows: {shows}")
    validate_with_command(outputs)


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
        if bordernet(["status", "--data", str(data), "--json"], expect=None).returncode == 0:
            return
        time.sleep(0.2)
    raise Failure(f"the node of {data} did not answer status within {START_SECONDS} s")


def post(data, bulletin, corrects=None):
    draft = {k: v for k, v in bulletin.items() if k not in ("id", "corrects")}
    path = data.parent / "draft.json"
    path.write_text(json.dumps(draft, ensure_ascii=False))
    arguments = ["post", "--data", str(data), "--file", str(path), "--json"]
    if corrects:
        arguments += ["--corrects", corrects]
    answer = json.loads(bordernet(arguments).stdout)
    return answer["id"]


def test_store(tmp, node):
    data = tmp / "region" / "ma"
    posted = {}
    for name in ("drug-trafficking", "arms-cache", "migrant-smuggling"):
        posted[name] = post(data, json.loads((EXAMPLES / f"{name}.json").read_text()))
    correction = post(data, json.loads((EXAMPLES / "drug-trafficking.correction.json").read_text()), corrects=posted["drug-trafficking"])

    def export(arguments, name, expect=0):
        out = tmp / f"store-{name}.json"
        result = bordernet(["export", "stix", "--data", str(data), "--schemas", "Schemas", *arguments, "--out", str(out), "--json"], expect=expect)
        return out, result

    out, result = export(["--id", posted["arms-cache"]], "one")
    validate(out)
    summary = json.loads(result.stderr.decode().strip().splitlines()[-1])
    check(summary["bulletins"] == 1 and summary["skipped"] == [], f"--id: summary {summary}")
    reports = [o for o in json.loads(out.read_text())["objects"] if o["type"] == "report"]
    check([r["external_references"][0]["external_id"] for r in reports] == [posted["arms-cache"]], f"--id: reports {reports}")

    out, _ = export([], "all")
    validate(out)
    bundle = json.loads(out.read_text())
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    check(len(reports) == 4, f"everything: {len(reports)} reports")
    first, second = [r for r in reports if r["extensions"] and r["external_references"][0]["external_id"] in (posted["drug-trafficking"], correction)]
    check(first["id"] == second["id"] and first["created"] == second["created"] and first["modified"] < second["modified"],
          "the correction is not a new version of the report it corrects")

    out, _ = export(["--type", "arms-cache"], "type")
    check([r["labels"] for r in json.loads(out.read_text())["objects"] if r["type"] == "report"] == [["arms-cache"]], "--type")
    out, _ = export(["--origin", "DZ"], "origin")
    check("objects" not in json.loads(out.read_text()), "--origin DZ: bulletins of MA exported")
    out, _ = export(["--since", "2h"], "since")
    check(len([o for o in json.loads(out.read_text())["objects"] if o["type"] == "report"]) == 4, "--since 2h")

    out, result = export(["--max", "3"], "over", expect=1)
    check(not out.exists() and not Path(str(out) + ".partial").exists(), "a refused export left a file")
    check(b"more than 3 bulletins match" in result.stderr, f"--max refusal: {result.stderr[-300:]}")
    _, result = export(["--id", "MA-01JFK6SY9541SJ3EQHB6GD1GHC"], "unknown", expect=1)
    check(b"no bulletin MA-01JFK6SY9541SJ3EQHB6GD1GHC" in result.stderr, f"unknown id: {result.stderr[-300:]}")

    # TLP:RED and no-further-dissemination stay out unless named: STIX consumers ignore handling codes.
    red = post(data, json.loads((EXAMPLES / "human-trafficking.json").read_text()))
    restricted = post(data, json.loads((EXAMPLES / "terrorist-threat.json").read_text()))
    out, _ = export([], "default-markings")
    ids = [r["external_references"][0]["external_id"] for r in json.loads(out.read_text())["objects"] if r["type"] == "report"]
    check(red not in ids and restricted not in ids and len(ids) == 4, f"TLP:RED or no-further-dissemination exported by default: {ids}")
    _, result = export(["--id", red], "red-refused", expect=1)
    check(b"above --tlp-max" in result.stderr, f"--id of a TLP:RED bulletin: {result.stderr[-300:]}")
    _, result = export(["--id", restricted], "handling-refused", expect=1)
    check(b"--allow-handling no-further-dissemination" in result.stderr, f"--id of a restricted bulletin: {result.stderr[-300:]}")
    out, _ = export(["--tlp-max", "RED", "--allow-handling", "no-further-dissemination"], "named-markings")
    validate(out)
    ids = [r["external_references"][0]["external_id"] for r in json.loads(out.read_text())["objects"] if r["type"] == "report"]
    check(red in ids and restricted in ids and len(ids) == 6, f"--tlp-max RED --allow-handling: {ids}")
    out, _ = export(["--tlp-max", "GREEN"], "green")
    check("objects" not in json.loads(out.read_text()), "--tlp-max GREEN exported AMBER bulletins")

    # Byte for byte the same when exported again.
    again, _ = export([], "again")
    check(again.read_bytes() == (tmp / "store-all.json").read_bytes(), "two exports of the same store differ")

    # A correction that lowers the TLP reveals nothing of the TLP:RED version it corrects to an
    # export that may not include it: no revoked copy of what it dropped, no TLP:RED marking.
    secret = json.loads((EXAMPLES / "drug-trafficking.json").read_text())
    secret["tlp"], secret["workingGroup"] = "RED", "security"
    secret["details"]["people"][0]["name"] = {"latin": "INFORMANT Xavier"}
    secret_id = post(data, secret)
    lowered = json.loads(json.dumps(secret))
    lowered["tlp"], lowered["workingGroup"] = "AMBER", "customs"
    lowered["details"]["people"] = [p for p in lowered["details"]["people"] if p["localId"] != "p1"]
    lowered["details"].pop("phones", None)
    lowered_id = post(data, lowered, corrects=secret_id)
    red_marking = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
    for arguments, name in ((["--tlp-max", "AMBER"], "lowered"), (["--tlp-max", "AMBER", "--id", lowered_id], "lowered-id")):
        out, _ = export(arguments, name)
        validate(out)
        text = out.read_text()
        check(lowered_id in text and "INFORMANT" not in text and red_marking not in text,
              f"export {' '.join(arguments)} leaked the TLP:RED version a correction lowered")
    out, _ = export(["--tlp-max", "RED", "--id", lowered_id], "lowered-red")
    # (Dropping the first person makes the second person/0 and revokes person/1.)
    revoked = [o for o in json.loads(out.read_text())["objects"] if o.get("revoked")]
    check(any(o["type"] == "threat-actor" for o in revoked) and red_marking in json.dumps(revoked),
          "--tlp-max RED: the correction does not revoke what it dropped")

    test_links(tmp, data, export)


def test_links(tmp, data, export):
    """Correlation links as related-to relationships (docs/STIX.md, "Correlation links"): two
    bulletins with the same passport give one relationship, with the reason and confidence 100,
    valid for the OASIS validator and stix2; an earlier bulletin the export may not include gives
    none, not even its id."""
    wanted = json.loads((EXAMPLES / "wanted-person.json").read_text())
    first = post(data, wanted)
    second = post(data, wanted)
    out, result = export(["--id", first, "--id", second], "links")
    validate(out)
    stix2.parse(out.read_text(), allow_custom=False)
    summary = json.loads(result.stderr.decode().strip().splitlines()[-1])
    check(summary.get("linksUnavailable") is None and summary.get("notIndexed") == 0 and summary.get("relationships") == 1,
          f"links: summary {summary}")
    objects = json.loads(out.read_text())["objects"]
    report_of = {o["external_references"][0]["external_id"]: o["id"] for o in objects if o["type"] == "report"}
    links = [o for o in objects if o["type"] == "relationship" and "confidence" in o]
    check(len(links) == 1, f"{len(links)} relationships of links, 1 expected")
    link = links[0]
    check(link["relationship_type"] == "related-to" and link["source_ref"] == report_of[second]
          and link["target_ref"] == report_of[first], f"the link's ends: {link}")
    check(link["confidence"] == 100 and "196540312" in link["description"], f"the link's reason and confidence: {link}")
    check(link["object_marking_refs"] == [TLP["AMBER"]], f"the link's marking: {link['object_marking_refs']}")
    # Exported again: the same relationship, the same id.
    again, _ = export(["--id", second, "--id", first], "links-again")
    check(again.read_bytes() == out.read_bytes(), "the same link exported twice differs")
    # Without the earlier bulletin in the bundle: no relationship (every reference resolves).
    out, _ = export(["--id", second], "links-alone")
    validate(out)
    check(not any("confidence" in o for o in json.loads(out.read_text())["objects"] if o["type"] == "relationship"),
          "a relationship to a report the bundle does not hold")
    # An earlier TLP:RED copy: not under --tlp-max AMBER (nothing of it, not even its id), RED under --tlp-max RED.
    red = post(data, dict(wanted, tlp="RED"))
    third = post(data, wanted)
    out, _ = export(["--id", first, "--id", second, "--id", third], "links-amber")
    validate(out)
    text = out.read_text()
    objects = json.loads(text)["objects"]
    links = [o for o in objects if o["type"] == "relationship" and "confidence" in o]
    check(red not in text and len(links) == 3, f"--tlp-max AMBER: {len(links)} links, the RED bulletin named: {red in text}")
    out, _ = export(["--tlp-max", "RED", "--id", red, "--id", third], "links-red")
    validate(out)
    objects = json.loads(out.read_text())["objects"]
    red_report = next(o["id"] for o in objects if o["type"] == "report" and o["external_references"][0]["external_id"] == red)
    links = [o for o in objects if o["type"] == "relationship" and "confidence" in o]
    check(len(links) == 1 and links[0]["target_ref"] == red_report and links[0]["object_marking_refs"] == [TLP["RED"]],
          f"--tlp-max RED: the link to the RED bulletin {links}")


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    check(VALIDATOR.exists(), f"{VALIDATOR} is missing: make .build/browser-venv/installed")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-stix-") as temporary:
        tmp = Path(temporary)
        node = None
        try:
            tests = [
                ("every example's bundle is valid STIX 2.1, parses, is its worked example, has its TLP and a valid extension", lambda: test_examples(tmp)),
                ("each TLP gives its official marking", lambda: test_tlp_values(tmp)),
                ("a 1.2 bulletin's attachments: artifacts with their hash and url, valid, never a key", lambda: test_attachments(tmp)),
            ]
            for name, test in tests:
                try:
                    test()
                    passed.append(name)
                    print(f"ok {name}", flush=True)
                except Exception as error:  # noqa: BLE001 - every failure is reported, the others still run
                    failed.append(name)
                    print(f"FAILED {name}: {error}", flush=True)
                    if not isinstance(error, Failure):
                        traceback.print_exc()
            name = "export stix from a node's store: --id, --type, --origin, --since, --max, corrections"
            try:
                (tmp / "region.toml").write_text(REGION)
                bordernet(["region", "generate", "--config", str(tmp / "region.toml"), "--out", str(tmp / "region"),
                           "--base-port", str(free_base_port())])
                log = open(tmp / "node-ma.log", "wb")
                node = subprocess.Popen([str(BINARY), "node", "run", "--data", str(tmp / "region" / "ma")], cwd=ROOT,
                                        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
                wait_for_node(tmp / "region" / "ma")
                test_store(tmp, node)
                passed.append(name)
                print(f"ok {name}", flush=True)
            except Exception as error:  # noqa: BLE001
                failed.append(name)
                print(f"FAILED {name}: {error}", flush=True)
                if not isinstance(error, Failure):
                    traceback.print_exc()
        finally:
            if node is not None and node.poll() is None:
                node.send_signal(signal.SIGTERM)
                try:
                    node.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    print(f"note: the node (pid {node.pid}) ignored SIGTERM for 15 s; killed")
                    node.kill()
                    node.wait(timeout=5)
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
