import Exchange
import Foundation
import FuzzSupport

// Identity card reading (docs/PROTOCOL.md §3 and §5): `IdentityCard(canonicalBytes:)` (inside a
// roster, and the card file `bordernet roster add` reads) and the JSON card (`cardJSON`).
//
// Input: one mode byte, then the bytes: bit 0 clear = canonical bytes, set = JSON.
// Invariants: canonical bytes that parse re-encode to themselves; a JSON card re-encodes to
// canonical bytes that parse back to an equal card, and its JSON survives encode → decode.
// Seeds: identities.json (cardHex in mode 0, cardJSON in mode 1) of every node.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIdentityCard(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    let bytes = input.rest()

    let card: IdentityCard
    if mode & 1 == 0 {
        guard let parsed = try? IdentityCard(canonicalBytes: bytes) else { return 0 }
        fuzzRequire(parsed.canonicalBytes == bytes, "card bytes are not canonical (\(bytes.count) bytes)")
        card = parsed
    } else {
        guard let decoded = try? JSONDecoder().decode(IdentityCard.self, from: Data(bytes)) else { return 0 }
        let again = try? JSONDecoder().decode(IdentityCard.self, from: JSONEncoder().encode(decoded))
        fuzzRequire(again == decoded, "a JSON card does not survive encode → decode")
        card = decoded
    }
    let reparsed = try? IdentityCard(canonicalBytes: card.canonicalBytes)
    fuzzRequire(reparsed == card, "a card's canonical bytes do not parse back to it")
    _ = card.description
    return 0
}
