import FuzzSupport
import WebAuthn

// The console's second factor as a browser (or a hostile client) sends it (docs/CONSOLE.md, "The
// second factor"): the bounded CTAP2 CBOR reader, authenticator data, COSE keys, attestation
// objects through `RelyingParty.verifyRegistration` and assertions through `verifyAuthentication`.
//
// Input: one mode byte, then what the mode reads.
//   mode % 4 == 0: CBOR, the rest of the input: `CBORReader.read` and `readPrefix` with the
//                  defaults, or (bit 2) with small limits (64 bytes, depth 2, 8 items).
//   mode % 4 == 1: authenticator data, the rest: `AuthenticatorData(_:)`.
//   mode % 4 == 2: a registration: clientDataJSON as a u16-length chunk, then the attestation
//                  object. The relying party is the clientData's own origin (its host as RP ID)
//                  and the challenge its own, so the checks behind them are reached; bit 2 asks
//                  for user verification.
//   mode % 4 == 3: an assertion: clientDataJSON, authenticator data and signature as u16-length
//                  chunks, a stored counter (u32, big-endian), then the COSE key
//                  (`CredentialPublicKey(cose:)`); relying party and challenge as for mode 2.
// Invariants (what docs/CONSOLE.md and the readers' comments promise):
//   - CBOR accepted is canonical: re-encoded (definite lengths, shortest forms) it is the input;
//     `readPrefix` of an item followed by other bytes stops where the item ends.
//   - authenticator data keeps its bytes; AT set ⇔ an attested credential, whose id is 1–1,023
//     bytes and whose key's `coseBytes` read back to the same key.
//   - a registration accepted is `none` or `packed`, names the credential of its authenticator
//     data, and its key's `coseBytes` read back to the same bytes.
//   - an assertion accepted has a counter above the stored one unless both are zero.
// Seeds: Fuzz/seeds.py — the W3C Level 3 vectors of Tests/WebAuthnTests/SpecVectorTests.swift
// (none and packed registrations, an assertion) and the registrations Chromium's virtual
// authenticator made in Tests/Browser/webauthn_test.py (Tests/Vectors/webauthn), in every mode.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebAuthn(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.byte()
    switch mode % 4 {
    case 0: fuzzCBOR(input.rest(), small: mode & 4 != 0)
    case 1: fuzzAuthenticatorData(input.rest())
    case 2:
        let clientData = input.chunk()
        fuzzRegistration(clientData: clientData, attestationObject: input.rest(), userVerification: mode & 4 != 0)
    default:
        let clientData = input.chunk(), authenticatorData = input.chunk(), signature = input.chunk()
        let stored = UInt32(input.uint16()) << 16 | UInt32(input.uint16())
        fuzzAssertion(clientData: clientData, authenticatorData: authenticatorData, signature: signature, stored: stored, cose: input.rest())
    }
    return 0
}

private func fuzzCBOR(_ bytes: [UInt8], small: Bool) {
    let reader = small ? CBORReader(maximumByteCount: 64, maximumDepth: 2, maximumItemCount: 8) : CBORReader()
    do {
        let value = try reader.read(bytes)
        fuzzRequire(encode(value) == bytes, "accepted CBOR is not canonical: \(value)")
        let (again, end) = try reader.readPrefix(bytes)
        fuzzRequire(again == value && end == bytes.count, "read and readPrefix disagree")
    } catch {
        _ = error.description
    }
    // An item followed by other bytes: readPrefix stops at its end.
    if let (value, end) = try? reader.readPrefix(bytes) {
        fuzzRequire(end >= 1 && end <= bytes.count, "readPrefix ended at \(end) of \(bytes.count)")
        fuzzRequire(encode(value) == Array(bytes[0..<end]), "the prefix item is not canonical: \(value)")
    }
}

private func fuzzAuthenticatorData(_ bytes: [UInt8]) {
    let authData: AuthenticatorData
    do {
        authData = try AuthenticatorData(bytes)
    } catch {
        _ = error.description
        return
    }
    fuzzRequire(authData.bytes == bytes && authData.rpIDHash == Array(bytes[0..<32]), "authenticator data does not keep its bytes")
    fuzzRequire(
        authData.flags.contains(.attestedCredentialData) == (authData.attestedCredential != nil),
        "AT flag \(authData.flags.contains(.attestedCredentialData)) with credential \(authData.attestedCredential != nil)")
    if let credential = authData.attestedCredential {
        fuzzRequire((1...AuthenticatorData.maximumCredentialIDLength).contains(credential.credentialID.count), "credential id of \(credential.credentialID.count) bytes")
        fuzzRequire(credential.aaguid.count == 16, "aaguid of \(credential.aaguid.count) bytes")
        checkKeyRoundTrip(credential.publicKey)
    }
}

