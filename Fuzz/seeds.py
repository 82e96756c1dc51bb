#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target (docs/FUZZING.md) into a folder per target.

    Fuzz/seeds.py OUT        # OUT/<Target>/<name> for every target

The seeds come from Tests/Vectors, Schemas/examples, Deploy/region and a few handwritten cases,
each prefixed with the mode/option bytes its target reads first (see the comment at the top of
each Fuzz/Sources/<Target>/<Target>.swift). Fuzz/fuzz.sh seed merges them (libFuzzer -merge=1)
into Fuzz/Corpus, which is what is committed; this script is only needed to rebuild that corpus.
"""
import base64
import glob
import hashlib
import json
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "Tests", "Vectors")


def load(*path):
    with open(os.path.join(VECTORS, *path)) as f:
        return json.load(f)


def u16(n):
    return struct.pack(">H", n)


def u64(n):
    return struct.pack(">Q", n)


def chunk(b):
    return u16(len(b)) + b


seeds = {}


def add(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    seeds.setdefault(target, {})[name] = data


# --- Exchange -------------------------------------------------------------------------------
for i, env in enumerate(load("envelopes.json")["envelopes"]):
    raw = bytes.fromhex(env["envelopeHex"])
    for mode in (0, 3):
        add("FuzzEnvelope", f"vector-{i}-mode{mode}", bytes([mode]) + raw)
for path in sorted(glob.glob(os.path.join(VECTORS, "rejections", "*.json"))):
    probe = json.load(open(path))
    raw = bytes.fromhex(probe["envelopeHex"])
    if probe.get("appendZeroBytes", 0):
        # The oversized probe: the small-limits mode (bit 2) reaches the same check in 1 KiB.
        add("FuzzEnvelope", "oversized-small-limits", bytes([4]) + raw + bytes(1024))
        continue
    name = os.path.basename(path)[:-5]
    for mode in (0, 3):
        add("FuzzEnvelope", f"{name}-mode{mode}", bytes([mode]) + raw)

receipts = load("receipts.json")
for i, r in enumerate(receipts["receipts"]):
    for mode in (0, 1):
        add("FuzzReceipt", f"receipt-{i}-mode{mode}", bytes([mode]) + bytes.fromhex(r["signedReceiptHex"]))
for i, r in enumerate(receipts["rejections"]):
    for mode in (0, 1):
        add("FuzzReceipt", f"rejection-{i}-mode{mode}", bytes([mode]) + bytes.fromhex(r["signedReceiptHex"]))

roster = load("roster.json")
add("FuzzRoster", "signed-mode0", bytes([0]) + bytes.fromhex(roster["signedRosterHex"]))
add("FuzzRoster", "signed-mode1", bytes([1]) + bytes.fromhex(roster["signedRosterHex"]))
add("FuzzRoster", "json", bytes([2]) + json.dumps(roster["rosterJSON"]).encode())
add("FuzzRoster", "canonical", bytes([3]) + bytes.fromhex(roster["rosterHex"]))
# Format 3 (key history, docs/PROTOCOL.md §6.5): the signed roster, its JSON, its bytes, and the
# encodings a decoder must refuse (mode 3 parses them directly).
roster3 = load("roster-format-3.json")
add("FuzzRoster", "format3-signed-mode0", bytes([0]) + bytes.fromhex(roster3["signedRosterHex"]))
add("FuzzRoster", "format3-signed-mode1", bytes([1]) + bytes.fromhex(roster3["signedRosterHex"]))
add("FuzzRoster", "format3-json", bytes([2]) + json.dumps(roster3["rosterJSON"]).encode())
add("FuzzRoster", "format3-canonical", bytes([3]) + bytes.fromhex(roster3["rosterHex"]))
add("FuzzRoster", "format3-successor-canonical", bytes([3]) + bytes.fromhex(roster3["handOver"]["announcingRosterHex"]))
add("FuzzRoster", "format3-successor-signed-mode0", bytes([0]) + bytes.fromhex(roster3["handOver"]["announcingSignedRosterHex"]))
for i, refused in enumerate(roster3["refused"]):
    add("FuzzRoster", f"format3-refused-{i}", bytes([3]) + bytes.fromhex(refused["rosterHex"]))

for node in load("identities.json")["nodes"]:
    add("FuzzIdentityCard", f"{node['label']}-bytes", bytes([0]) + bytes.fromhex(node["cardHex"]))
    add("FuzzIdentityCard", f"{node['label']}-json", bytes([1]) + json.dumps(node["cardJSON"]).encode())

# --- JSON and bulletins ---------------------------------------------------------------------
examples = sorted(glob.glob(os.path.join(ROOT, "Schemas", "examples", "*.json")))
invalid = sorted(glob.glob(os.path.join(ROOT, "Schemas", "examples", "invalid", "*.json")))
for path in examples + invalid:
    name = ("invalid-" if "/invalid/" in path else "") + os.path.basename(path)[:-5]
    text = open(path, "rb").read()
    add("FuzzJSON", name, bytes([63]) + text)
    for stage in (0, 1):
        add("FuzzBulletin", f"{name}-stage{stage}", bytes([stage]) + text)
    add("FuzzObservables", name, text)
for i, text in enumerate([
    '{"a":[1,2.5,-0,1e308,-1E-308,true,false,null,"\\u00e9\\ud83d\\ude00\\n"]}',
    '"\\ud800"', '"\\udc00\\ud800"', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
    '{"a":1,"a":2}', '9223372036854775807', '-9223372036854775808', '9223372036854775808', '1.0e+2',
    '0.0000000000000000000000000000001', '123456789012345678901234567890', ' \t\r\n{} ', '"\u202e\u0000"',
    '{"title":"\\u202eevil","x":"\\u0000"}',
]):
    add("FuzzJSON", f"handwritten-{i}", bytes([63]) + text.encode())
add("FuzzJSON", "depth-4", bytes([3]) + b'{"command":"post","recipients":["DZ"]}')

# --- TOML -----------------------------------------------------------------------------------
node_toml = """# BorderNet node configuration (docs/CONFIGURATION.md)
[network]
publish = "tcp://0.0.0.0:7450"
service = "tcp://0.0.0.0:7451"

