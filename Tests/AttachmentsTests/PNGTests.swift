import Attachments
import Testing

@Suite("PNG attachments")
struct PNGTests {
    @Test("the console screenshots of docs/console are accepted, and cleaning them again changes nothing")
    func screenshots() throws {
        let files = try PNGSample.screenshots()
        #expect(files.count >= 5)
        for (name, bytes) in files {
            let checked = try AttachmentContent.check(bytes, keepMetadata: false)
            #expect(checked.mediaType == .png, "\(name)")
            let again = try AttachmentContent.check(checked.bytes, keepMetadata: false)
            #expect(again.bytes == checked.bytes, "\(name)")
            #expect(again.removedMetadata.isEmpty, "\(name)")
            #expect(try AttachmentContent.check(bytes, keepMetadata: true).bytes == bytes, "\(name)")
        }
    }

    @Test("a PNG is recognised by its content, whatever the file was called")
    func renamed() throws {
        // The bytes are all the checker sees: a PNG saved as "scan.pdf" is still a PNG.
        let bytes = try #require(try PNGSample.screenshots().first).bytes
        #expect(try AttachmentContent.check(bytes, keepMetadata: false).mediaType == .png)
        #expect(try AttachmentContent.check(PNGSample.image(), keepMetadata: false).mediaType == .png)
    }

    @Test("text, XMP, eXIf and tIME chunks are removed in file order; other chunks stay byte for byte")
    func metadataRemoved() throws {
        let image = PNGSample.image(
            [PNGSample.time, PNGSample.physical, PNGSample.text, PNGSample.xmp],
            after: [PNGSample.compressedText, PNGSample.internationalText, PNGSample.exif])
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.removedMetadata == [.time, .text, .xmp, .exif])
        #expect(checked.bytes == PNGSample.image([PNGSample.physical]))
        let again = try AttachmentContent.check(checked.bytes, keepMetadata: false)
        #expect(again.bytes == checked.bytes)
        #expect(again.removedMetadata.isEmpty)

        let kept = try AttachmentContent.check(image, keepMetadata: true)
        #expect(kept.bytes == image)
        #expect(kept.removedMetadata.isEmpty)
    }

    @Test("bytes after IEND are removed as trailing data, kept with keepMetadata")
    func trailingData() throws {
        let image = PNGSample.image(trailing: Bytes.ascii("PK\u{3}\u{4} a zip file"))
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.bytes == PNGSample.image())
        #expect(checked.removedMetadata == [.trailingData])
        #expect(try AttachmentContent.check(image, keepMetadata: true).bytes == image)
    }

    @Test("a wrong CRC is refused, in any chunk")
    func crc() throws {
        let image = PNGSample.image([PNGSample.text])
        for offset in [20, 40, image.count - 20, image.count - 1] {
            var damaged = image
            damaged[offset] ^= 0x01
            #expect {
                try AttachmentContent.check(damaged, keepMetadata: false)
            } throws: { error in
                guard case .malformed(.png, let what) = error as? AttachmentContentError else { return false }
                return what.contains("wrong CRC")
            }
        }
    }

    @Test("structural errors are malformed")
    func malformed() {
        let header = PNGSample.signature + PNGSample.header()
        let cases: [([UInt8], String)] = [
            (
                Array(PNGSample.signature.prefix(4)) + [0x0A, 0x1A, 0x0A] + Array(PNGSample.image().dropFirst(8)),
                "signature"
            ),
            (PNGSample.signature + PNGSample.imageData + PNGSample.end, "not IHDR"),
            (PNGSample.signature + PNGSample.header(width: 0) + PNGSample.imageData + PNGSample.end, "0 × 1 pixels"),
            (PNGSample.signature + PNGSample.header(depth: 3) + PNGSample.imageData + PNGSample.end, "bit depth 3"),
            (
                PNGSample.signature + PNGSample.header(colourType: 5) + PNGSample.imageData + PNGSample.end,
                "colour type 5"
            ),
            (
                PNGSample.signature + PNGSample.header(colourType: 3) + PNGSample.imageData + PNGSample.end,
                "without a palette"
            ),
            (header + PNGSample.end, "no image data"),
            (header + PNGSample.imageData + PNGSample.chunk("IEND", [0]), "not empty"),
            (header + PNGSample.imageData + PNGSample.text + PNGSample.imageData + PNGSample.end, "not consecutive"),
            (
                header + PNGSample.chunk("ABCD", [1]) + PNGSample.imageData + PNGSample.end,
                "unknown critical chunk ABCD"
            ),
            (header + PNGSample.chunk("ab1d", [1]) + PNGSample.imageData + PNGSample.end, "not 4 letters at byte 37"),
            (header + PNGSample.header() + PNGSample.imageData + PNGSample.end, "a second IHDR"),
        ]
        for (bytes, what) in cases {
            do {
                _ = try AttachmentContent.check(bytes, keepMetadata: false)
                Issue.record("accepted: \(what)")
            } catch {
                guard case .malformed(.png, let message) = error else {
                    Issue.record("\(error) for \(what)")
                    continue
                }
                #expect(message.contains(what), "\(message)")
            }
        }
    }

    @Test("a PNG cut short anywhere after its first four bytes is truncated")
    func everyCut() {
        let image = PNGSample.image([PNGSample.text, PNGSample.physical])
        for length in 4..<image.count {
            #expect(throws: AttachmentContentError.truncated(.png)) {
                try AttachmentContent.check(Array(image.prefix(length)), keepMetadata: false)
            }
        }
    }

    @Test("a chunk length of 0xFFFFFFFF is truncated, not a trap")
    func hugeLength() {
        let image =
            PNGSample.signature + PNGSample.header() + [0xFF, 0xFF, 0xFF, 0xFF] + Bytes.ascii("tEXt") + [1, 2, 3]
        #expect(throws: AttachmentContentError.truncated(.png)) {
            try AttachmentContent.check(image, keepMetadata: false)
        }
    }
}
