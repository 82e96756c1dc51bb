import Attachments
import Testing

/// Inputs a person could craft: every prefix, mutations and random bytes. The checker must answer
/// each one (accept or refuse with a typed error) without trapping, and what it accepts must clean
/// to a fixed point.
@Suite("Hostile attachments")
struct HostileInputTests {
    static let samples: [(String, [UInt8])] = [
        (
            "jpeg",
            JPEGSample.image([JPEGSample.exif(gps: true), JPEGSample.iccProfile, JPEGSample.xmp, JPEGSample.comment])
        ),
        (
            "png",
            PNGSample.image(
                [PNGSample.text, PNGSample.physical, PNGSample.xmp], after: [PNGSample.exif, PNGSample.time])
        ),
        (
            "webp",
            WebPSample.riff([
                WebPSample.extendedHeader(flags: 0x0C), WebPSample.lossyChunk, WebPSample.exif, WebPSample.xmp,
            ])
        ),
        ("webp-animated", WebPSample.animated),
        ("pdf", PDFSample.document()),
    ]

    /// What every answer must satisfy: kept files are unchanged; cleaned files clean to themselves.
    static func checkInvariants(_ bytes: [UInt8]) {
        for keep in [false, true] {
            guard let checked = try? AttachmentContent.check(bytes, keepMetadata: keep) else { continue }
            if keep {
                #expect(checked.bytes == bytes)
                #expect(checked.removedMetadata.isEmpty)
            } else {
                let again = try? AttachmentContent.check(checked.bytes, keepMetadata: false)
                #expect(again?.bytes == checked.bytes)
                #expect(again?.removedMetadata == [])
            }
            #expect(Set(checked.removedMetadata).count == checked.removedMetadata.count)
        }
    }

    @Test("every prefix of each sample is answered; only a PDF's may be accepted (after %%EOF)")
    func everyPrefix() {
        for (name, sample) in Self.samples {
            for length in 0..<sample.count {
                let prefix = Array(sample.prefix(length))
                let accepted = (try? AttachmentContent.check(prefix, keepMetadata: false)) != nil
                #expect(!accepted || name == "pdf", "\(name) prefix of \(length) bytes accepted")
                Self.checkInvariants(prefix)
            }
        }
    }

    @Test("every prefix of a screenshot, one in 61, is refused")
    func screenshotPrefixes() throws {
        let bytes = try #require(try PNGSample.screenshots().first).bytes
        for length in stride(from: 0, to: bytes.count, by: 61) {
            #expect((try? AttachmentContent.check(Array(bytes.prefix(length)), keepMetadata: false)) == nil)
        }
    }

    @Test("single-byte mutations of each sample never trap, and accepted ones clean to a fixed point")
    func mutations() {
        var generator = SeededGenerator(state: 17)
        for (_, sample) in Self.samples {
            for index in 0..<sample.count {
                var mutated = sample
                mutated[index] = UInt8.random(in: 0...255, using: &generator)
                Self.checkInvariants(mutated)
            }
        }
    }

    @Test("random bytes after each signature, and alone, never trap")
    func randomBytes() {
        var generator = SeededGenerator(state: 2026)
        let signatures: [[UInt8]] = [
            [], [0xFF, 0xD8], PNGSample.signature, Bytes.ascii("RIFF") + [0x40, 0, 0, 0] + Bytes.ascii("WEBP"),
            Bytes.ascii("%PDF-1.7\n"),
        ]
        for signature in signatures {
            for _ in 0..<400 {
                let count = Int.random(in: 0...300, using: &generator)
                let tail = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                Self.checkInvariants(signature + tail)
            }
        }
    }

    @Test("large hostile files are walked once: 200,000 empty chunks, 1 MiB of stuffed scan data")
    func largeFiles() throws {
        let header = PNGSample.signature + PNGSample.header() + PNGSample.imageData
        let unknown = PNGSample.chunk("abCd", [])
        let manyChunks = header + Array([[UInt8]](repeating: unknown, count: 200_000).joined()) + PNGSample.end
        #expect(try AttachmentContent.check(manyChunks, keepMetadata: false).bytes.count == manyChunks.count)

        let stuffed = Array([[UInt8]](repeating: [0xFF, 0x00], count: 1 << 19).joined())
        let parts: [[UInt8]] = [
            JPEGSample.start, JPEGSample.jfif, JPEGSample.quantization, JPEGSample.frame, JPEGSample.huffman,
            JPEGSample.scanHeader, stuffed, JPEGSample.end,
        ]
        let image = Array(parts.joined())
        #expect(try AttachmentContent.check(image, keepMetadata: false).bytes == image)
    }
}