[paths]
store = "store.sqlite"
schemas = ""

[limits]
max_envelope_bytes = 98_304
replay_batch = 256
high_water_mark = 10_000
socket_buffer_bytes = 0
heartbeat_interval_ms = 2000
control_timeout_ms = 10000

[log]
level = "info"
"""
add("FuzzTOML", "node-default", node_toml)
add("FuzzTOML", "node-crlf", node_toml.replace("\n", "\r\n"))
add("FuzzTOML", "dotted-before-table", 'network.publish = "tcp://10.0.0.5:7450"\n[log]\nlevel = "debug"\n')
add("FuzzTOML", "dotted-in-table", '[limits]\nfoo.bar = 1\n')
add("FuzzTOML", "strings", '[paths]\nstore = "a\\"b\\\\c\\u00e9\\U0001F600\\t"\nschemas = \'C:\\raw\'\n')
add("FuzzTOML", "arrays", '[x]\na = [1, 2, 3]\nb = ["a", \'b\',\n  "c", # comment\n]\nc = true\nd = -1_000\n')
add("FuzzTOML", "errors", '[limits\nreplay_batch = 99999999999999999999\n[log]\nlevel = info\n= 3\n')
add("FuzzTOML", "duplicates", '[log]\nlevel = "info"\nlevel = "debug"\n[log]\n')
add("FuzzTOML", "inline-table", '[network]\npublish = { a = 1 }\nservice = 1.5\nx = 1979-05-27\ny = """multi"""\n')
for path in sorted(glob.glob(os.path.join(ROOT, "Deploy", "region", "*.toml"))):
    add("FuzzTOML", "region-" + os.path.basename(path)[:-5], open(path, "rb").read())

# --- Wire messages --------------------------------------------------------------------------
# FuzzWire: a reader byte (low 3 bits), its parameter bytes, then the frames as u16-length chunks.
CONTROL, PUBLICATION, SERVICE, REPLAY, ANSWER, FEED, RESPONSE, AUDIT_REQUEST = range(8)


def frames(reader, fs, parameters=b""):
    return bytes([reader]) + parameters + b"".join(chunk(f if isinstance(f, bytes) else f.encode()) for f in fs)


transport = load("transport.json")["messages"]
for i, m in enumerate(transport):
    fs = [bytes.fromhex(h) for h in m["framesHex"]]
    name = f"transport-{i}-{m['message']}"
    if m["message"] in ("envelope", "heartbeat"):
        add("FuzzWire", name, frames(PUBLICATION, fs, u16(0xFFFF)))
    elif m["message"] in ("envelopes", "roster-answer"):
        add("FuzzWire", name, frames(REPLAY, fs, bytes([255])))
    elif m["message"] == "audit-refused":
        add("FuzzWire", name, frames(ANSWER, fs))
    elif m["message"] in ("replay", "receipt", "roster") or m["message"].startswith("audit-"):
        add("FuzzWire", name, frames(SERVICE, fs))
        if m["message"].startswith("audit-"):
            add("FuzzWire", name + "-alone", frames(AUDIT_REQUEST, fs))
envelope = next(bytes.fromhex(m["framesHex"][2]) for m in transport if m["message"] == "envelope")
add("FuzzWire", "envelope-oversized", frames(PUBLICATION, [b"DZ", b"E", envelope], u16(len(envelope) - 1)))
add("FuzzWire", "replay-batch-over-limit", frames(REPLAY, [b"envelopes", u64(9), b"a", b"b", b"c"], bytes([2])))

# Answers of each audit kind (AuditAnswer), from Tests/Vectors/audit.
audit_head = load("audit", "tree-head.json")
audit_entries = load("audit", "entries.json")["entries"]
inclusion_proofs = sorted(glob.glob(os.path.join(VECTORS, "audit", "inclusion", "*.json")))
consistency_proofs = sorted(glob.glob(os.path.join(VECTORS, "audit", "consistency", "*.json")))
add("FuzzWire", "answer-head", frames(ANSWER, [b"audit-head", bytes.fromhex(audit_head["signedHeadHex"])]))
if inclusion_proofs:
    add("FuzzWire", "answer-inclusion", frames(ANSWER, [b"audit-inclusion", bytes.fromhex(json.load(open(inclusion_proofs[0]))["proofHex"])]))
if consistency_proofs:
    add("FuzzWire", "answer-consistency", frames(ANSWER, [b"audit-consistency", bytes.fromhex(json.load(open(consistency_proofs[0]))["proofHex"])]))
add("FuzzWire", "answer-entries", frames(ANSWER, [b"audit-entries", u64(0)] + [bytes.fromhex(e["entryHex"]) for e in audit_entries[:3]]))
add("FuzzWire", "answer-entries-none", frames(ANSWER, [b"audit-entries", u64(2**64 - 1)]))
add("FuzzWire", "answer-refused-no-reason", frames(ANSWER, [b"audit-refused"]))

# The local feed: [incident type, origin, bulletin JSON].
bulletin = open(examples[0], "rb").read() if examples else b"{}"
add("FuzzWire", "feed", frames(FEED, [b"drug-trafficking", b"MA", bulletin]))
add("FuzzWire", "feed-empty", frames(FEED, [b"", b"", b""]))

# Control requests: the JSON frame, then for a post its draft as a frame of its own.
for name, request, draft in [
    ("post", {"command": "post", "recipients": ["DZ", "TN"]}, bulletin),
    ("post-no-draft", {"command": "post", "recipients": ["DZ"]}, None),
    ("post-null", {"command": "post", "recipients": None, "query": None}, b"{}"),
    ("post-draft-in-json", {"command": "post", "draft": "{}", "recipients": []}, b""),
    ("status", {"command": "status"}, None),
    ("status-with-draft", {"command": "status"}, b"{}"),
    ("ping", {"command": "ping"}, None),
    ("metrics", {"command": "metrics"}, None),
    ("history", {"command": "history", "query": {"incidentType": "drug-trafficking", "origin": "MA", "since": 0, "limit": 100, "includeOwn": True}}, None),
    ("history-min", {"command": "history", "query": {"limit": 1, "includeOwn": False}}, None),
    ("record-access", {"command": "recordAccess", "accesses": [
        {"account": 7, "role": "reader", "action": "openBulletin", "outcome": "refused", "bulletin": "MA-01JN8SMHN0F25SPHBKNXW0JX05"},
        {"account": 0, "action": "signIn", "outcome": "lockedOut"}]}, None),
    ("roster-install", {"command": "rosterInstall"}, bytes.fromhex(load("roster.json")["signedRosterHex"])),
    ("roster-install-no-roster", {"command": "rosterInstall"}, None),
    ("record-access-odd", {"command": "recordAccess", "accesses": [{"account": -1, "role": None, "action": "signOut", "outcome": "notFound", "bulletin": ""}]}, None),
]:
    fs = [json.dumps(request, ensure_ascii=False).encode()] + ([draft] if draft is not None else [])
    add("FuzzWire", f"control-{name}", frames(CONTROL, fs))
add("FuzzWire", "control-escapes", frames(CONTROL, ['{"command":"post","recipients":["\\u0044Z","\\/"]}', b"\xff\x00"]))
add("FuzzWire", "control-duplicate-key", frames(CONTROL, ['{"command":"post","command":"status"}']))
add("FuzzWire", "control-unknown-command", frames(CONTROL, ['{"command":"shutdown"}']))
add("FuzzWire", "control-three-frames", frames(CONTROL, ['{"command":"post"}', b"{}", b"{}"]))

# Control responses: the one JSON frame is the rest of the input.
for name, response in [
    ("ok", {"ok": True}),
    ("failure", {"ok": False, "error": "invalid bulletin", "failures": ["/title: required"]}),
    ("posted", {"ok": True, "posted": {"id": "MA-01J0000000000000000000000", "envelopes": [{"recipient": "DZ", "sequence": 18446744073709551615}]}}),
    ("status", {"ok": True, "status": {
        "state": "MA", "nodeName": "ma-1", "rosterVersion": 3, "rosterExpiresAt": 1740830400000, "startedAt": 0,
        "outgoing": [{"recipient": "DZ", "sent": 3, "acknowledged": 1, "subscribed": True,
                      "oldestUnacknowledged": {"sequence": 2, "bulletinID": "MA-1", "ageSeconds": 60}}],
        "incoming": [{"origin": "DZ", "received": 2, "announced": 3, "lastContactAt": 1, "replaying": False, "acceptedLive": 2, "acceptedByReplay": 0}],
        "rejections": {"DZ": {"badSignature": 1}}, "storeBytes": 4096}}),
    ("history", {"ok": True, "bulletins": [{"id": "MA-1", "origin": "MA", "incidentType": "drug-trafficking", "tlp": "AMBER", "storedAt": 1, "body": "{}"}]}),
    ("metrics", {"ok": True, "metrics": "# TYPE bordernet_envelopes_sent counter\nbordernet_envelopes_sent 3\n"}),
]:
    add("FuzzWire", f"response-{name}", bytes([RESPONSE]) + json.dumps(response, ensure_ascii=False).encode())

# --- Audit ----------------------------------------------------------------------------------
entries = load("audit", "entries.json")["entries"]
for i, e in enumerate(entries):
    add("FuzzAuditWire", f"entry-{i}-{e['entryJSON']['event']['kind']}", bytes([0]) + bytes.fromhex(e["entryHex"]))
    add("FuzzAuditWire", f"entry-{i}-json", bytes([1]) + json.dumps(e["entryJSON"]).encode())
head = load("audit", "tree-head.json")
add("FuzzAuditWire", "head", bytes([2]) + bytes.fromhex(head["signedHeadHex"]))
add("FuzzAuditWire", "head-resigned", bytes([10]) + bytes.fromhex(head["signedHeadHex"]))
add("FuzzAuditWire", "head-json", bytes([3]) + json.dumps(head["headJSON"]).encode())
for path in sorted(glob.glob(os.path.join(VECTORS, "audit", "inclusion", "*.json"))):
    add("FuzzAuditWire", "inclusion-" + os.path.basename(path)[:-5], bytes([4]) + bytes.fromhex(json.load(open(path))["proofHex"]))
for path in sorted(glob.glob(os.path.join(VECTORS, "audit", "consistency", "*.json"))):
    add("FuzzAuditWire", "consistency-" + os.path.basename(path)[:-5], bytes([5]) + bytes.fromhex(json.load(open(path))["proofHex"]))
for leaves, index, size in [(12, 5, 12), (255, 0, 255), (7, 3, 4), (1, 0, 1), (0, 0, 0), (12, 2**64 - 1, 2**64 - 1)]:
    add("FuzzAuditWire", f"generate-{leaves}-{index}-{size}", bytes([6, leaves]) + u64(index) + u64(size))
add("FuzzAuditWire", "wire-number", bytes([7]) + chunk(u64(1000)))
add("FuzzAuditWire", "request-consistency", bytes([7]) + chunk(b"") + chunk(b"audit-consistency") + chunk(u64(5)) + chunk(u64(12)))
add("FuzzAuditWire", "request-head", bytes([7]) + chunk(b"") + chunk(b"audit-head"))


def sha256(b):
    return hashlib.sha256(b).digest()


leaves = [sha256(b"\x00" + bytes.fromhex(e["entryHex"])) for e in entries]


def mth(hashes):
    if not hashes:
        return sha256(b"")
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:]))


ma_key = bytes.fromhex(head["signingKey"])


def tree_head(size, timestamp=1740830460000, state=b"MA", key=ma_key):
    return b"BNTH\x01" + state + key + u64(size) + u64(timestamp) + mth(leaves[:size]) + bytes(64)


consistency = {}
for path in sorted(glob.glob(os.path.join(VECTORS, "audit", "consistency", "happy-path*.json"))):
    p = json.load(open(path))
    consistency[(p["firstSize"], p["secondSize"])] = bytes.fromhex(p["proofHex"])
entry_bytes = [bytes.fromhex(e["entryHex"]) for e in entries]
# Options: 1 re-sign, 2 held head (+ size byte), 4 refuse consistency, 8 collect twice, 16 honest inclusion.
add("FuzzAuditCollector", "fresh-12", bytes([0x11]) + chunk(tree_head(12)) + chunk(b"") + chunk(b"") + b"".join(chunk(e) for e in entry_bytes))
add("FuzzAuditCollector", "fresh-12-twice", bytes([0x19]) + chunk(tree_head(12)) + chunk(b"") + chunk(b"") + b"".join(chunk(e) for e in entry_bytes))
add("FuzzAuditCollector", "unsigned", bytes([0x00]) + chunk(tree_head(12)) + chunk(b"") + chunk(b""))
add("FuzzAuditCollector", "empty", bytes([0x01]) + chunk(tree_head(0)))
for (first, second), proof in sorted(consistency.items()):
    body = chunk(tree_head(second)) + chunk(proof) + chunk(b"") + b"".join(chunk(e) for e in entry_bytes[first:second])
    add("FuzzAuditCollector", f"extend-{first}-{second}", bytes([0x13, first]) + body)
    add("FuzzAuditCollector", f"extend-{first}-{second}-refused", bytes([0x17, first]) + body)
add("FuzzAuditCollector", "shrink", bytes([0x13, 12]) + chunk(tree_head(5)) + chunk(b"") + chunk(b""))
add("FuzzAuditCollector", "equivocation", bytes([0x13, 12]) + chunk(tree_head(12, timestamp=1)[:-96] + bytes(32) + bytes(64)) + chunk(b"") + chunk(b""))
add("FuzzAuditCollector", "wrong-state", bytes([0x11]) + chunk(tree_head(12, state=b"DZ")) + chunk(b"") + chunk(b""))

# Reconciler: states are the roster members in roster order (DZ ES MA MR TN XS), then LY.
STATES = ["DZ", "ES", "MA", "MR", "TN", "XS", "LY"]
S = {s: i for i, s in enumerate(STATES)}


def log(state, covered, records):
    head = bytes([S[state]]) + (b"\x01" + u64(covered) if covered is not None else b"\x00")
    return head + bytes([len(records)]) + b"".join(records)


def canonical(b):
    return b"\x00" + chunk(b)


def built(kind, rejected, origin, recipient, sequence, hash_byte, time, reason=0, other=None):
    k = ((66 + kind) << 1) | (1 if rejected else 0)
    record = bytes([k, S[origin], S[recipient]]) + u64(sequence) + bytes([hash_byte]) + u64(time) + u16(reason)
    return record + (u64(other) if other is not None else b"")


T = 1740830400000
add("FuzzReconciler", "ma-vector-log", b"\x00" + log("MA", T + 60000, [canonical(e) for e in entry_bytes]))
honest = (
    b"\x00"
    + log("MA", T + 120000, [built(0, False, "MA", "DZ", s, s, T + s) for s in (1, 2, 3)] + [built(2, False, "MA", "DZ", 3, 3, T + 10)])
    + log("DZ", T + 120000, [built(1, False, "MA", "DZ", s, s, T + s + 5) for s in (1, 2, 3)])
)
add("FuzzReconciler", "honest-link", honest)
troubled = (
    b"\x01" + u64(1000)
    + log("MA", T + 10**9, [built(0, False, "MA", "DZ", s, s, T + s) for s in (1, 2, 3, 4)]
          + [built(2, True, "MA", "DZ", 2, 2, T, reason=203), built(2, False, "MA", "DZ", 4, 9, T)])
    + log("DZ", T + 10**9, [built(1, False, "MA", "DZ", 1, 1, T + 5000), built(1, True, "MA", "DZ", 2, 2, T, reason=203),
                           built(1, False, "MA", "DZ", 4, 7, T), built(1, False, "MA", "DZ", 9, 9, T), built(3, False, "LY", "DZ", 77, 0, T, reason=102)])
)
add("FuzzReconciler", "troubled-link", troubled)
add("FuzzReconciler", "not-in-roster", b"\x00" + log("LY", None, [built(0, False, "LY", "TN", 1, 1, T)]) + log("TN", None, [built(1, False, "LY", "TN", 1, 1, T)]))
add("FuzzReconciler", "replays", b"\x00" + log("DZ", T, [built(4, False, "MA", "DZ", 1, 0, T, other=300)]) + log("MA", T, [built(5, False, "MA", "DZ", 1, 0, T, other=300)]))

# --- WebAuthn -------------------------------------------------------------------------------
# FuzzWebAuthn: mode 0 CBOR, 1 authenticator data, 2 registration (u16 clientDataJSON, then the
# attestation object), 3 assertion (u16 clientDataJSON, u16 authenticatorData, u16 signature,
# u32 stored counter, then the COSE key). Real attestation objects: the W3C Level 3 vectors the
# WebAuthnTests check (hex in SpecVectorTests.swift) and what Chromium's virtual authenticator
# sent in Tests/Browser/webauthn_test.py (Tests/Fixtures/WebAuthn).
import base64
import re


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cbor_head(b, i):
    """(major type, argument, offset after the head) of the CBOR item at b[i] (definite only)."""
    major, info = b[i] >> 5, b[i] & 31
    if info < 24:
        return major, info, i + 1
    n = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return major, int.from_bytes(b[i + 1:i + 1 + n], "big"), i + 1 + n


def cbor_skip(b, i):
    major, arg, i = cbor_head(b, i)
    if major in (2, 3):
        return i + arg
    if major == 4:
        for _ in range(arg):
            i = cbor_skip(b, i)
    elif major == 5:
        for _ in range(2 * arg):
            i = cbor_skip(b, i)
    return i


def auth_data_of(attestation_object):
    """The authData byte string of an attestation object (a map of fmt, attStmt, authData)."""
    major, count, i = cbor_head(attestation_object, 0)
    assert major == 5
    for _ in range(count):
        key_end = cbor_skip(attestation_object, i)
        key = attestation_object[i:key_end]
        _, length, start = cbor_head(attestation_object, key_end)
        if key == b"\x68authData":
            return attestation_object[start:start + length]
        i = cbor_skip(attestation_object, key_end)
    raise ValueError("no authData")


def cose_key_of(auth_data):
    """The credential public key of authenticator data with attested credential data."""
    length = int.from_bytes(auth_data[53:55], "big")
    start = 55 + length
    return auth_data[start:cbor_skip(auth_data, start)]


spec = open(os.path.join(ROOT, "Tests", "WebAuthnTests", "SpecVectorTests.swift")).read()
vector = {name: bytes.fromhex("".join(re.findall(r'"([0-9a-f]+)"', body)))
          for name, body in re.findall(r"static let (\w+) = hex\(\s*((?:\"[0-9a-f]+\"\s*)+)\)", spec)}
registrations = [
    ("w3c-none", vector["noneRegistrationClientData"], vector["noneAttestationObject"]),
    ("w3c-packed", vector["packedClientData"], vector["packedAttestationObject"]),
]
assertions = [("w3c-none", vector["noneAssertionClientData"], vector["noneAssertionAuthenticatorData"],
               vector["noneAssertionSignature"], cose_key_of(auth_data_of(vector["noneAttestationObject"])))]
fixtures = os.path.join(ROOT, "Tests", "Fixtures", "WebAuthn")
keys = {}
for path in sorted(glob.glob(os.path.join(fixtures, "chromium-registration-*.json"))):
    f = json.load(open(path))
    name = os.path.basename(path)[:-5]
    registrations.append((name, b64url(f["clientDataJSON"]), b64url(f["attestationObject"])))
    keys[f["credentialId"]] = cose_key_of(auth_data_of(b64url(f["attestationObject"])))
for path in sorted(glob.glob(os.path.join(fixtures, "chromium-assertion-*.json"))):
    f = json.load(open(path))
    assertions.append((os.path.basename(path)[:-5], b64url(f["clientDataJSON"]), b64url(f["authenticatorData"]),
                       b64url(f["signature"]), keys[f["credentialId"]]))
for name, client_data, attestation_object in registrations:
    auth_data = auth_data_of(attestation_object)
    add("FuzzWebAuthn", f"{name}-registration", b"\x02" + chunk(client_data) + attestation_object)
    add("FuzzWebAuthn", f"{name}-registration-uv", b"\x06" + chunk(client_data) + attestation_object)
    add("FuzzWebAuthn", f"{name}-attestation-object-cbor", b"\x00" + attestation_object)
    add("FuzzWebAuthn", f"{name}-attestation-object-cbor-small", b"\x04" + attestation_object)
    add("FuzzWebAuthn", f"{name}-auth-data", b"\x01" + auth_data)
    add("FuzzWebAuthn", f"{name}-cose-key-cbor", b"\x00" + cose_key_of(auth_data))
for name, client_data, auth_data, signature, key in assertions:
    counter = int.from_bytes(auth_data[33:37], "big")
    for stored in sorted({0, max(counter - 1, 0), counter}):
        add("FuzzWebAuthn", f"{name}-assertion-stored-{stored}",
            b"\x03" + chunk(client_data) + chunk(auth_data) + chunk(signature) + struct.pack(">I", stored) + key)
    add("FuzzWebAuthn", f"{name}-assertion-auth-data", b"\x01" + auth_data)
# Ed25519 (OKP) COSE key, extensions in authenticator data, and CBOR edge cases.
ed_key = bytes.fromhex("a4010103272006215820") + bytes(range(32))
add("FuzzWebAuthn", "eddsa-cose-key", b"\x03" + chunk(b"") + chunk(b"") + chunk(b"") + bytes(4) + ed_key)
add("FuzzWebAuthn", "auth-data-extensions", b"\x01" + bytes(32) + bytes([0x81]) + bytes(4) + bytes.fromhex("a16b6372656450726f74656374 02".replace(" ", "")))
for name, item in [("uint64-max", "1bffffffffffffffff"), ("negative", "3bfffffffffffffffe"), ("nested", "a1018182f5f4"),
                   ("text", "6bd985d8b1d8add8a8d8a7"), ("non-shortest", "1817"), ("indefinite", "9fff"), ("float", "f93c00")]:
    add("FuzzWebAuthn", f"cbor-{name}", b"\x00" + bytes.fromhex(item))

# --- Attachments ----------------------------------------------------------------------------
# FuzzAttachments: a mode byte (bit 0: keepMetadata), then the file. Small files of each type built
# here (as Tests/AttachmentsTests builds them), with the metadata cleaning removes.


def jpeg_segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def exif_tiff(gps=True, little=False):
    e = "<" if little else ">"
    entries = [struct.pack(e + "HHI", 0x010F, 2, 4) + b"Cam\0"]
    gps_ifd = 8 + 2 + 12 * (2 if gps else 1) + 4
    if gps:
        entries.append(struct.pack(e + "HHII", 0x8825, 4, 1, gps_ifd))
    tiff = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, 8) + struct.pack(e + "H", len(entries)) + b"".join(entries) + struct.pack(e + "I", 0)
    if gps:
        rationals = gps_ifd + 2 + 24 + 4
        tiff += struct.pack(e + "H", 2) + struct.pack(e + "HHI", 1, 2, 2) + b"N\0\0\0" + struct.pack(e + "HHII", 2, 5, 3, rationals) + struct.pack(e + "I", 0)
        tiff += struct.pack(e + "6I", 34, 1, 1, 1, 0, 1)
    return tiff


def jpeg(segments=(), trailing=b"", progressive=False):
    huffman = jpeg_segment(0xC4, bytes([0x00, 1]) + bytes(15) + b"\0") + jpeg_segment(0xC4, bytes([0x10, 1]) + bytes(15) + b"\0")
    scan = jpeg_segment(0xDA, bytes([1, 1, 0, 0, 63, 0]))
    body = (b"\xff\xd8" + jpeg_segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0") + b"".join(segments)
            + jpeg_segment(0xDB, b"\0" + bytes([1]) * 64) + jpeg_segment(0xC2 if progressive else 0xC0, bytes([8, 0, 1, 0, 1, 1, 1, 0x11, 0]))
            + huffman + scan)
    body += b"\x12\xff\x00\xff\xd0\x3f\xff\xff" + huffman + scan + b"\x3f" if progressive else b"\x3f"
    return body + b"\xff\xd9" + trailing


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(before=(), after=(), trailing=b"", colour=0):
    header = png_chunk(b"IHDR", struct.pack(">II", 1, 1) + bytes([8, colour, 0, 0, 0]))
    palette = png_chunk(b"PLTE", b"\x80\x80\x80") if colour == 3 else b""
    idat = png_chunk(b"IDAT", zlib.compress(b"\0\x80" if colour != 2 else b"\0\x80\x80\x80"))
    return (b"\x89PNG\r\n\x1a\n" + header + b"".join(before) + palette + idat + b"".join(after)
            + png_chunk(b"IEND", b"") + trailing)


def webp_chunk(kind, payload):
    return kind + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")


def riff(chunks):
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def pdf(startxref_to_object=False):
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>", b"<< /Author (Officer 17) >>"]
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % (offsets[0] if startxref_to_object else xref)


modernizr = {
    "lossy": "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA",
    "lossless": "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==",
    "alpha": "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA==",
    "animated": "UklGRlIAAABXRUJQVlA4WAoAAAASAAAAAAAAAAAAQU5JTQYAAAD/////AABBTk1GJgAAAAAAAAAAAAAAAAAAAGQAAABWUDhMDQAAAC8AAAAQBxAREYiI/gcA",
}
webp = {name: base64.b64decode(text) for name, text in modernizr.items()}
xmp_packet = b"<x:xmpmeta>Officer 17</x:xmpmeta>"
attachments = {
    "jpeg-baseline": jpeg(),
    "jpeg-metadata": jpeg([jpeg_segment(0xE1, b"Exif\0\0" + exif_tiff()), jpeg_segment(0xE2, b"ICC_PROFILE\0\x01\x01" + bytes(20)),
                           jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + xmp_packet), jpeg_segment(0xE2, b"FPXR\0\0\0\0"),
                           jpeg_segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04" + bytes(6)), jpeg_segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
                           jpeg_segment(0xEC, b"Ducky\0\x01\0\x04\0\0\0\x32"), jpeg_segment(0xFE, b"taken by officer 17")]),
    "jpeg-exif-little-endian-no-gps": jpeg([jpeg_segment(0xE1, b"Exif\0\0" + exif_tiff(gps=False, little=True))]),
    "jpeg-progressive-trailing": jpeg(progressive=True, trailing=b"PK\x03\x04trailing zip"),
    "png-gray": png(),
    "png-palette": png(colour=3),
    "png-metadata": png([png_chunk(b"tIME", struct.pack(">H", 2026) + bytes([11, 30, 17, 30, 0])),
                         png_chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)), png_chunk(b"tEXt", b"Author\0Officer 17"),
                         png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + xmp_packet)],
                        [png_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"")), png_chunk(b"iTXt", b"Title\0\0\0fr\0Titre\0Poste 3"),
                         png_chunk(b"eXIf", exif_tiff())], trailing=b"%PDF-1.7 hidden"),
    "webp-metadata": riff([webp_chunk(b"VP8X", bytes([0x0C]) + bytes(9)), webp["lossy"][12:],
                           webp_chunk(b"EXIF", exif_tiff()), webp_chunk(b"XMP ", xmp_packet)]),
    "pdf-xref": pdf(),
    "pdf-xref-stream-offset": pdf(startxref_to_object=True),
}
attachments.update({f"webp-{name}": data for name, data in webp.items()})
for name, data in attachments.items():
    for mode in (0, 1):
        add("FuzzAttachments", f"{name}-mode{mode}", bytes([mode]) + data)

# --- Write ----------------------------------------------------------------------------------
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-fuzz", "seeds")
for target, files in sorted(seeds.items()):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(files)} seeds")
