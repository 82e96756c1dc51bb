#!/usr/bin/env python3
"""MISP's own converter (misp-stix) imports the MISP profile of the export (issue 17, docs/STIX.md).

Run by `make test` and `make browser-test` after the browser tests, from the repository's root,
with the Python of .build/browser-venv (misp-stix and stix2-validator pinned in
Tests/Browser/requirements.txt):

    .build/browser-venv/bin/python Tests/Interop/misp_test.py

Every example bulletin of Schemas/examples (a correction and a withdrawal after the bulletin they
name) is exported with `bordernet export stix --profile misp --file`; the bundles pass
`stix2_validator --version 2.1 --strict --enforce-refs -d uuid-check`, and misp-stix's
ExternalSTIX2toMISPParser turns each into one MISP event without errors that keeps what matters:
the report's uuid, name and time, the TLP tag of the bulletin, its incident type as a tag, the
bulletin's location as a geolocation object (country, coordinates), every other place as a
geolocation object or a location galaxy cluster, every threat actor as a threat-actor galaxy
cluster, each means and document as a note; a withdrawal is tagged `withdrawn`. It also shows
that the default profile is what misp-stix cannot load (incident, infrastructure,
language-content). Prints `ok NAME` or `FAILED NAME: why` per test; exits 1 when one failed.
"""

import json
import subprocess
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from misp_stix_converter import ExternalSTIX2toMISPParser
from stix2.parsing import parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Interop"))
from stix_test import (  # noqa: E402
    ATTACHMENT_BASE, ATTACHMENT_KEYS, BINARY, VALIDATOR, Failure, attachment_bulletin, bordernet, check, validate, worked_examples)

MISP_TLP = {"CLEAR": "tlp:clear", "GREEN": "tlp:green", "AMBER": "tlp:amber", "AMBER+STRICT": "tlp:amber+strict",
            "RED": "tlp:red"}


def convert(path):
    """The MISP event misp-stix makes of the bundle at `path`, and the errors it reports."""
    parser = ExternalSTIX2toMISPParser()
    parser.load_stix_bundle(parse(path.read_text(), allow_custom=True, interoperability=True))
    parser.parse_stix_bundle()
    errors = [error for errors in parser.errors.values() for error in errors]
    return json.loads(parser.misp_event.to_json()), errors


def clusters_in(value):
    """Every (galaxy type, cluster value) of the event, on the event or on one of its objects."""
    found = set()
    if isinstance(value, dict):
        if "GalaxyCluster" in value and "type" in value:
            found |= {(value["type"], cluster["value"]) for cluster in value["GalaxyCluster"]}
        for item in value.values():
            found |= clusters_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= clusters_in(item)
    return found


def uuid(stix_id):
    return stix_id.split("--", 1)[1]


def epoch(stix_time):
    return int(datetime.fromisoformat(stix_time.replace("Z", "+00:00")).timestamp())


def export(files, out, profile):
    bordernet(["export", "stix", "--schemas", "Schemas", "--profile", profile,
               *sum((["--file", str(f)] for f in files), []), "--out", str(out)])
    return json.loads(out.read_text())


def check_event(name, bundle, event, bulletin):
    report = [o for o in bundle["objects"] if o["type"] == "report"][-1]
    check(event["uuid"] == uuid(report["id"]), f"{name}: event uuid {event['uuid']} is not the report's")
    check(event["info"] == report["name"], f"{name}: event info {event['info']!r}")
    check(int(event["timestamp"]) == epoch(report["modified"]), f"{name}: event time {event['timestamp']}")
    tags = {tag["name"] for tag in event.get("Tag", [])}
    check(MISP_TLP[bulletin["tlp"]] in tags, f"{name}: no {MISP_TLP[bulletin['tlp']]} tag in {sorted(tags)}")
    check(bulletin["incidentType"] in tags, f"{name}: no {bulletin['incidentType']} tag")
    check(not [t for t in tags if t.startswith("tlp:") and t != MISP_TLP[bulletin["tlp"]]], f"{name}: another TLP tag")
    objects = {o["uuid"]: o for o in event.get("Object", [])}
    clusters = clusters_in(event)
    notes = [n["note"] for n in event.get("Note", [])]
    if bulletin.get("withdraws"):
        check("withdrawn" in tags, f"{name}: the withdrawal is not tagged withdrawn")
        return
    refs = set(report["object_refs"])
    by_id = {o["id"]: o for o in bundle["objects"] if o["id"] in refs}
    main = [o for o in by_id.values() if o["type"] == "location" and o.get("country") == bulletin["location"]["country"]
            and "extensions" not in o]
    check(main, f"{name}: the bulletin's location is not in the report")
    geo = objects.get(uuid(main[0]["id"]))
    check(geo is not None and geo["name"] == "geolocation", f"{name}: the bulletin's location is no geolocation object")
    values = {a["object_relation"]: str(a["value"]) for a in geo["Attribute"]}
    check(values.get("countrycode") == bulletin["location"]["country"], f"{name}: geolocation country {values}")
    position = bulletin["location"].get("position")
    if position:
        check(abs(float(values.get("latitude", "nan")) - position["latitude"]) < 1e-6
              and abs(float(values.get("longitude", "nan")) - position["longitude"]) < 1e-6,
              f"{name}: geolocation coordinates {values}")
    for stix in by_id.values():
        if stix["type"] == "location":
            check(uuid(stix["id"]) in objects or ("stix-2.1-location", stix["name"]) in clusters,
                  f"{name}: place {stix['name']!r} is not in the event")
        elif stix["type"] == "threat-actor":
            check(("stix-2.1-threat-actor", stix["name"]) in clusters, f"{name}: threat actor {stix['name']!r} missing")
        elif stix["type"] == "identity":
            check(uuid(stix["id"]) in objects, f"{name}: identity {stix['name']!r} missing")
        elif stix["type"] == "note":
            check(stix["content"] in notes, f"{name}: note {stix['abstract']!r} missing")
    details = bulletin.get("details", {})
    means = sum(len(details.get(k, [])) for k in ("vehicles", "vessels", "aircraft", "phones"))
    check(len([o for o in by_id.values() if o["type"] == "note"])
          == means + len(details.get("documents", [])) + len(bulletin.get("attachments", [])),
          f"{name}: not every means, document and attachment is a note")


