internal import CZeroMQ

/// Z85 (ZeroMQ RFC 32), the printable encoding ZeroMQ uses for CURVE keys.
public enum Z85 {
    /// The Z85 text of `bytes`, whose count must be a multiple of 4 (a CURVE key is 32 bytes →
    /// 40 characters).
    public static func encode(_ bytes: [UInt8]) throws(ZeroMQError) -> String {
        guard bytes.count % 4 == 0 else {
            throw ZeroMQError.invalidArgument("Z85 encodes multiples of 4 bytes, got \(bytes.count)")
        }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        let result = text.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                zmq_z85_encode(out.baseAddress, input.baseAddress, input.count)
            }
        }
        guard result != nil else { throw ZeroMQError.invalidArgument("Z85 encoding failed") }
        return String(decoding: text.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes of a Z85 text, whose length must be a multiple of 5; other characters are refused.
    public static func decode(_ text: String) throws(ZeroMQError) -> [UInt8] {
        let characters = Array(text.utf8)
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
        guard characters.count % 5 == 0, characters.allSatisfy(alphabet.contains) else {
            throw ZeroMQError.invalidArgument("not a Z85 text (length a multiple of 5, Z85 alphabet only)")
        }
        var bytes = [UInt8](repeating: 0, count: characters.count * 4 / 5)
        let cString = characters.map { CChar(bitPattern: $0) } + [0]
        let result = bytes.withUnsafeMutableBufferPointer { out in
            cString.withUnsafeBufferPointer { input in
                zmq_z85_decode(out.baseAddress, input.baseAddress)
            }
        }
        guard result != nil || bytes.isEmpty else { throw ZeroMQError.invalidArgument("Z85 value out of range") }
        return bytes
    }
}
