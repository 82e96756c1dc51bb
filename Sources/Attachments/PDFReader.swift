/// The PDF checker (ISO 32000): the header's version, the end-of-file marker near the end, and the
/// last `startxref` pointing at a cross-reference table or stream inside the file. Bounded: it
/// reads the first bytes, the last 1,024 bytes and a few bytes at the offset `startxref` names.
/// PDFs are not cleaned (their metadata is left as the issuing office wrote it).
enum PDFReader {
    /// How far from the end "%%EOF" and "startxref" are looked for (ISO 32000-2 §7.5.5 readers
    /// commonly search the last 1,024 bytes).
    static let tailLength = 1024
    /// The longest offset accepted after `startxref`: more digits than any file the caller lets through.
    static let maximumOffsetDigits = 15

    static func check(_ bytes: [UInt8]) throws(AttachmentContentError) -> CheckedAttachment {
        try checkHeader(bytes)
        let tail = max(0, bytes.count - tailLength)..<bytes.count
        guard let endMarker = lastOccurrence(of: Array("%%EOF".utf8), in: bytes, within: tail) else {
            throw .truncated(.pdf)
        }
        guard let keyword = lastOccurrence(of: Array("startxref".utf8), in: bytes, within: tail.lowerBound..<endMarker)
        else { throw malformed("no startxref before the last %%EOF") }
        var index = keyword + 9
        let whitespaceStart = index
        while let byte = bytes.byte(at: index), isWhitespace(byte) { index += 1 }
        let digitsStart = index
        while let byte = bytes.byte(at: index), isDigit(byte), index - digitsStart < maximumOffsetDigits { index += 1 }
        guard digitsStart > whitespaceStart, index > digitsStart else {
            throw malformed("startxref at byte \(keyword) is not followed by an offset")
        }
        if let byte = bytes.byte(at: index), isDigit(byte) {
            throw malformed("the offset after startxref at byte \(keyword) is too long")
        }
        let offset = bytes[digitsStart..<index].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard offset < bytes.count else {
            throw malformed(
                "startxref at byte \(keyword) points to byte \(offset), outside the file of \(bytes.count) bytes")
        }
        guard bytes.matches(Array("xref".utf8), at: offset) || isObjectHeader(bytes, at: offset) else {
            throw malformed(
                "startxref at byte \(keyword) points to byte \(offset), where there is no xref table or object")
        }
        return CheckedAttachment(mediaType: .pdf, bytes: bytes, removedMetadata: [])
    }

    /// "%PDF-" then 1.0 … 1.7 or 2.0, then an end of line or other whitespace.
    static func checkHeader(_ bytes: [UInt8]) throws(AttachmentContentError) {
        guard bytes.count >= 9 else { throw .truncated(.pdf) }
        let version = String(decoding: bytes[5..<8], as: UTF8.self)
        let versions = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.0"]
        guard versions.contains(version), isWhitespace(bytes[8]) else {
            throw malformed("the header does not name PDF version 1.0 to 1.7 or 2.0")
        }
    }

    /// "N G obj": digits, whitespace, digits, whitespace, "obj" (at most 10 digits each).
    static func isObjectHeader(_ bytes: [UInt8], at offset: Int) -> Bool {
        var index = offset
        for _ in 0..<2 {
            let start = index
            while let byte = bytes.byte(at: index), isDigit(byte), index - start < 10 { index += 1 }
            guard index > start else { return false }
            let digitsEnd = index
            while let byte = bytes.byte(at: index), isWhitespace(byte), index - digitsEnd < 16 { index += 1 }
            guard index > digitsEnd else { return false }
        }
        return bytes.matches(Array("obj".utf8), at: index)
    }

    /// The start of the last occurrence of `pattern` that lies wholly inside `range`.
    static func lastOccurrence(of pattern: [UInt8], in bytes: [UInt8], within range: Range<Int>) -> Int? {
        guard range.count >= pattern.count else { return nil }
        for start in stride(from: range.upperBound - pattern.count, through: range.lowerBound, by: -1)
        where bytes.matches(pattern, at: start) {
            return start
        }
        return nil
    }

    /// PDF whitespace: NUL, tab, line feed, form feed, carriage return, space.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x00 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    static func malformed(_ what: String) -> AttachmentContentError {
        .malformed(.pdf, what)
    }
}
