import Foundation
import Sodium

/// The browser's `clientDataJSON` (WebAuthn §5.8.1): which ceremony, which challenge, on which
/// page. It is parsed as JSON (never compared to a template: browsers add members) and its
/// SHA-256 is what the authenticator signed.
public struct CollectedClientData: Sendable {
    /// The largest clientDataJSON read.
    public static let maximumByteCount = 8 * 1_024

    /// `webauthn.create` or `webauthn.get` (checked by the caller).
    public let type: String
    /// The challenge's bytes, decoded from base64url.
    public let challenge: [UInt8]
    /// The origin of the page, e.g. `https://console.example`.
    public let origin: String
    /// `crossOrigin` when present and true, or a `topOrigin` present.
    public let isCrossOrigin: Bool

    public init(_ json: [UInt8]) throws(WebAuthnError) {
        guard json.count <= Self.maximumByteCount else {
            throw .tooLarge(what: "clientDataJSON", byteCount: json.count, limit: Self.maximumByteCount)
        }
        let decoded: Members
        do {
            decoded = try JSONDecoder().decode(Members.self, from: Data(json))
        } catch {
            throw .malformedClientData("not a JSON object with string 'type', 'challenge' and 'origin'")
        }
        guard let challenge = try? Base64.decode(decoded.challenge, variant: .urlSafeUnpadded) else {
            throw .malformedClientData("'challenge' is not base64url without padding")
        }
        let type = decoded.type, origin = decoded.origin
        let crossOrigin = decoded.crossOrigin == true || decoded.topOrigin != nil
        self.type = type
        self.challenge = challenge
        self.origin = origin
        self.isCrossOrigin = crossOrigin
    }

    /// The members read; others are ignored (WebAuthn §5.8.1.2: clients may add members).
    private struct Members: Decodable {
        let type: String
        let challenge: String
        let origin: String
        let crossOrigin: Bool?
        let topOrigin: String?
    }
}
