import Attachments
import Testing

@Suite("Recognition by content, and what the errors say")
struct RecognitionTests {
    @Test("an empty file, a text file and other RIFF files are refused before any parse")
    func refusedTypes() {
        #expect(throws: AttachmentContentError.empty) { try AttachmentContent.check([], keepMetadata: false) }
        for bytes in [
            Bytes.ascii("Bulletin MA-17: see attached"), Bytes.ascii("RIFF\u{4}\0\0\0WAVE"), Bytes.ascii("GIF89a"),
            [0xFF],
            Bytes.ascii("%PD"), [0x89, 0x50, 0x4E],
        ] {
            #expect(throws: AttachmentContentError.unknownType) {
                try AttachmentContent.check(bytes, keepMetadata: false)
            }
        }
    }

    @Test("the first bytes choose the type, and the errors are that type's")
    func typeByFirstBytes() {
        // A PNG signature followed by a PDF: a damaged PNG, not a PDF.
        #expect {
            try AttachmentContent.check(PNGSample.signature + PDFSample.document(), keepMetadata: false)
        } throws: { error in
            guard case .malformed(.png, _) = error as? AttachmentContentError else { return false }
            return true
        }
        let image = JPEGSample.image([JPEGSample.exif(gps: true)])
        #expect(throws: AttachmentContentError.truncated(.jpeg)) {
            try AttachmentContent.check(Array(image.prefix(image.count / 2)), keepMetadata: false)
        }
    }

    @Test("every media type's raw value is its MIME type; every case is listed")
    func mediaTypes() {
        #expect(
            AttachmentMediaType.allCases.map(\.rawValue) == [
                "image/jpeg", "image/png", "image/webp", "application/pdf",
            ])
        #expect(AttachmentMediaType.allCases.map(\.name) == ["JPEG", "PNG", "WebP", "PDF"])
    }

    @Test("each description says what is wrong and what to do")
    func descriptions() {
        #expect(AttachmentContentError.empty.description == "the file is empty; attach a JPEG, PNG, WebP or PDF file")
        #expect(AttachmentContentError.unknownType.description.hasSuffix("; attach a JPEG, PNG, WebP or PDF file"))
        #expect(
            AttachmentContentError.truncated(.jpeg).description == "the JPEG file is cut short; attach the whole file")
        #expect(
            AttachmentContentError.malformed(.png, "chunk tEXt at byte 33 has a wrong CRC").description
                == "the PNG file is damaged (chunk tEXt at byte 33 has a wrong CRC); save or scan it again and attach the new file"
        )
    }
}