def test_misp_profile(tmp):
    paths, count = [], 0
    for name, files, bulletin in worked_examples():
        out = tmp / f"{name}.misp.json"
        bundle = export(files, out, "misp")
        paths.append(out)
        types = {o["type"] for o in bundle["objects"]}
        check(not types & {"incident", "infrastructure", "language-content"}, f"{name}: {types}")
        event, errors = convert(out)
        check(not errors, f"{name}: misp-stix reports {errors[:4]}")
        check_event(name, bundle, event, bulletin)
        count += 1
    check(count == 22, f"{count} examples exported, 22 expected")
    result = subprocess.run([str(VALIDATOR), "--version", "2.1", "--strict", "--enforce-refs", "-d", "uuid-check",
                             *map(str, paths)], capture_output=True, text=True, timeout=300)
    findings = [line.strip() for line in result.stdout.splitlines() if "[X]" in line or "[!]" in line]
    check(result.returncode == 0 and result.stdout.count("STIX JSON: Valid") == len(paths),
          "stix2_validator refuses the MISP profile: " + " | ".join(findings)[:1500])


def test_attachments(tmp):
    """A 1.2 bulletin's attachments in the MISP profile: valid, and misp-stix makes each file a
    MISP `artifact` object (sha256, mime_type, url) and each caption an event note, without errors;
    no key anywhere; without --attachment-url, no artifact and still no error."""
    path, bulletin = attachment_bulletin(tmp)
    for base in (ATTACHMENT_BASE, None):
        out = tmp / f"attachments-{'url' if base else 'none'}.misp.json"
        bordernet(["export", "stix", "--schemas", "Schemas", "--profile", "misp", "--file", str(path), "--out", str(out),
                   *(["--attachment-url", base] if base else [])])
        validate(out)
        check(not any(key in out.read_text() for key in ATTACHMENT_KEYS), "a file's key is in the MISP bundle")
        event, errors = convert(out)
        check(not errors, f"misp-stix reports {errors[:4]}")
        check_event("attachments", json.loads(out.read_text()), event, bulletin)
        artifacts = [{a["object_relation"]: a["value"] for a in o["Attribute"]} for o in event.get("Object", []) if o["name"] == "artifact"]
        if base is None:
            check(artifacts == [], f"without a base: {artifacts}")
            continue
        expected = [{"sha256": entry["sha256"], "mime_type": entry["mediaType"],
                     "url": f"{ATTACHMENT_BASE}/bulletins/{bulletin['id']}/attachments/{number}"}
                    for number, entry in enumerate(bulletin["attachments"], start=1)]
        check(sorted(artifacts, key=lambda a: a["url"]) == expected, f"MISP artifacts {artifacts}")
        notes = [n["note"] for n in event.get("Note", [])]
        check("Le suspect au poste frontière" in notes, f"the caption is not an event note: {notes}")


def test_default_profile(tmp):
    """What the MISP profile is for: misp-stix cannot load the default profile's incident,
    infrastructure and language-content objects (if it learns to, revisit docs/STIX.md)."""
    name, files, _ = next(w for w in worked_examples() if w[0] == "drug-trafficking")
    out = tmp / f"{name}.json"
    export(files, out, "standard")
    _, errors = convert(out)
    for kind in ("incident", "infrastructure", "language-content"):
        check(f"Unable to load STIX object type: {kind}" in errors, f"misp-stix now loads {kind}: {errors[:4]}")


def main():
    check(BINARY.exists(), f"{BINARY} is missing: run swift build first")
    passed, failed = [], []
    with tempfile.TemporaryDirectory(prefix="bordernet-misp-") as temporary:
        tmp = Path(temporary)
        for name, test in [
            ("misp-stix imports every example of the MISP profile without errors, keeping time, TLP, places, actors, means",
             lambda: test_misp_profile(tmp)),
            ("misp-stix imports a 1.2 bulletin's attachments as artifact objects, without errors",
             lambda: test_attachments(tmp)),
            ("misp-stix cannot load the default profile's incident, infrastructure, language-content",
             lambda: test_default_profile(tmp)),
        ]:
            try:
                test()
                passed.append(name)
                print(f"ok {name}", flush=True)
            except Exception as error:  # noqa: BLE001 - every failure is reported, the others still run
                failed.append(name)
                print(f"FAILED {name}: {error}", flush=True)
                if not isinstance(error, Failure):
                    traceback.print_exc()
    print(f"{len(passed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
