import Foundation

/// Small files built byte by byte for the tests, each a real structure of its format.
enum Bytes {
    static func bigEndian16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func bigEndian32(_ value: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(value >> (8 * $0) & 0xFF) } }
    static func littleEndian16(_ value: Int) -> [UInt8] { bigEndian16(value).reversed() }
    static func littleEndian32(_ value: Int) -> [UInt8] { bigEndian32(value).reversed() }
    static func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// CRC-32 bit by bit (not the code under test's table), for the PNG chunks the tests build.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A baseline JPEG of one grey pixel (value 128): JFIF, one quantisation table, a frame header,
/// one-code Huffman tables and a real scan (DC difference 0, end of block), and the segments a
/// test adds before the frame.
enum JPEGSample {
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + Bytes.bigEndian16(payload.count + 2) + payload
    }

    static let start: [UInt8] = [0xFF, 0xD8]
    static let end: [UInt8] = [0xFF, 0xD9]
    static let jfif = segment(0xE0, Bytes.ascii("JFIF\0") + [1, 1, 0, 0, 1, 0, 1, 0, 0])
    static let quantization = segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
    static let frame = segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])
    /// DC table 0 and AC table 0, each one code of length 1 ("0") for symbol 0 (category 0; EOB).
    static let huffman =
        segment(0xC4, [0x00, 1] + [UInt8](repeating: 0, count: 15) + [0x00])
        + segment(0xC4, [0x10, 1] + [UInt8](repeating: 0, count: 15) + [0x00])
    static let scanHeader = segment(0xDA, [1, 1, 0x00, 0, 63, 0])
    /// "0" (DC category 0), "0" (EOB), then 1-bits to the byte's end.
    static let scanData: [UInt8] = [0x3F]

    static let iccProfile = segment(0xE2, Bytes.ascii("ICC_PROFILE\0") + [1, 1] + [UInt8](repeating: 0x42, count: 20))
    static let adobe = segment(0xEE, Bytes.ascii("Adobe") + [0, 100, 0, 0, 0, 0, 1])
    static let xmp = segment(0xE1, Bytes.ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Officer 17</x:xmpmeta>"))
    static let photoshop = segment(
        0xED, Bytes.ascii("Photoshop 3.0\0") + Bytes.ascii("8BIM") + [4, 4, 0, 0, 0, 0, 0, 0])
    static let comment = segment(0xFE, Bytes.ascii("taken by officer 17"))
    static let flashPix = segment(0xE2, Bytes.ascii("FPXR\0") + [0, 0, 0])
    static let ducky = segment(0xEC, Bytes.ascii("Ducky") + [0, 1, 0, 4, 0, 0, 0, 50])

    /// The image with `segments` between JFIF and the quantisation table.
    static func image(_ segments: [[UInt8]] = [], trailing: [UInt8] = []) -> [UInt8] {
        start + jfif + segments.flatMap { $0 } + quantization + frame + huffman + scanHeader + scanData + end + trailing
    }

    /// An APP1 Exif segment whose IFD0 has a Make entry and, with `gps`, a GPSInfo entry pointing
    /// to a GPS directory holding a latitude (34° 1′ 0″ N); `littleEndian` picks "II" over "MM".
    static func exif(gps: Bool, littleEndian: Bool = false) -> [UInt8] {
        let u16 = littleEndian ? Bytes.littleEndian16 : Bytes.bigEndian16
        let u32 = littleEndian ? Bytes.littleEndian32 : Bytes.bigEndian32
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + value
        }
        let ifd0Count = gps ? 2 : 1
        let gpsDirectory = 8 + 2 + 12 * ifd0Count + 4
        var tiff = Bytes.ascii(littleEndian ? "II" : "MM") + u16(42) + u32(8)
        tiff += u16(ifd0Count) + entry(0x010F, 2, 4, Bytes.ascii("Cam\0"))
        if gps { tiff += entry(0x8825, 4, 1, u32(gpsDirectory)) }
        tiff += u32(0)
        if gps {
            let rationals = gpsDirectory + 2 + 24 + 4
            tiff += u16(2) + entry(0x0001, 2, 2, Bytes.ascii("N\0\0\0")) + entry(0x0002, 5, 3, u32(rationals)) + u32(0)
            tiff += [34, 1, 1, 1, 0, 1].flatMap(u32)
        }
        return segment(0xE1, Bytes.ascii("Exif\0\0") + tiff)
    }
}

