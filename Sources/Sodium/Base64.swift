internal import CSodium

/// Base64 text for bytes, using libsodium's constant-time codec (safe for keys).
public enum Base64 {
    /// Which alphabet and whether `=` padding is written.
    public enum Variant: Sendable {
        /// RFC 4648 §4: `+` and `/`, padded.
        case standard
        /// RFC 4648 §5: `-` and `_`, without padding (file names, URLs, command lines).
        case urlSafeUnpadded

        var sodiumValue: Int32 {
            switch self {
            case .standard: sodium_base64_VARIANT_ORIGINAL
            case .urlSafeUnpadded: sodium_base64_VARIANT_URLSAFE_NO_PADDING
            }
        }
    }

    /// The Base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8], variant: Variant = .standard) -> String {
        SodiumLibrary.ensureInitialized()
        var text = [UInt8](repeating: 0, count: sodium_base64_encoded_len(bytes.count, variant.sodiumValue))
        withMutableBytePointer(&text) { out, outCount in
            withBytePointer(bytes) { input, count in
                out.withMemoryRebound(to: CChar.self, capacity: outCount) { chars in
                    _ = sodium_bin2base64(chars, outCount, input, count, variant.sodiumValue)
                }
            }
        }
        return String(decoding: text.dropLast(), as: UTF8.self)
    }

    /// The bytes of a Base64 text in `variant`; any other character or a bad length is refused.
    public static func decode(_ text: String, variant: Variant = .standard) throws(SodiumError) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        let input = Array(text.utf8)
        // libsodium reads its input as signed `char`: a byte from 0x80 on would decode as a
        // character of the alphabet instead of being refused. Only the variant's alphabet passes.
        guard input.allSatisfy({ variant.contains($0) }) else { throw SodiumError.invalidEncoding("Base64") }
        var bytes = [UInt8](repeating: 0, count: input.count / 4 * 3 + 3)
        var written = 0
        let status = withMutableBytePointer(&bytes) { out, outCount in
            withBytePointer(input) { b64, b64Count in
                b64.withMemoryRebound(to: CChar.self, capacity: b64Count) { chars in
                    // With no end pointer, libsodium refuses any character outside the alphabet.
                    sodium_base642bin(out, outCount, chars, b64Count, nil, &written, nil, variant.sodiumValue)
                }
            }
        }
        guard status == 0 else { throw SodiumError.invalidEncoding("Base64") }
        return Array(bytes.prefix(written))
    }
}

extension Base64.Variant {
    /// Whether `byte` is a character of this variant's text (letters, digits, its two symbols,
    /// and `=` padding for the standard variant).
    func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): self == .standard
        case UInt8(ascii: "-"), UInt8(ascii: "_"): self == .urlSafeUnpadded
        default: false
        }
    }
}
