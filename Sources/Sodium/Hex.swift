internal import CSodium

/// Hexadecimal text for bytes (lower case), using libsodium's constant-time codec so that keys
/// can be encoded without timing leaks.
public enum Hex {
    /// Lower-case hexadecimal of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        SodiumLibrary.ensureInitialized()
        var text = [UInt8](repeating: 0, count: bytes.count * 2 + 1)
        withMutableBytePointer(&text) { out, outCount in
            withBytePointer(bytes) { input, count in
                out.withMemoryRebound(to: CChar.self, capacity: outCount) { chars in
                    _ = sodium_bin2hex(chars, outCount, input, count)
                }
            }
        }
        return String(decoding: text.dropLast(), as: UTF8.self)
    }

    /// The bytes of a hexadecimal text (either case, no separators). Anything else is refused.
    public static func decode(_ text: String) throws(SodiumError) -> [UInt8] {
        SodiumLibrary.ensureInitialized()
        let input = Array(text.utf8)
        guard input.count % 2 == 0 else { throw SodiumError.invalidEncoding("hexadecimal") }
        var bytes = [UInt8](repeating: 0, count: input.count / 2)
        var written = 0
        let status = withMutableBytePointer(&bytes) { out, outCount in
            withBytePointer(input) { hex, hexCount in
                hex.withMemoryRebound(to: CChar.self, capacity: hexCount) { chars in
                    sodium_hex2bin(out, outCount, chars, hexCount, nil, &written, nil)
                }
            }
        }
        guard status == 0, written == bytes.count else { throw SodiumError.invalidEncoding("hexadecimal") }
        return bytes
    }
}
