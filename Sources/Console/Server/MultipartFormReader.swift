import Foundation
import Hummingbird

/// The bounds of one `multipart/form-data` body: what a browser's post form with files needs,
/// and no more. Every one is checked while the body streams in, so a hostile client costs the
/// console at most ``maximumBodyBytes`` of memory and never an unbounded header or part count.
struct MultipartLimits: Sendable, Equatable {
    /// The whole body, counted as it arrives; larger is refused before the rest is read.
    var maximumBodyBytes: Int
    /// One file's bytes kept; a larger file is read to its end (within the body's bound) and
    /// reported as ``UploadedFile/isOversized``, its bytes dropped.
    var maximumFileBytes: Int
    /// Files (parts with a non-empty `filename`): the control socket takes at most 16 per post.
    var maximumFiles: Int = 16
    /// Parts of any kind: the post form has about 60 inputs.
    var maximumParts: Int = 256
    /// Header lines of one part (a browser sends two).
    var maximumHeadersPerPart: Int = 8
    /// One part's header section, its lines and the blank line that ends it.
    var maximumHeaderBytes: Int = 16 * 1_024
    /// The text fields together, as the urlencoded form's own bound (``FormBody/maximumBytes``).
    var maximumTextBytes: Int = FormBody.maximumBytes
    /// A part's `name`.
    var maximumNameBytes: Int = 100
    /// A file's name as the browser sent it, before ``UploadFileName`` shortens it for the node.
    var maximumFileNameBytes: Int = 1_024
}

/// A file of a multipart form, as the browser sent it: its name is the browser's word and is
/// only ever shown (after ``UploadFileName/neutralised(_:)``), its type is never read (the node
/// finds the type from the bytes).
struct UploadedFile: Sendable, Equatable {
    /// The form field (`file.1`).
    var field: String
    /// The `filename` parameter as sent (UTF-8, controls not yet removed).
    var fileName: String
    /// The bytes kept: all of them, or none when the file is over the limit.
    var bytes: [UInt8]
    /// The bytes received, kept or not.
    var size: Int
    /// Whether the file was larger than ``MultipartLimits/maximumFileBytes`` (its bytes dropped).
    var isOversized: Bool
}

/// A multipart form read whole: its text fields (as ``FormBody`` values) and its files, each in
/// the order sent. File inputs left empty (no name, no bytes) are not in ``files``.
struct MultipartForm: Sendable, Equatable {
    var fields: [String: [String]] = [:]
    var files: [UploadedFile] = []
}

/// Why a multipart body was refused. Each says what was wrong, for the 400 (or 413) page and
/// the log; a browser using the console's own form never meets any but ``bodyTooLarge``.
enum MultipartFormError: Error, Equatable, CustomStringConvertible {
    /// The request is not `multipart/form-data`.
    case notMultipart
    /// No `boundary` parameter, or one RFC 2046 does not allow (1–70 characters of its set).
    case missingBoundary
    /// More bytes than ``MultipartLimits/maximumBodyBytes``.
    case bodyTooLarge(limit: Int)
    /// Bytes that are not multipart syntax (a header line, a delimiter, a disposition).
    case malformed(String)
    /// The body did not end at its closing delimiter (`--BOUNDARY--`, optionally CRLF): cut
    /// short, or with bytes after it.
    case truncated
    case tooManyParts(limit: Int)
    case tooManyFiles(limit: Int)
    /// Too many header lines in a part, or too many header bytes.
    case headersTooLarge(limit: Int)
    /// The text fields together are over ``MultipartLimits/maximumTextBytes``.
    case textTooLarge(limit: Int)

    var description: String {
        switch self {
        case .notMultipart: "the body is not multipart/form-data"
        case .missingBoundary: "the Content-Type has no valid boundary (1 to 70 characters of RFC 2046)"
        case .bodyTooLarge(let limit): "the body is larger than \(limit) bytes"
        case .malformed(let what): "the body is not valid multipart/form-data: \(what)"
        case .truncated: "the body does not end at its closing delimiter: it was cut short, or has bytes after it"
        case .tooManyParts(let limit): "the body has more than \(limit) parts"
        case .tooManyFiles(let limit): "the body has more than \(limit) files; a post attaches at most \(limit)"
        case .headersTooLarge(let limit): "a part's headers pass \(limit) bytes or lines"
        case .textTooLarge(let limit): "the text fields together pass \(limit) bytes"
        }
    }
}