private func fuzzRegistration(clientData: [UInt8], attestationObject: [UInt8], userVerification: Bool) {
    guard let (party, challenge) = relyingParty(clientData) else { return }
    do {
        let credential = try party.verifyRegistration(
            clientDataJSON: clientData, attestationObject: attestationObject, challenge: challenge, requireUserVerification: userVerification)
        fuzzRequire(["none", "packed"].contains(credential.attestationFormat), "format \(credential.attestationFormat) accepted")
        fuzzRequire(!userVerification || credential.userVerified, "user verification required but not reported")
        checkKeyRoundTrip(credential.publicKey)
        // The credential is the one its authenticator data names.
        let object = try? CBORReader(maximumByteCount: RelyingParty.maximumAttestationObjectByteCount).read(attestationObject)
        guard case .bytes(let authDataBytes)? = object?[.text("authData")], let authData = try? AuthenticatorData(authDataBytes) else {
            fuzzRequire(false, "an accepted attestation object no longer reads")
            return
        }
        fuzzRequire(authData.attestedCredential?.credentialID == credential.id, "the credential is not the authenticator data's")
        fuzzRequire(authData.signCount == credential.signCount, "the counter is not the authenticator data's")
    } catch {
        _ = error.description
    }
}

private func fuzzAssertion(clientData: [UInt8], authenticatorData: [UInt8], signature: [UInt8], stored: UInt32, cose: [UInt8]) {
    let key: CredentialPublicKey
    do {
        key = try CredentialPublicKey(cose: cose)
    } catch {
        _ = error.description
        return
    }
    checkKeyRoundTrip(key)
    guard let (party, challenge) = relyingParty(clientData) else { return }
    do {
        let assertion = try party.verifyAuthentication(
            clientDataJSON: clientData, authenticatorData: authenticatorData, signature: signature, challenge: challenge, key: key,
            storedSignCount: stored)
        fuzzRequire(assertion.signCount > stored || (assertion.signCount == 0 && stored == 0), "counter \(assertion.signCount) accepted over \(stored)")
    } catch {
        _ = error.description
    }
}

/// The relying party of the clientData's own origin (its host as RP ID) and its challenge, or
/// `nil` when the clientData does not parse (the verifiers refuse it first anyway).
private func relyingParty(_ clientData: [UInt8]) -> (RelyingParty, [UInt8])? {
    guard let parsed = try? CollectedClientData(clientData) else { return nil }
    var host = Substring(parsed.origin)
    if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
    if let colon = host.lastIndex(of: ":") { host = host[..<colon] }
    return (RelyingParty(id: String(host), origin: parsed.origin), parsed.challenge)
}

/// A key's canonical COSE bytes read back to the same key.
private func checkKeyRoundTrip(_ key: CredentialPublicKey) {
    let bytes = key.coseBytes
    guard let again = try? CredentialPublicKey(cose: bytes) else {
        fuzzRequire(false, "coseBytes do not read back: \(bytes)")
        return
    }
    fuzzRequire(again.coseBytes == bytes && again.algorithm == key.algorithm, "coseBytes read back to another key")
}

/// The canonical encoding of `value` (CTAP2: definite lengths, shortest heads, entries in the
/// order given), to compare with what the reader accepted.
private func encode(_ value: CBORValue) -> [UInt8] {
    func head(_ major: UInt8, _ argument: UInt64) -> [UInt8] {
        let type = major << 5
        switch argument {
        case 0..<24: return [type | UInt8(argument)]
        case 24...0xff: return [type | 24, UInt8(argument)]
        case 0x100...0xffff: return [type | 25] + (0..<2).reversed().map { UInt8(truncatingIfNeeded: argument >> (8 * $0)) }
        case 0x10000...0xffff_ffff: return [type | 26] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: argument >> (8 * $0)) }
        default: return [type | 27] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: argument >> (8 * $0)) }
        }
    }
    switch value {
    case .integer(let number):
        return number >= 0 ? head(0, UInt64(number)) : head(1, UInt64(-(number + 1)))
    case .bytes(let bytes): return head(2, UInt64(bytes.count)) + bytes
    case .text(let text): return head(3, UInt64(text.utf8.count)) + Array(text.utf8)
    case .array(let items): return head(4, UInt64(items.count)) + items.flatMap(encode)
    case .map(let entries): return head(5, UInt64(entries.count)) + entries.flatMap { encode($0.key) + encode($0.value) }
    case .boolean(let flag): return [flag ? 0xf5 : 0xf4]
    }
}
