import Attachments
import Testing

@Suite("PDF attachments")
struct PDFTests {
    @Test("a one-page PDF with a correct xref is accepted unchanged: PDFs are not cleaned")
    func accepted() throws {
        for version in ["1.0", "1.4", "1.7", "2.0"] {
            let document = PDFSample.document(version: version)
            for keep in [false, true] {
                let checked = try AttachmentContent.check(document, keepMetadata: keep)
                #expect(checked.mediaType == .pdf)
                #expect(checked.bytes == document)
                #expect(checked.removedMetadata.isEmpty)
            }
        }
    }

    @Test("startxref may point at an object (a cross-reference stream)")
    func objectOffset() throws {
        let document = PDFSample.document(startxref: { _, objects in objects[0] })
        #expect(try AttachmentContent.check(document, keepMetadata: false).bytes == document)
    }

    @Test("without %%EOF in its last 1,024 bytes the PDF is truncated")
    func missingEndOfFile() {
        let cut = PDFSample.document(tail: "")
        let buried = PDFSample.document(tail: "%%EOF\n" + String(repeating: " ", count: 1024))
        for document in [cut, buried] {
            #expect(throws: AttachmentContentError.truncated(.pdf)) {
                try AttachmentContent.check(document, keepMetadata: false)
            }
        }
    }

    @Test("startxref outside the file, off target, missing or without an offset is malformed")
    func badStartxref() {
        let cases: [([UInt8], String)] = [
            (PDFSample.document(startxref: { _, _ in 99_999 }), "outside the file"),
            (PDFSample.document(startxref: { xref, _ in xref + 1 }), "no xref table or object"),
            (PDFSample.document(startxref: { _, objects in objects[1] - 1 }), "no xref table or object"),
            (
                Array(
                    String(decoding: PDFSample.document(), as: UTF8.self).replacingOccurrences(
                        of: "startxref", with: "startxrfe"
                    ).utf8), "no startxref"
            ),
            (Bytes.ascii("%PDF-1.4\nstartxref\n%%EOF\n"), "not followed by an offset"),
            (Bytes.ascii("%PDF-1.4\nstartxref 0%%EOF\n"), "no xref table or object"),
            (Bytes.ascii("%PDF-1.4\nstartxref\n1234567890123456789\n%%EOF\n"), "too long"),
            (PDFSample.document(version: "1.8"), "version"),
            (PDFSample.document(version: "3.0"), "version"),
        ]
        for (bytes, what) in cases {
            do {
                _ = try AttachmentContent.check(bytes, keepMetadata: false)
                Issue.record("accepted: \(what)")
            } catch {
                guard case .malformed(.pdf, let message) = error else {
                    Issue.record("\(error) for \(what)")
                    continue
                }
                #expect(message.contains(what), "\(message)")
            }
        }
    }

    @Test("a header alone is truncated")
    func headerAlone() {
        #expect(throws: AttachmentContentError.truncated(.pdf)) {
            try AttachmentContent.check(Bytes.ascii("%PDF-1.7"), keepMetadata: false)
        }
        #expect(throws: AttachmentContentError.truncated(.pdf)) {
            try AttachmentContent.check(Bytes.ascii("%PDF-1.7\n"), keepMetadata: false)
        }
    }
}
