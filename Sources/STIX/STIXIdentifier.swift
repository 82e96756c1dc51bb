/// Deterministic STIX identifiers: `<type>--<UUIDv5>` (RFC 9562 §5.5, SHA-1 name-based) in the
/// BorderNet namespace, so that a bulletin exported twice, or by two nodes, gives the same ids.
///
/// The name hashed is `<base>/<place>`: the bulletin id the objects belong to (for a correction
/// or a withdrawal, the first bulletin of its chain) and where the object comes from in it
/// (`report`, `incident`, `person/0`, …). Objects shared between bulletins (markings, the
/// extension definition, agencies, crossing points) are named without a bulletin id.
public enum STIXIdentifier {
    /// The BorderNet namespace: UUIDv5 of the URL namespace and `https://bordernet.example/stix`.
    public static let namespace: [UInt8] = [
        0xe9, 0x54, 0x5f, 0x95, 0x68, 0x5d, 0x52, 0x9b, 0xbd, 0xb5, 0x36, 0x34, 0x5d, 0x65, 0xf5, 0x42,
    ]

    /// The namespace STIX 2.1 (§2.9) gives for the deterministic ids of cyber-observable objects:
    /// `00abedb4-aa42-466c-9c01-fed23315a9b7`.
    public static let observableNamespace: [UInt8] = [
        0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
    ]

    /// `artifact--<UUIDv5>` of a file by its SHA-256 (64 lower-case hex digits), as STIX 2.1 makes an
    /// artifact's id: the name is the canonical JSON (RFC 8785) of its id contributing properties,
    /// here `{"hashes":{"SHA-256":"…"}}` (no `payload_bin`: the file is given by `url`). The same
    /// id as the `stix2` library gives, whoever exports the file.
    public static func artifactID(sha256: String) -> String {
        "artifact--\(uuid5(namespace: observableNamespace, name: "{\"hashes\":{\"SHA-256\":\"\(sha256)\"}}"))"
    }

    /// `<type>--<UUIDv5(namespace, name)>`.
    public static func make(type: String, name: String) -> String {
        "\(type)--\(uuid5(namespace: namespace, name: name))"
    }

    /// The lower-case text of the UUIDv5 of `name` in `namespace` (16 bytes).
    public static func uuid5(namespace: [UInt8], name: String) -> String {
        var digest = SHA1.hash(namespace + Array(name.utf8))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for index in 0..<16 {
            if [4, 6, 8, 10].contains(index) { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(digest[index] >> 4)])
            out.append(hex[Int(digest[index] & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SHA-1 (FIPS 180-4), for UUIDv5 names only: never for integrity or signatures (libsodium's
/// hashes serve those). Kept here so that the STIX mapping stays a pure target.
enum SHA1 {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bits = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            padded.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: padded.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] =
                    UInt32(padded[j]) << 24 | UInt32(padded[j + 1]) << 16 | UInt32(padded[j + 2]) << 8
                    | UInt32(padded[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = (x << 1) | (x >> 31)
            }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
                e = d
                d = c
                c = (b << 30) | (b >> 2)
                b = a
                a = temp
            }
            h[0] = h[0] &+ a
            h[1] = h[1] &+ b
            h[2] = h[2] &+ c
            h[3] = h[3] &+ d
            h[4] = h[4] &+ e
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }
}
