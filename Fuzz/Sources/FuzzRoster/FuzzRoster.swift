import Exchange
import Foundation
import FuzzSupport
import Sodium

// Roster reading (docs/PROTOCOL.md §6): `SignedRoster(serializedBytes:)`, `RosterVerifier.verify`
// and `accept` against the installed vector roster, `Roster(canonicalBytes:)`, and the JSON form
// (`rosterJSON`, what `bordernet roster` shows and reads).
//
// Input: one mode byte, then the bytes.
//   bits 0–1 = 0: signed roster bytes as they are;
//            = 1: the roster bytes re-signed with the vector secretariat key (all but the last 64
//                 bytes), so the parser behind the signature check is reached;
//            = 2: the bytes are roster JSON (JSONDecoder);
//            = 3: the bytes are canonical roster bytes, parsed directly.
// Invariants: a roster that parses re-encodes to the same bytes; decoded JSON re-encodes and
// decodes to an equal roster; in a format-3 roster (key history, docs/PROTOCOL.md §6.5) each
// entry's keys are in force 1 ms before its until, the state's last until is its switch time,
// and no revoked transport key is ever let in.
// Seeds: roster.json and roster-format-3.json (signedRosterHex in modes 0 and 1, rosterHex in
// mode 3, rosterJSON in mode 2), and roster-format-3.json's refused encodings in mode 3.

private let vectors = FuzzVectors.shared
private let verifier = RosterVerifier(secretariatKey: vectors.secretariatKey.publicKey)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoster(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte() & 3
    let bytes = input.rest()

    switch mode {
    case 0, 1:
        guard var signed = try? SignedRoster(serializedBytes: bytes) else { return 0 }
        if mode == 1 {
            signed = SignedRoster(
                rosterBytes: signed.rosterBytes, signature: vectors.secretariatKey.signature(for: signed.rosterBytes))
        }
        do {
            let roster = try verifier.verify(signed, now: vectors.now)
            check(roster, from: signed.rosterBytes)
        } catch {
            _ = "\(error)"
        }
        for installed in [nil, vectors.roster] {
            _ = try? verifier.accept(signed, installed: installed, now: vectors.now)
        }
    case 2:
        guard let roster = try? JSONDecoder().decode(Roster.self, from: Data(bytes)) else { return 0 }
        check(roster, from: nil)
        let again = try? JSONDecoder().decode(Roster.self, from: JSONEncoder().encode(roster))
        fuzzRequire(again == roster, "a roster decoded from JSON does not survive encode → decode")
    default:
        guard let roster = try? Roster(canonicalBytes: bytes) else { return 0 }
        check(roster, from: bytes)
    }
    return 0
}

private func check(_ roster: Roster, from bytes: [UInt8]?) {
    if let bytes {
        fuzzRequire(roster.canonicalBytes == bytes, "roster bytes are not canonical (\(bytes.count) bytes)")
    }
    let reparsed = try? Roster(canonicalBytes: roster.canonicalBytes)
    fuzzRequire(reparsed == roster, "a roster's canonical bytes do not parse back to it")
    for member in roster.members {
        _ = roster.recipients(of: member.state)
        _ = roster.origins(sendingTo: member.state)
        _ = roster.keysInForce(of: member.state, at: vectors.now)
    }
    _ = roster.isExpired(at: vectors.now)
    fuzzRequire(
        (roster.format == 3) == (!roster.retiredKeys.isEmpty || roster.successorKey != nil),
        "format 3 exactly when the roster has a key history or a successor key")
    let revoked = Set(roster.retiredKeys.filter(\.isRevoked).map(\.transportKey))
    for entry in roster.retiredKeys {
        if entry.until.millisecondsSinceEpoch > 0 {
            let before = Timestamp(millisecondsSinceEpoch: entry.until.millisecondsSinceEpoch - 1)
            fuzzRequire(
                roster.signingKey(of: entry.state, at: before) == entry.signingKey
                    && roster.encryptionKey(of: entry.state, at: before) == entry.encryptionKey,
                "a key history entry is not in force 1 ms before its until")
        }
        fuzzRequire(
            roster.switchTime(of: entry.state) == roster.retiredKeys(of: entry.state).last?.until,
            "the switch time is not the state's last until")
        _ = roster.revocations(of: entry.state)
        for time in [entry.until, vectors.now] {
            let allowed = roster.transportKeys(at: time).values.joined()
            fuzzRequire(!allowed.contains(where: revoked.contains), "a revoked transport key is let in")
        }
    }
    _ = roster.nextKeyChange(after: vectors.now)
}