/// Reads a `multipart/form-data` body (RFC 7578) strictly: feed every chunk with ``feed(_:)`` as
/// it arrives — the body's bound is checked there, so an oversized body is refused before the
/// rest of it is read — then ``finish()`` parses what was received.
///
/// Not vapor/multipart-kit: its `MultipartParser` (4.7.1) traps — ending the console's process —
/// on a byte of 0x80 or more in a part's header name (its table of header characters has 128
/// entries), which any client can send; it has no end of input (a body cut short reads as
/// complete) and keeps a header line of any length. This parser is small and strict instead: the
/// body starts with the delimiter (no preamble), each part has at most
/// ``MultipartLimits/maximumHeadersPerPart`` header lines (token names, values without control
/// characters, UTF-8) within ``MultipartLimits/maximumHeaderBytes``, and the body ends at the
/// closing delimiter, optionally followed by CRLF. Memory: the body as received (bounded), and
/// each file copied out of it once.
final class MultipartFormReader {
    private let limits: MultipartLimits
    private let boundary: [UInt8]
    private var body: [UInt8] = []

    /// A reader of a body whose `Content-Type` header is `contentType`; throws
    /// ``MultipartFormError/notMultipart`` or ``MultipartFormError/missingBoundary``.
    init(contentType: String, limits: MultipartLimits) throws(MultipartFormError) {
        boundary = Array(try Self.boundary(of: contentType).utf8)
        self.limits = limits
    }

    /// Whether `contentType` announces a multipart form (the post form with files), whatever
    /// its parameters.
    static func isMultipartForm(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "multipart/form-data"
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, checked against
    /// RFC 2046 §5.1.1 (1–70 characters: letters, digits, `'()+_,-./:=?` and inner spaces).
    static func boundary(of contentType: String) throws(MultipartFormError) -> String {
        guard isMultipartForm(contentType) else { throw .notMultipart }
        guard let parameters = HeaderParameters(contentType, kind: "multipart/form-data"),
            let boundary = parameters.values["boundary"]
        else { throw .missingBoundary }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ".unicodeScalars)
        guard (1...70).contains(boundary.unicodeScalars.count), boundary.unicodeScalars.allSatisfy(allowed.contains),
            boundary.last != " "
        else { throw .missingBoundary }
        return boundary
    }

    /// Keeps `chunk`, the next bytes of the body; throws ``MultipartFormError/bodyTooLarge(limit:)``
    /// as soon as the body passes its bound.
    func feed(_ chunk: ByteBuffer) throws(MultipartFormError) {
        guard body.count + chunk.readableBytes <= limits.maximumBodyBytes else {
            throw .bodyTooLarge(limit: limits.maximumBodyBytes)
        }
        body.append(contentsOf: chunk.readableBytesView)
    }

    /// The form: every part between the first delimiter and the closing one.
    func finish() throws(MultipartFormError) -> MultipartForm {
        var parser = MultipartBodyParser(body: body, boundary: boundary, limits: limits)
        defer { body = [] }
        return try parser.parse()
    }
}

/// The parse of one whole body for ``MultipartFormReader``: positions in `body`, never a copy
/// but each file's bytes.
private struct MultipartBodyParser {
    let body: [UInt8]
    let limits: MultipartLimits
    /// `--BOUNDARY`, and `CRLF--BOUNDARY`, which ends each part's content.
    let dashBoundary: [UInt8]
    let delimiter: [UInt8]
    private var position = 0
    private var form = MultipartForm()
    private var parts = 0
    private var files = 0
    private var textBytes = 0

    init(body: [UInt8], boundary: [UInt8], limits: MultipartLimits) {
        self.body = body
        self.limits = limits
        dashBoundary = Array("--".utf8) + boundary
        delimiter = [13, 10] + dashBoundary
    }

    mutating func parse() throws(MultipartFormError) -> MultipartForm {
        guard body.count >= dashBoundary.count else { throw .truncated }
        guard body.starts(with: dashBoundary) else {
            throw .malformed("the body does not begin with its boundary delimiter")
        }
        position = dashBoundary.count
        while true {
            // After a delimiter: CRLF and a part, or "--" and the end.
            if starts(with: [45, 45]) {
                position += 2
                guard parts > 0 else { throw .malformed("the body has no part") }
                let rest = body.count - position
                guard rest == 0 || (rest == 2 && starts(with: [13, 10])) else { throw .truncated }
                return form
            }
            guard body.count - position >= 2 else { throw .truncated }
            guard starts(with: [13, 10]) else { throw .malformed("a delimiter is not followed by CRLF or --") }
            position += 2
            let disposition = try headers()
            guard let end = find(delimiter, from: position) else { throw .truncated }
            try part(disposition, content: position..<end)
            position = end + delimiter.count
        }
    }

