import Foundation
import Hummingbird
import Testing
import Wire

@testable import Console

/// A multipart/form-data body built byte by byte, as a browser sends one.
struct MultipartBody {
    static let boundary = "----WebKitFormBoundaryq9Zx3LmT7bKdE2aP"
    static let contentType = "multipart/form-data; boundary=\(boundary)"

    enum Part {
        case field(String, String)
        case file(name: String, fileName: String, bytes: [UInt8])
        /// A part written as given, headers and content (for hostile headers).
        case raw(headers: String, content: [UInt8])
    }

    var parts: [Part]
    var closing = "--\(boundary)--\r\n"

    var bytes: [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            out += Array("--\(Self.boundary)\r\n".utf8)
            switch part {
            case .field(let name, let value):
                out += Array("Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            case .file(let name, let fileName, let bytes):
                out += Array(
                    "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8)
                out += bytes + [13, 10]
            case .raw(let headers, let content):
                out += Array("\(headers)\r\n\r\n".utf8) + content + [13, 10]
            }
        }
        return out + Array(closing.utf8)
    }

    /// `bytes` read with `limits`, fed in chunks of `chunk` bytes.
    static func read(
        _ bytes: [UInt8], limits: MultipartLimits = .init(maximumBodyBytes: 1 << 20, maximumFileBytes: 1 << 16),
        chunk: Int = 4_096, contentType: String = contentType
    ) throws(MultipartFormError) -> MultipartForm {
        let reader = try MultipartFormReader(contentType: contentType, limits: limits)
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            try reader.feed(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return try reader.finish()
    }

    /// The error reading `bytes` throws, or `nil` when it reads.
    static func failure(
        _ bytes: [UInt8], limits: MultipartLimits = .init(maximumBodyBytes: 1 << 20, maximumFileBytes: 1 << 16),
        chunk: Int = 4_096, contentType: String = contentType
    ) -> MultipartFormError? {
        do {
            _ = try read(bytes, limits: limits, chunk: chunk, contentType: contentType)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("The post form's multipart/form-data reader: fields and files within bounds, hostile bodies refused")
struct MultipartFormReaderTests {
    /// A file whose bytes hold CR, LF, dashes, a delimiter cut one byte short and every byte value.
    static let awkwardFile: [UInt8] =
        [0xFF, 0xD8, 13, 10, 45, 45] + Array("\r\n--\(MultipartBody.boundary.dropLast())x".utf8)
        + (0...255).map(UInt8.init) + [13, 13, 10, 10, 45]

    static let form = MultipartBody(parts: [
        .field("csrf", "token-1"),
        .field("title.ar", "عنوان بالعربية"),
        .file(name: "file.1", fileName: "camion.jpg", bytes: awkwardFile),
        .field("caption.1", "Le camion à Ahfir"),
        .file(name: "file.2", fileName: "", bytes: []),
        .field("to", "DZ"), .field("to", "TN"),
        .field("summary.ar", "سطر\r\nسطر"),
    ])

    @Test(
        "fields and files are read the same whatever the chunks (1, 7, 100 bytes, whole); an empty file input is no file"
    )
    func readsWhateverTheChunks() throws {
        let bytes = Self.form.bytes
        for chunk in [1, 7, 100, bytes.count] {
            let form = try MultipartBody.read(bytes, chunk: chunk)
            #expect(form.fields["csrf"] == ["token-1"])
            #expect(form.fields["title.ar"] == ["عنوان بالعربية"])
            #expect(form.fields["caption.1"] == ["Le camion à Ahfir"])
            #expect(form.fields["to"] == ["DZ", "TN"])
            #expect(form.fields["summary.ar"] == ["سطر\r\nسطر"])
            #expect(form.fields["file.2"] == nil)
            #expect(
                form.files == [
                    UploadedFile(
                        field: "file.1", fileName: "camion.jpg", bytes: Self.awkwardFile, size: Self.awkwardFile.count,
                        isOversized: false)
                ], "chunk \(chunk)")
        }
    }

    @Test("a content type that is not multipart/form-data, or whose boundary is missing or not RFC 2046's, is refused")
    func missingBoundary() {
        let bytes = Self.form.bytes
        #expect(MultipartBody.failure(bytes, contentType: "application/x-www-form-urlencoded") == .notMultipart)
        for contentType in [
            "multipart/form-data", "multipart/form-data;", "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"----unterminated", "multipart/form-data; boundary=a<b",
            "multipart/form-data; boundary=\(String(repeating: "a", count: 71))",
            "multipart/form-data; charset=utf-8", "multipart/form-data; boundary=x; boundary=y",
            "multipart/form-data; boundary=\"ends with space \"",
        ] {
            #expect(MultipartBody.failure(bytes, contentType: contentType) == .missingBoundary, "\(contentType)")
        }
        // A quoted boundary of RFC 2046's characters is taken.
        #expect((try? MultipartFormReader.boundary(of: "Multipart/Form-Data; boundary=\"a b:c\"")) == "a b:c")
        // A body whose delimiters are not the boundary announced has no part.
        if case .malformed = MultipartBody.failure(bytes, contentType: "multipart/form-data; boundary=other") {
        } else {
            Issue.record("a body without the announced boundary was not refused as malformed")
        }
    }

    @Test("every body cut short before its closing delimiter is refused, at every length")
    func truncatedAtEveryLength() {
        let bytes = MultipartBody(parts: [
            .field("csrf", "t"), .file(name: "file.1", fileName: "a.png", bytes: Array("\u{89}PNG\r\n--x".utf8)),
            .field("caption.1", "c"),
        ]).bytes
        #expect(MultipartBody.failure(bytes) == nil)
        // The closing CRLF is optional; anything shorter than `--BOUNDARY--` is not a whole body.
        #expect(MultipartBody.failure(Array(bytes.dropLast(2))) == nil)
        for length in 0..<(bytes.count - 2) {
            let error = MultipartBody.failure(Array(bytes.prefix(length)), chunk: 5)
            #expect(error != nil, "a body of \(length) bytes was read")
        }
        // Nor is a body with bytes after its closing delimiter, or a body of no part at all.
        #expect(MultipartBody.failure(bytes + Array("x".utf8)) == .truncated)
        #expect(MultipartBody.failure(Array("--\(MultipartBody.boundary)--\r\n".utf8)) != nil)
        #expect(MultipartBody.failure([]) == .truncated)
    }

    @Test("more parts or files than the bounds are refused while reading")
    func tooManyParts() {
        var limits = MultipartLimits(maximumBodyBytes: 1 << 20, maximumFileBytes: 1_024)
        limits.maximumParts = 10
        let fields = (0..<11).map { MultipartBody.Part.field("f\($0)", "v") }
        #expect(MultipartBody.failure(MultipartBody(parts: fields).bytes, limits: limits) == .tooManyParts(limit: 10))
        #expect(MultipartBody.failure(MultipartBody(parts: Array(fields.prefix(10))).bytes, limits: limits) == nil)

        // The control socket's 16 files by default; an empty file input is not counted.
        let files = (1...17).map { MultipartBody.Part.file(name: "file.\($0)", fileName: "p\($0).jpg", bytes: [0xFF]) }
        let defaults = MultipartLimits(maximumBodyBytes: 1 << 20, maximumFileBytes: 1_024)
        #expect(defaults.maximumFiles == ControlRequest.maximumAttachments)
        #expect(MultipartBody.failure(MultipartBody(parts: files).bytes, limits: defaults) == .tooManyFiles(limit: 16))
        let sixteen = Array(files.prefix(16)) + [.file(name: "file.17", fileName: "", bytes: [])]
        #expect(MultipartBody.failure(MultipartBody(parts: sixteen).bytes, limits: defaults) == nil)
        // The post form's own bound: as many files as it has inputs.
        let post = UploadLimits(maximumFileBytes: 1_024, maximumBulletinBytes: 4_096).multipart
        #expect(
            MultipartBody.failure(MultipartBody(parts: Array(files.prefix(5))).bytes, limits: post)
                == .tooManyFiles(limit: PostUploads.slots))
    }

    @Test(
        "a file over the file bound is read to its end and kept as oversized, without its bytes; one at the bound is kept"
    )
    func oversizedFile() throws {
        let limits = MultipartLimits(maximumBodyBytes: 1 << 20, maximumFileBytes: 100)
        let form = try MultipartBody.read(
            MultipartBody(parts: [
                .file(name: "file.1", fileName: "big.jpg", bytes: [UInt8](repeating: 7, count: 101)),
                .file(name: "file.2", fileName: "fits.jpg", bytes: [UInt8](repeating: 8, count: 100)),
                .field("csrf", "after the files"),
            ]).bytes, limits: limits, chunk: 9)
        #expect(form.files.map(\.isOversized) == [true, false])
        #expect(form.files.map(\.size) == [101, 100])
        #expect(form.files[0].bytes.isEmpty && form.files[1].bytes == [UInt8](repeating: 8, count: 100))
        #expect(form.fields["csrf"] == ["after the files"])
    }

    @Test("a body over its bound is refused as it arrives, before the rest is read")
    func bodyTooLarge() throws {
        let limits = MultipartLimits(maximumBodyBytes: 1_000, maximumFileBytes: 10_000)
        let bytes = MultipartBody(parts: [
            .file(name: "file.1", fileName: "a.jpg", bytes: [UInt8](repeating: 1, count: 2_000))
        ])
        .bytes
        let reader = try MultipartFormReader(contentType: MultipartBody.contentType, limits: limits)
        try reader.feed(ByteBuffer(bytes: bytes.prefix(1_000)))
        #expect(throws: MultipartFormError.bodyTooLarge(limit: 1_000)) {
            try reader.feed(ByteBuffer(bytes: bytes[1_000..<1_001]))
        }
    }

    @Test(
        "header injection in a file name: a CR or LF inside it, an unterminated quote, a second disposition, are refused"
    )
    func headerInjection() throws {
        let injected = [
            // A CR ends the header line: the quote is left open, the rest becomes a header of its own.
            "Content-Disposition: form-data; name=\"file.1\"; filename=\"a.jpg\r\nContent-Type: text/html\r\nX: \"",
            // A bare LF is not a line end: it stays in the quoted name, and controls are refused there.
            "Content-Disposition: form-data; name=\"file.1\"; filename=\"a.jpg\nContent-Disposition: form-data; name=\"csrf\"",
            "Content-Disposition: form-data; name=\"file.1\"; filename=\"a\u{7F}.jpg\"",
            "Content-Disposition: form-data; name=\"file.1\"\r\nContent-Disposition: form-data; name=\"csrf\"",
            "Content-Disposition: form-data; name=\"file.1\"; name=\"csrf\"; filename=\"a.jpg\"",
            "Content-Disposition: attachment; name=\"file.1\"; filename=\"a.jpg\"",
            "Content-Disposition: form-data; filename=\"a.jpg\"",
            "Content-Disposition: form-data; name=\"\"; filename=\"a.jpg\"",
            "Content-Disposition: form-data; name=\"file.1\" filename=\"a.jpg\"",
            "Content-Type: image/jpeg",
            "Bad Header: x",
        ]
        for headers in injected {
            let bytes = MultipartBody(parts: [.raw(headers: headers, content: [0xFF, 0xD8])]).bytes
            let error = MultipartBody.failure(bytes)
            #expect(error != nil, "\(headers.debugDescription) was read")
            if case .malformed = error {
            } else {
                Issue.record("\(headers.debugDescription): \(String(describing: error))")
            }
        }
        // What a browser sends for a name with a quote, CR or LF (percent-encoded), and a path:
        // read as is; the display name keeps the last component, never a control or bidi mark.
        let form = try MultipartBody.read(
            MultipartBody(parts: [
                .file(name: "file.1", fileName: #"C:\Users\x\a%22b%0D%0AX-Injected: 1.jpg"#, bytes: [1]),
                .file(name: "file.2", fileName: "../../etc/passwd", bytes: [1]),
                .file(name: "file.3", fileName: "photo\u{202E}gpj.exe", bytes: [1]),
            ]).bytes)
        #expect(form.files.map(\.fileName)[1] == "../../etc/passwd")
        #expect(
            form.files.map { UploadFileName.neutralised($0.fileName) } == [
                "a%22b%0D%0AX-Injected: 1.jpg", "passwd", "photogpj.exe",
            ])
    }

    @Test(
        "headers bounded: a header section over 16 KiB or more lines than allowed in a part; a non-ASCII byte in a header name is refused (multipart-kit 4.7.1 trapped on it)"
    )
    func headersBounded() {
        let long = "Content-Disposition: form-data; name=\"x\"\r\nX-Padding: \(String(repeating: "a", count: 40_000))"
        #expect(
            MultipartBody.failure(MultipartBody(parts: [.raw(headers: long, content: [1])]).bytes)
                == .headersTooLarge(limit: 16 * 1_024))
        let many =
            "Content-Disposition: form-data; name=\"x\""
            + (0..<8).map { "\r\nX-\($0): y" }.joined()
        #expect(
            MultipartBody.failure(MultipartBody(parts: [.raw(headers: many, content: [1])]).bytes)
                == .headersTooLarge(limit: 8))
        let nonASCII = MultipartBody(parts: [
            .raw(headers: "Content-Disposition: form-data; name=\"x\"\r\nX-\u{E9}t\u{E9}: y", content: [1])
        ])
        if case .malformed = MultipartBody.failure(nonASCII.bytes) {
        } else {
            Issue.record("a non-ASCII header name was read")
        }
        // A non-ASCII file name is the browser's UTF-8, read as such.
        #expect(
            (try? MultipartBody.read(
                MultipartBody(parts: [.file(name: "file.1", fileName: "صورة.jpg", bytes: [1])]).bytes))?.files.first?
                .fileName == "صورة.jpg")
        // No preamble (browsers send none), and no epilogue but CRLF.
        let preamble = Array("preamble\r\n".utf8) + MultipartBody(parts: [.field("a", "b")]).bytes
        if case .malformed = MultipartBody.failure(preamble) {} else { Issue.record("a preamble was read") }
        #expect(MultipartBody.failure(MultipartBody(parts: [.field("a", "b")]).bytes + [13, 10]) == .truncated)
    }

    @Test("text fields: bounded together, UTF-8 only")
    func textFields() {
        var limits = MultipartLimits(maximumBodyBytes: 1 << 20, maximumFileBytes: 1_024)
        limits.maximumTextBytes = 50
        let fields = MultipartBody(parts: [
            .field("a", String(repeating: "x", count: 30)), .field("b", String(repeating: "y", count: 30)),
        ])
        #expect(MultipartBody.failure(fields.bytes, limits: limits) == .textTooLarge(limit: 50))
        let latin1 = MultipartBody(parts: [
            .raw(headers: "Content-Disposition: form-data; name=\"t\"", content: [0x63, 0xE9])
        ])
        if case .malformed = MultipartBody.failure(latin1.bytes) {} else { Issue.record("a Latin-1 field was read") }
    }

    @Test("random bytes and random cuts of a body never trap and never read as a form with a file that was not sent")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let bytes = Self.form.bytes
        for _ in 0..<300 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            if let form = try? MultipartBody.read(mutated, chunk: Int.random(in: 1...64, using: &generator)) {
                #expect(form.files.count <= 1)
            }
            let noise = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            #expect(MultipartBody.failure(noise) != nil)
        }
    }
}

