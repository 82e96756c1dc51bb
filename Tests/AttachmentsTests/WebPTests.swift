import Attachments
import Testing

@Suite("WebP attachments")
struct WebPTests {
    @Test("lossy, lossless, alpha and animated WebP files are accepted unchanged")
    func accepted() throws {
        for image in [WebPSample.lossy, WebPSample.lossless, WebPSample.alpha, WebPSample.animated] {
            let checked = try AttachmentContent.check(image, keepMetadata: false)
            #expect(checked.mediaType == .webp)
            #expect(checked.bytes == image)
            #expect(checked.removedMetadata.isEmpty)
        }
    }

    @Test("EXIF and XMP chunks are removed, their VP8X flags cleared and the RIFF size rewritten")
    func metadataRemoved() throws {
        let image = WebPSample.riff([
            WebPSample.extendedHeader(flags: 0x0C), WebPSample.lossyChunk, WebPSample.exif, WebPSample.xmp,
        ])
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.removedMetadata == [.exif, .xmp])
        let expected = WebPSample.riff([WebPSample.extendedHeader(flags: 0x00), WebPSample.lossyChunk])
        #expect(checked.bytes == expected)
        #expect(Array(checked.bytes[4..<8]) == Bytes.littleEndian32(expected.count - 8))

        let again = try AttachmentContent.check(checked.bytes, keepMetadata: false)
        #expect(again.bytes == checked.bytes)
        #expect(again.removedMetadata.isEmpty)
    }

    @Test("keepMetadata returns the file byte for byte")
    func keepMetadata() throws {
        let image = WebPSample.riff([
            WebPSample.extendedHeader(flags: 0x0C), WebPSample.lossyChunk, WebPSample.xmp, WebPSample.exif,
        ])
        let checked = try AttachmentContent.check(image, keepMetadata: true)
        #expect(checked.bytes == image)
        #expect(checked.removedMetadata.isEmpty)
        #expect(try AttachmentContent.check(image, keepMetadata: false).removedMetadata == [.xmp, .exif])
    }

    @Test("the RIFF size must match the file: shorter is truncated, longer is malformed")
    func riffSize() {
        let image = WebPSample.lossy
        #expect(throws: AttachmentContentError.truncated(.webp)) {
            try AttachmentContent.check(Array(image.dropLast(2)), keepMetadata: false)
        }
        #expect {
            try AttachmentContent.check(image + [0, 0], keepMetadata: false)
        } throws: { error in
            guard case .malformed(.webp, let what) = error as? AttachmentContentError else { return false }
            return what.contains("ends at byte 42")
        }
    }

    @Test("a WebP cut short anywhere after its first twelve bytes is truncated")
    func everyCut() {
        let image = WebPSample.riff([
            WebPSample.extendedHeader(flags: 0x0C), WebPSample.lossyChunk, WebPSample.exif, WebPSample.xmp,
        ])
        for length in 12..<image.count {
            #expect(throws: AttachmentContentError.truncated(.webp)) {
                try AttachmentContent.check(Array(image.prefix(length)), keepMetadata: false)
            }
        }
    }

    @Test("structural errors are malformed")
    func malformed() {
        var badStartCode = WebPSample.lossy
        badStartCode[23] = 0x9E
        var badSignature = WebPSample.lossless
        badSignature[20] = 0x2E
        let cases: [([UInt8], String)] = [
            (WebPSample.riff([WebPSample.xmp, WebPSample.lossyChunk]), "the first chunk is \"XMP \""),
            (badStartCode, "9D 01 2A"),
            (badSignature, "signature 0x2F"),
            (WebPSample.riff([WebPSample.extendedHeader(flags: 0), WebPSample.exif]), "no image data"),
            (WebPSample.riff([WebPSample.chunk("VP8X", [0, 0, 0, 0]), WebPSample.lossyChunk]), "not 10 bytes"),
            (
                WebPSample.riff([
                    WebPSample.extendedHeader(flags: 0), WebPSample.lossyChunk, WebPSample.extendedHeader(flags: 0),
                ]),
                "a second VP8X"
            ),
            (WebPSample.riff([WebPSample.extendedHeader(flags: 0x02), WebPSample.lossyChunk]), "no ANIM"),
            (
                WebPSample.riff([
                    WebPSample.chunk("VP8X", [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]), WebPSample.lossyChunk,
                ]), "canvas"
            ),
        ]
        for (bytes, what) in cases {
            do {
                _ = try AttachmentContent.check(bytes, keepMetadata: false)
                Issue.record("accepted: \(what)")
            } catch {
                guard case .malformed(.webp, let message) = error else {
                    Issue.record("\(error) for \(what)")
                    continue
                }
                #expect(message.contains(what), "\(message)")
            }
        }
    }

    @Test("sizes of 0xFFFFFFFF (RIFF or chunk) are truncated, not a trap")
    func hugeSizes() {
        var riff = WebPSample.lossy
        riff.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let chunk = Bytes.ascii("VP8 ") + [0xFF, 0xFF, 0xFF, 0xFF] + [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A]
        let body = Bytes.ascii("WEBP") + chunk
        for image in [riff, Bytes.ascii("RIFF") + Bytes.littleEndian32(body.count) + body] {
            #expect(throws: AttachmentContentError.truncated(.webp)) {
                try AttachmentContent.check(image, keepMetadata: false)
            }
        }
    }
}