    /// The header lines of a part, up to the blank line: its `Content-Disposition`.
    private mutating func headers() throws(MultipartFormError) -> ContentDisposition {
        let start = position
        var lines = 0
        var disposition: ContentDisposition?
        while true {
            guard let lineEnd = find([13, 10], from: position, within: start + limits.maximumHeaderBytes) else {
                if body.count - start <= limits.maximumHeaderBytes { throw .truncated }
                throw .headersTooLarge(limit: limits.maximumHeaderBytes)
            }
            let line = body[position..<lineEnd]
            position = lineEnd + 2
            if line.isEmpty { break }
            lines += 1
            guard lines <= limits.maximumHeadersPerPart else {
                throw .headersTooLarge(limit: limits.maximumHeadersPerPart)
            }
            let (name, value) = try Self.header(line)
            guard name == "content-disposition" else { continue }  // Content-Type is the browser's guess: unread
            guard disposition == nil else { throw .malformed("a part has two Content-Disposition headers") }
            guard
                let parsed = ContentDisposition(
                    value, maximumNameBytes: limits.maximumNameBytes, maximumFileNameBytes: limits.maximumFileNameBytes)
            else { throw .malformed("a part's Content-Disposition is not form-data with a quoted name") }
            disposition = parsed
        }
        guard let disposition else { throw .malformed("a part has no Content-Disposition") }
        return disposition
    }

    /// One header line: a token name (lowercased), a colon, a value of visible characters,
    /// spaces, tabs and UTF-8 (no control character: a bare LF is not a line end here).
    private static func header(_ line: ArraySlice<UInt8>) throws(MultipartFormError) -> (String, String) {
        guard let colon = line.firstIndex(of: 58), colon > line.startIndex,
            line[..<colon].allSatisfy({ $0 < 128 && HeaderParameters.isTokenScalar(Unicode.Scalar($0)) })
        else { throw .malformed("a part's header line is not NAME: VALUE") }
        let value = line[(colon + 1)...].drop { $0 == 32 || $0 == 9 }
        guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }),
            let text = String(validating: value, as: UTF8.self)
        else { throw .malformed("a part's header value holds a control character or is not UTF-8") }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        return (name, text.trimmingCharacters(in: CharacterSet(charactersIn: " \t")))
    }

    /// Counts a part and keeps its field or file.
    private mutating func part(_ disposition: ContentDisposition, content: Range<Int>) throws(MultipartFormError) {
        parts += 1
        guard parts <= limits.maximumParts else { throw .tooManyParts(limit: limits.maximumParts) }
        guard let fileName = disposition.fileName else {
            textBytes += content.count
            guard textBytes <= limits.maximumTextBytes else { throw .textTooLarge(limit: limits.maximumTextBytes) }
            guard let text = String(validating: body[content], as: UTF8.self) else {
                throw .malformed("the field '\(disposition.name)' is not UTF-8")
            }
            form.fields[disposition.name, default: []].append(text)
            return
        }
        guard !fileName.isEmpty else {
            // A file input left empty sends a part without name or bytes: not a file.
            guard content.isEmpty else { throw .malformed("a file part has bytes but no file name") }
            return
        }
        files += 1
        guard files <= limits.maximumFiles else { throw .tooManyFiles(limit: limits.maximumFiles) }
        let oversized = content.count > limits.maximumFileBytes
        form.files.append(
            UploadedFile(
                field: disposition.name, fileName: fileName, bytes: oversized ? [] : Array(body[content]),
                size: content.count, isOversized: oversized))
    }

    private func starts(with bytes: [UInt8]) -> Bool {
        body.count - position >= bytes.count && body[position..<(position + bytes.count)].elementsEqual(bytes)
    }

    /// The index of the first `needle` at or after `start` that ends before `limit` (the body's
    /// end when `nil`): candidates found by libc's `memchr` (its first byte), then compared.
    private func find(_ needle: [UInt8], from start: Int, within limit: Int? = nil) -> Int? {
        let end = min(limit ?? body.count, body.count)
        guard let first = needle.first, end - start >= needle.count else { return nil }
        return body.withUnsafeBytes { haystack -> Int? in
            guard let base = haystack.baseAddress else { return nil }
            var from = start
            // Each turn moves `from` forward by at least one byte: at most `end - start` turns.
            while end - from >= needle.count {
                guard let hit = memchr(base + from, Int32(first), end - from - needle.count + 1) else { return nil }
                let index = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + index, needle, needle.count) == 0 { return index }
                from = index + 1
            }
            return nil
        }
    }
}
