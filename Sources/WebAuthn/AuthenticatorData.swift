/// The authenticator data of a registration or an assertion (WebAuthn §6.1): what the
/// authenticator itself signed about the ceremony.
///
/// Layout: `rpIdHash` (32) ‖ `flags` (1) ‖ `signCount` (4, big-endian) ‖ attested credential data
/// when AT is set (AAGUID 16 ‖ credential id length 2 ‖ credential id ‖ COSE key) ‖ extensions
/// (a CBOR map) when ED is set. Nothing may follow.
public struct AuthenticatorData: Sendable {
    /// The flag bits of byte 32.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// User present (bit 0).
        public static let userPresent = Flags(rawValue: 0x01)
        /// User verified (bit 2).
        public static let userVerified = Flags(rawValue: 0x04)
        /// Backup eligible (bit 3).
        public static let backupEligible = Flags(rawValue: 0x08)
        /// Backed up (bit 4).
        public static let backedUp = Flags(rawValue: 0x10)
        /// Attested credential data included (bit 6).
        public static let attestedCredentialData = Flags(rawValue: 0x40)
        /// Extension data included (bit 7).
        public static let extensionData = Flags(rawValue: 0x80)
    }

    /// The credential the authenticator made (registration only).
    public struct AttestedCredential: Sendable {
        /// The authenticator model's AAGUID (16 bytes; zeros under `none` attestation).
        public let aaguid: [UInt8]
        /// The credential id, 1 to 1,023 bytes.
        public let credentialID: [UInt8]
        /// The credential's public key.
        public let publicKey: CredentialPublicKey
    }

    /// The largest credential id allowed (WebAuthn §6.5.1).
    public static let maximumCredentialIDLength = 1_023
    /// The largest authenticator data read.
    public static let maximumByteCount = 16 * 1_024

    /// The bytes as received (they are what is signed).
    public let bytes: [UInt8]
    /// SHA-256 of the RP ID the authenticator scoped the credential to.
    public let rpIDHash: [UInt8]
    public let flags: Flags
    /// The signature counter (0 for authenticators that keep none).
    public let signCount: UInt32
    /// Present when AT is set.
    public let attestedCredential: AttestedCredential?

    /// Parses authenticator data. Extensions, when ED is set, must be one well-formed CBOR map;
    /// their content is not used. AT set without credential data, ED set without a map, and
    /// any trailing byte are refused.
    public init(_ bytes: [UInt8]) throws(WebAuthnError) {
        guard bytes.count <= Self.maximumByteCount else {
            throw .tooLarge(what: "authenticator data", byteCount: bytes.count, limit: Self.maximumByteCount)
        }
        guard bytes.count >= 37 else { throw .malformedAuthenticatorData("\(bytes.count) bytes, at least 37 expected") }
        self.bytes = bytes
        rpIDHash = Array(bytes[0..<32])
        flags = Flags(rawValue: bytes[32])
        signCount = UInt32(bytes[33]) << 24 | UInt32(bytes[34]) << 16 | UInt32(bytes[35]) << 8 | UInt32(bytes[36])
        if flags.contains(.backedUp), !flags.contains(.backupEligible) {
            throw .malformedAuthenticatorData("backed up (BS) without backup eligibility (BE)")
        }
        var offset = 37
        let reader = CBORReader(maximumByteCount: Self.maximumByteCount, maximumDepth: 8, maximumItemCount: 256)
        if flags.contains(.attestedCredentialData) {
            guard bytes.count - offset >= 18 else { throw .malformedAuthenticatorData("attested credential data is truncated") }
            let aaguid = Array(bytes[offset..<offset + 16])
            let length = Int(bytes[offset + 16]) << 8 | Int(bytes[offset + 17])
            offset += 18
            guard length >= 1, length <= Self.maximumCredentialIDLength else { throw .invalidCredentialID(length: length) }
            guard bytes.count - offset >= length else { throw .malformedAuthenticatorData("the credential id is truncated") }
            let credentialID = Array(bytes[offset..<offset + length])
            offset += length
            let key: CBORValue
            let end: Int
            do {
                (key, end) = try reader.readPrefix(Array(bytes[offset...]))
            } catch {
                throw .malformedCBOR(what: "the credential public key", error)
            }
            offset += end
            attestedCredential = AttestedCredential(aaguid: aaguid, credentialID: credentialID, publicKey: try CredentialPublicKey(cose: key))
        } else {
            attestedCredential = nil
        }
        if flags.contains(.extensionData) {
            let extensions: CBORValue
            do {
                extensions = try reader.read(Array(bytes[offset...]))
            } catch {
                throw .malformedCBOR(what: "the authenticator extensions", error)
            }
            guard case .map = extensions else { throw .malformedAuthenticatorData("the extensions are a \(extensions.kind), not a map") }
        } else if offset != bytes.count {
            throw .malformedAuthenticatorData("\(bytes.count - offset) bytes follow the data its flags announce")
        }
    }
}
