/// The WebP checker (RFC 9649): the RIFF header against the file's length, then every chunk; EXIF
/// and XMP chunks are removed when cleaning, their VP8X flags cleared and the RIFF size rewritten.
enum WebPReader {
    /// VP8X flags: bit 3 says an EXIF chunk follows, bit 2 an XMP chunk, bit 1 an animation.
    static let exifFlag: UInt8 = 0x08
    static let xmpFlag: UInt8 = 0x04
    static let animationFlag: UInt8 = 0x02

    static func check(_ bytes: [UInt8], keepMetadata: Bool) throws(AttachmentContentError) -> CheckedAttachment {
        // "RIFF" size "WEBP": recognising the file read all 12 bytes.
        guard let riffSize = bytes.uint32LittleEndian(at: 4) else { throw .truncated(.webp) }
        guard bytes.count - 8 <= riffSize else {
            throw malformed(
                "the RIFF header says the file ends at byte \(riffSize + 8), but it has \(bytes.count) bytes")
        }
        guard bytes.count - 8 == riffSize else { throw .truncated(.webp) }

        var removals = MetadataRemovals()
        var extendedFlags: Int?  // the offset of VP8X's flags byte, when there is a VP8X
        var sawImage = false
        var sawAnimation = false
        var position = 12
        while position < bytes.count {
            guard bytes.hasBytes(8, from: position), let size = bytes.uint32LittleEndian(at: position + 4) else {
                throw .truncated(.webp)
            }
            let name = String(decoding: bytes[position..<position + 4], as: UTF8.self)
            let payload = position + 8
            // Chunks of odd size are followed by one padding byte.
            guard bytes.hasBytes(size + size % 2, from: payload) else { throw .truncated(.webp) }
            let end = payload + size + size % 2
            let chunk = payload..<payload + size
            if position == 12 {
                guard ["VP8 ", "VP8L", "VP8X"].contains(name) else {
                    throw malformed("the first chunk is \"\(name)\", not VP8, VP8L or VP8X")
                }
            }
            switch name {
            case "VP8X":
                guard position == 12 else { throw malformed("a second VP8X at byte \(position)") }
                try checkExtendedHeader(bytes, chunk)
                extendedFlags = payload
            case "VP8 ":
                try checkLossy(bytes, chunk, at: position)
                sawImage = true
            case "VP8L":
                try checkLossless(bytes, chunk, at: position)
                sawImage = true
            case "ANIM":
                sawAnimation = true
            case "ANMF":
                guard sawAnimation, size >= 16 else {
                    throw malformed("an animation frame at byte \(position) without ANIM or too short")
                }
                sawImage = true
            case "EXIF":
                removals.remove(position..<end, holding: [.exif])
            case "XMP ":
                removals.remove(position..<end, holding: [.xmp])
            default:
                break  // ALPH, ICCP and unknown chunks stay
            }
            position = end
        }
        guard sawImage else { throw malformed("no image data (VP8, VP8L or ANMF chunk)") }
        if let flags = extendedFlags, bytes[flags] & animationFlag != 0, !sawAnimation {
            throw malformed("VP8X announces an animation but there is no ANIM chunk")
        }
        if keepMetadata { return removals.attachment(.webp, bytes, keepMetadata: true) }
        var cleaned = removals.cleaned(bytes)
        if let flags = extendedFlags {
            // VP8X is the first chunk, which is never removed, so its flags byte has not moved.
            cleaned[flags] &= ~(exifFlag | xmpFlag)
        }
        let size = UInt32(truncatingIfNeeded: cleaned.count - 8)  // no larger than the original's
        for index in 0..<4 { cleaned[4 + index] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(index))) }
        return CheckedAttachment(mediaType: .webp, bytes: cleaned, removedMetadata: removals.kinds)
    }

    /// VP8X: 10 bytes of flags, reserved bytes and the canvas size (24-bit, minus one, each); the
    /// canvas may hold at most 2^32 − 1 pixels.
    static func checkExtendedHeader(_ bytes: [UInt8], _ chunk: Range<Int>) throws(AttachmentContentError) {
        guard chunk.count == 10, let width = bytes.uint24LittleEndian(at: chunk.lowerBound + 4),
            let height = bytes.uint24LittleEndian(at: chunk.lowerBound + 7)
        else { throw malformed("VP8X is not 10 bytes long") }
        guard (width + 1) * (height + 1) <= 0xFFFF_FFFF else {
            throw malformed("the canvas is \(width + 1) × \(height + 1) pixels, more than 2^32 − 1")
        }
    }

    /// VP8 (lossy): a key frame (bit 0 of the frame tag clear), the start code 9D 01 2A, a width
    /// and height (14 bits each) that are not zero.
    static func checkLossy(_ bytes: [UInt8], _ chunk: Range<Int>, at offset: Int) throws(AttachmentContentError) {
        let start = chunk.lowerBound
        guard chunk.count >= 10, let tag = bytes.byte(at: start), bytes.matches([0x9D, 0x01, 0x2A], at: start + 3),
            let width = bytes.uint16LittleEndian(at: start + 6), let height = bytes.uint16LittleEndian(at: start + 8)
        else { throw malformed("the VP8 chunk at byte \(offset) does not start a key frame (9D 01 2A)") }
        guard tag & 1 == 0, width & 0x3FFF > 0, height & 0x3FFF > 0 else {
            throw malformed("the VP8 chunk at byte \(offset) is not a key frame or has no width or height")
        }
    }

    /// VP8L (lossless): the signature byte 0x2F, then a header whose 3-bit version is 0.
    static func checkLossless(_ bytes: [UInt8], _ chunk: Range<Int>, at offset: Int) throws(AttachmentContentError) {
        guard chunk.count >= 5, bytes.byte(at: chunk.lowerBound) == 0x2F,
            let last = bytes.byte(at: chunk.lowerBound + 4)
        else {
            throw malformed("the VP8L chunk at byte \(offset) does not start with its signature 0x2F")
        }
        guard last >> 5 == 0 else { throw malformed("the VP8L chunk at byte \(offset) has an unknown version") }
    }

    static func malformed(_ what: String) -> AttachmentContentError {
        .malformed(.webp, what)
    }
}
