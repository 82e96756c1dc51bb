#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target (docs/FUZZING.md) into a folder per target.

    Fuzz/seeds.py OUT        # OUT/<Target>/<name> for every target

The seeds come from Tests/Vectors, Schemas/examples, Deploy/region and a few handwritten cases,
each prefixed with the mode/option bytes its target reads first (see the comment at the top of
each Fuzz/Sources/<Target>/<Target>.swift). Fuzz/fuzz.sh seed merges them (libFuzzer -merge=1)
into Fuzz/Corpus, which is what is committed; this script is only needed to rebuild that corpus.
"""
import glob
import hashlib
import json
import os
import struct
import sys

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

# --- Control requests -----------------------------------------------------------------------
bulletin = open(examples[0]).read() if examples else "{}"
for name, request in [
    ("post", {"command": "post", "bulletin": bulletin, "recipients": ["DZ", "TN"]}),
    ("post-null", {"command": "post", "bulletin": None, "recipients": None}),
    ("post-general", {"command": "post", "bulletin": "{}", "recipients": ["DZ"], "query": None}),
    ("status", {"command": "status"}),
    ("ping", {"command": "ping"}),
    ("metrics", {"command": "metrics"}),
    ("history", {"command": "history", "query": {"incidentType": "drug-trafficking", "origin": "MA", "since": 0, "limit": 100, "includeOwn": True}}),
    ("history-min", {"command": "history", "query": {"limit": 1, "includeOwn": False}}),
]:
    add("FuzzControlRequest", name, json.dumps(request, ensure_ascii=False))
add("FuzzControlRequest", "escapes", '{"command":"post","bulletin":"\\ud83d\\ude00\\u0000","recipients":["\\u0044Z"]}')
add("FuzzControlRequest", "duplicate-key", '{"command":"post","command":"status"}')
add("FuzzControlRequest", "unknown-command", '{"command":"shutdown"}')

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
add("FuzzAuditWire", "wire-number", bytes([7]) + u64(1000))


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

# --- Write ----------------------------------------------------------------------------------
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-fuzz", "seeds")
for target, files in sorted(seeds.items()):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    print(f"{target}: {len(files)} seeds")