@Suite("A browser's file name made into the display name sent to the node")
struct UploadFileNameTests {
    @Test(
        "paths, controls, bidi and format characters, dots and spaces removed; NFC; at most 120 scalars with the extension kept"
    )
    func neutralised() {
        #expect(UploadFileName.neutralised("camion.jpg") == "camion.jpg")
        #expect(UploadFileName.neutralised(#"C:\fakepath\scan 1.pdf"#) == "scan 1.pdf")
        #expect(UploadFileName.neutralised("dir/../x.png") == "x.png")
        #expect(UploadFileName.neutralised("  ..hidden.webp. ") == "hidden.webp")
        #expect(UploadFileName.neutralised("a\u{0}b\u{1B}[31m\u{200F}\u{2066}c\u{FEFF}.jpg") == "ab[31mc.jpg")
        #expect(UploadFileName.neutralised("e\u{301}te\u{301}.jpg") == "\u{E9}t\u{E9}.jpg")
        #expect(UploadFileName.neutralised("صورة الشاحنة.jpg") == "صورة الشاحنة.jpg")
        for empty in ["", "...", "/", "\u{202E}", " . "] {
            #expect(UploadFileName.neutralised(empty) == UploadFileName.fallback, "\(empty.debugDescription)")
        }
        let long = UploadFileName.neutralised(String(repeating: "ب", count: 300) + ".jpeg")
        #expect(long.unicodeScalars.count == 120 && long.hasSuffix("ب.jpeg"))
        let noExtension = UploadFileName.neutralised(String(repeating: "z", count: 200))
        #expect(noExtension == String(repeating: "z", count: 120))
    }
}
