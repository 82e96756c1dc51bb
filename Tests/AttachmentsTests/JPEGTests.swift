import Attachments
import Testing

@Suite("JPEG attachments")
struct JPEGTests {
    @Test("application segments of every short length (0 to 8 bytes of content) never trap, kept or cleaned")
    func shortApplicationSegments() throws {
        // An APP1 of 5 bytes, "Exif\0" without its pad byte, once made the reader build an
        // inverted range (a trap, at a recipient's every restart).
        for marker: UInt8 in [0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xFE] {
            for length in 0...8 {
                let content = Array(Bytes.ascii("Exif\0\0MM").prefix(length))
                let image = JPEGSample.image([JPEGSample.segment(marker, content)])
                for keep in [false, true] {
                    let checked = try AttachmentContent.check(image, keepMetadata: keep)
                    #expect(checked.mediaType == .jpeg)
                }
            }
        }
    }

    @Test("a baseline JPEG of one pixel is accepted unchanged, nothing removed")
    func baseline() throws {
        let image = JPEGSample.image()
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.mediaType == .jpeg)
        #expect(checked.bytes == image)
        #expect(checked.removedMetadata.isEmpty)
    }

    @Test("Exif with a GPS directory, XMP, IPTC, a comment and vendor segments are removed; JFIF, ICC and Adobe stay")
    func metadataRemoved() throws {
        let image = JPEGSample.image([
            JPEGSample.exif(gps: true), JPEGSample.iccProfile, JPEGSample.xmp, JPEGSample.flashPix,
            JPEGSample.photoshop,
            JPEGSample.adobe, JPEGSample.ducky, JPEGSample.comment,
        ])
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.removedMetadata == [.exif, .gpsLocation, .xmp, .applicationData, .iptc, .comment])
        #expect(checked.bytes == JPEGSample.image([JPEGSample.iccProfile, JPEGSample.adobe]))
        #expect(checked.bytes.starts(with: JPEGSample.start + JPEGSample.jfif))

        let again = try AttachmentContent.check(checked.bytes, keepMetadata: false)
        #expect(again.bytes == checked.bytes)
        #expect(again.removedMetadata.isEmpty)
    }

    @Test("an APP0 that is not JFIF (a JFXX thumbnail) is removed; JFIF stays")
    func jfxxThumbnail() throws {
        let thumbnail = JPEGSample.segment(0xE0, Bytes.ascii("JFXX\0") + [0x13] + [UInt8](repeating: 0x7F, count: 12))
        let checked = try AttachmentContent.check(JPEGSample.image([thumbnail]), keepMetadata: false)
        #expect(checked.removedMetadata == [.applicationData])
        #expect(checked.bytes == JPEGSample.image())
    }

    @Test("Exif of either byte order: GPS is reported only when IFD0 has a GPSInfo entry")
    func exifByteOrders() throws {
        for littleEndian in [false, true] {
            let withGPS = JPEGSample.image([JPEGSample.exif(gps: true, littleEndian: littleEndian)])
            #expect(try AttachmentContent.check(withGPS, keepMetadata: false).removedMetadata == [.exif, .gpsLocation])
            let withoutGPS = JPEGSample.image([JPEGSample.exif(gps: false, littleEndian: littleEndian)])
            #expect(try AttachmentContent.check(withoutGPS, keepMetadata: false).removedMetadata == [.exif])
        }
    }

    @Test("keepMetadata returns the file byte for byte, trailing data included")
    func keepMetadata() throws {
        let image = JPEGSample.image(
            [JPEGSample.exif(gps: true), JPEGSample.comment], trailing: Bytes.ascii("PK\u{3}\u{4}zip"))
        let checked = try AttachmentContent.check(image, keepMetadata: true)
        #expect(checked.bytes == image)
        #expect(checked.removedMetadata.isEmpty)
    }

    @Test("bytes after EOI are removed as trailing data")
    func trailingData() throws {
        let image = JPEGSample.image(trailing: Bytes.ascii("%PDF-1.7 hidden document") + [0xFF, 0xD9])
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.bytes == JPEGSample.image())
        #expect(checked.removedMetadata == [.trailingData])
    }

    @Test("a progressive layout: two scans with tables between, restart markers, stuffed bytes and fill bytes")
    func progressiveAndRestarts() throws {
        let scanData: [UInt8] = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF]
        let parts: [[UInt8]] = [
            JPEGSample.start, JPEGSample.jfif, JPEGSample.quantization,
            JPEGSample.segment(0xC2, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            JPEGSample.huffman, JPEGSample.scanHeader, scanData, JPEGSample.huffman, [0xFF, 0xFF],
            JPEGSample.scanHeader, JPEGSample.scanData, JPEGSample.comment, JPEGSample.end,
        ]
        let image = Array(parts.joined())
        let checked = try AttachmentContent.check(image, keepMetadata: false)
        #expect(checked.removedMetadata == [.comment])
        #expect(checked.bytes.count == image.count - JPEGSample.comment.count)
    }

    @Test("a JPEG cut short anywhere is truncated, never accepted")
    func everyCut() {
        let image = JPEGSample.image([JPEGSample.exif(gps: true), JPEGSample.iccProfile])
        for length in 2..<image.count {
            #expect(throws: AttachmentContentError.truncated(.jpeg)) {
                try AttachmentContent.check(Array(image.prefix(length)), keepMetadata: false)
            }
        }
    }

    @Test("structural errors are malformed, with the byte offset")
    func malformed() {
        let noFrame = JPEGSample.start + JPEGSample.jfif + JPEGSample.scanHeader + JPEGSample.scanData + JPEGSample.end
        let cases: [([UInt8], String)] = [
            (noFrame, "a scan at byte 20 before any frame header"),
            (JPEGSample.start + JPEGSample.jfif + JPEGSample.quantization + JPEGSample.end, "before any scan"),
            (JPEGSample.start + [0xFF, 0xE1, 0x00, 0x01] + JPEGSample.end, "has length 1"),
            (JPEGSample.start + JPEGSample.start + JPEGSample.end, "a second start of image at byte 2"),
            (
                JPEGSample.start + JPEGSample.segment(0x40, [1, 2]) + JPEGSample.end,
                "unsupported marker FF 40 at byte 2"
            ),
            (JPEGSample.start + JPEGSample.jfif + [0x00, 0xFF, 0xD9], "no marker at byte 20"),
            (JPEGSample.start + JPEGSample.segment(0xC0, [8, 0, 1, 0, 0, 1, 1, 0x11, 0]) + JPEGSample.end, "no width"),
            (JPEGSample.start + [0xFF, 0x00] + JPEGSample.end, "FF 00 outside a scan"),
        ]
        for (bytes, what) in cases {
            do {
                _ = try AttachmentContent.check(bytes, keepMetadata: false)
                Issue.record("accepted: \(what)")
            } catch {
                guard case .malformed(.jpeg, let message) = error else {
                    Issue.record("\(error) for \(what)")
                    continue
                }
                #expect(message.contains(what), "\(message)")
            }
        }
    }

    @Test("a segment length past the end of the file is truncated, whatever its size")
    func hugeLength() {
        #expect(throws: AttachmentContentError.truncated(.jpeg)) {
            try AttachmentContent.check(JPEGSample.start + [0xFF, 0xE1, 0xFF, 0xFF, 0x45, 0x78], keepMetadata: false)
        }
        // A long run of fill bytes is walked once and ends in a truncation.
        #expect(throws: AttachmentContentError.truncated(.jpeg)) {
            try AttachmentContent.check(
                JPEGSample.start + [UInt8](repeating: 0xFF, count: 1 << 20), keepMetadata: false)
        }
    }

    @Test("an Exif block with hostile counts and offsets is still removed, without reading outside it")
    func hostileExif() throws {
        let tiff =
            Bytes.ascii("MM") + Bytes.bigEndian16(42) + Bytes.bigEndian32(8) + Bytes.bigEndian16(0xFFFF)
            + Bytes.bigEndian16(0x8825)
        let badOffset = Bytes.ascii("II") + Bytes.littleEndian16(42) + Bytes.littleEndian32(0xFFFF_FFFF)
        for block in [tiff, badOffset, Bytes.ascii("XX"), []] {
            let image = JPEGSample.image([JPEGSample.segment(0xE1, Bytes.ascii("Exif\0\0") + block)])
            #expect(try AttachmentContent.check(image, keepMetadata: false).removedMetadata == [.exif])
        }
    }
}