/// PNGs of one grey pixel built chunk by chunk with correct CRCs (a stored zlib block), and the
/// real screenshots of docs/console.
enum PNGSample {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Bytes.ascii(type) + data
        return Bytes.bigEndian32(data.count) + typeAndData + Bytes.bigEndian32(Int(Bytes.crc32(typeAndData)))
    }

    static func header(width: Int = 1, height: Int = 1, depth: UInt8 = 8, colourType: UInt8 = 0) -> [UInt8] {
        chunk("IHDR", Bytes.bigEndian32(width) + Bytes.bigEndian32(height) + [depth, colourType, 0, 0, 0])
    }

    /// zlib: header 78 01, one final stored block of the scanline (filter 0, pixel 0x80), Adler-32.
    static let imageData = chunk(
        "IDAT", [0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81])
    static let end = chunk("IEND", [])
    static let physical = chunk("pHYs", Bytes.bigEndian32(2835) + Bytes.bigEndian32(2835) + [1])
    static let text = chunk("tEXt", Bytes.ascii("Author\0Officer 17"))
    static let compressedText = chunk(
        "zTXt", Bytes.ascii("Comment\0\0") + [0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])
    static let xmp = chunk("iTXt", Bytes.ascii("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"))
    static let internationalText = chunk("iTXt", Bytes.ascii("Title\0\0\0fr\0Titre\0Poste 3"))
    static let exif = chunk("eXIf", Array(JPEGSample.exif(gps: true).dropFirst(10)))
    static let time = chunk("tIME", Bytes.bigEndian16(2026) + [11, 30, 17, 30, 0])

    /// The image with `chunks` between IHDR and IDAT.
    static func image(_ chunks: [[UInt8]] = [], after: [[UInt8]] = [], trailing: [UInt8] = []) -> [UInt8] {
        signature + header() + chunks.flatMap { $0 } + imageData + after.flatMap { $0 } + end + trailing
    }

    /// docs/console/*.png: screenshots of the console, by file name.
    static func screenshots() throws -> [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/console")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
            .sorted()
        return try names.map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }
}

/// WebP files: the 1×1 images Modernizr uses to detect WebP support (lossy, lossless, with alpha,
/// animated), and an extended file with EXIF and XMP chunks built around the lossy image.
enum WebPSample {
    static func decode(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64) ?? Data()) }

    static let lossy = decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA")
    static let lossless = decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
    static let alpha = decode(
        "UklGRkoAAABXRUJQVlA4WAoAAAAQAAAAAAAAAAAAQUxQSAwAAAARBxAR/Q9ERP8DAABWUDggGAAAABQBAJ0BKgEAAQAAAP4AAA3AAP7mtQAAAA=="
    )
    static let animated = decode(
        "UklGRlIAAABXRUJQVlA4WAoAAAASAAAAAAAAAAAAQU5JTQYAAAD/////AABBTk1GJgAAAAAAAAAAAAAAAAAAAGQAAABWUDhMDQAAAC8AAAAQBxAREYiI/gcA"
    )

    static func chunk(_ fourCC: String, _ payload: [UInt8]) -> [UInt8] {
        Bytes.ascii(fourCC) + Bytes.littleEndian32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    static func riff(_ chunks: [[UInt8]]) -> [UInt8] {
        let body = Bytes.ascii("WEBP") + chunks.flatMap { $0 }
        return Bytes.ascii("RIFF") + Bytes.littleEndian32(body.count) + body
    }

    /// The lossy image's VP8 chunk (header and payload).
    static var lossyChunk: [UInt8] { Array(lossy[12...]) }

    static func extendedHeader(flags: UInt8) -> [UInt8] {
        chunk("VP8X", [flags, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// Exif (92 bytes) and XMP (33 bytes: odd, so a padding byte follows).
    static let exif = chunk("EXIF", Array(JPEGSample.exif(gps: true).dropFirst(10)))
    static let xmp = chunk("XMP ", Bytes.ascii("<x:xmpmeta>Officer 17</x:xmpmeta>"))
}

/// A one-page PDF with a classic cross-reference table whose offsets are computed, and an
/// information dictionary (left in place: PDFs are not cleaned).
enum PDFSample {
    /// The file, and where its objects start (object 1 at index 0).
    static func document(
        version: String = "1.7", startxref: ((_ xref: Int, _ objects: [Int]) -> Int)? = nil, tail: String = "%%EOF\n"
    )
        -> [UInt8]
    {
        var text = "%PDF-\(version)\n%\u{E2}\u{E3}\n"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            "<< /Author (Officer 17) /Producer (Scanner) >>",
        ]
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            text += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n"
        }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 4 0 R >>\n"
        text += "startxref\n\(startxref?(xref, offsets) ?? xref)\n" + tail
        return Array(text.utf8)
    }
}

/// SplitMix64: the same pseudo-random bytes on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
