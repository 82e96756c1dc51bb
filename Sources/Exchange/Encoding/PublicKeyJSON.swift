import Sodium

extension KeyedDecodingContainer {
    /// The 32 bytes of a public key written as 64 hexadecimal digits under `key`, as identity
    /// cards and the roster's key history write their keys (docs/PROTOCOL.md §3); anything else
    /// is a decoding error naming the member.
    func decodePublicKeyBytes(forKey key: Key) throws -> [UInt8] {
        let text = try decode(String.self, forKey: key)
        guard let bytes = try? Hex.decode(text), bytes.count == 32 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "a public key is 64 hexadecimal digits")
        }
        return bytes
    }
}
