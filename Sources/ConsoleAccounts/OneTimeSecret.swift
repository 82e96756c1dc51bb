import Sodium

/// Texts made from libsodium's random generator for people to type: one-time passwords and
/// recovery codes. The alphabet is Crockford's base32 in lower case (no i, l, o or u), 32
/// characters, so each random byte's low five bits pick a character without bias; reading a
/// code back maps i and l to 1 and o to 0.
enum OneTimeSecret {
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// `groups` groups of `groupLength` random characters joined by `-` (5 bits each).
    static func make(groups: Int, groupLength: Int) -> String {
        let random = SecureRandom.bytes(count: groups * groupLength)
        var text: [UInt8] = []
        for (index, byte) in random.enumerated() {
            if index > 0, index % groupLength == 0 { text.append(UInt8(ascii: "-")) }
            text.append(alphabet[Int(byte & 0x1F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The characters of `text` a code is compared on: lower case, without spaces and dashes,
    /// with Crockford's confusable letters read as digits; `nil` when another character is there.
    static func canonical(_ text: String) -> String? {
        var result: [UInt8] = []
        for byte in text.lowercased().utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: " "): continue
            case UInt8(ascii: "i"), UInt8(ascii: "l"): result.append(UInt8(ascii: "1"))
            case UInt8(ascii: "o"): result.append(UInt8(ascii: "0"))
            default:
                guard alphabet.contains(byte) else { return nil }
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
