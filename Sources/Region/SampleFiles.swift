import Foundation

/// Files to attach, built byte by byte, for the demo, the bench and the tests: a JPEG photo
/// carrying EXIF with a GPS position (what the node removes at post), and a PDF, of any size
/// (their bulk is random, so they neither compress nor repeat).
public enum SampleFiles {
    /// A baseline JPEG of `byteCount` bytes or a little more: JFIF, EXIF whose GPS IFD holds a
    /// latitude, the tables, one frame, a scan of random entropy-coded data, EOI.
    public static func photoWithGPS(byteCount: Int) -> [UInt8] {
        var jpeg: [UInt8] = [0xFF, 0xD8]
        jpeg += segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        // TIFF, big-endian: IFD0 at 8 with one entry, GPSInfo (0x8825) → the GPS IFD at 26, whose
        // one entry is GPSLatitude (0x0002, 3 rationals at 44).
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8]
        tiff += [0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]
        tiff += [0, 1, 0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 44, 0, 0, 0, 0]
        for value: UInt32 in [35, 1, 46, 1, 30, 1] { tiff += bigEndian(value) }
        jpeg += segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff)
        jpeg += segment(0xFE, Array("taken at Ahfir post, GPS on".utf8))
        jpeg += segment(0xDB, [0] + [UInt8](repeating: 1, count: 64))
        jpeg += segment(0xC0, [8, 0, 16, 0, 16, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])
        jpeg += segment(0xC4, [0, 1] + [UInt8](repeating: 0, count: 15) + [0])
        jpeg += segment(0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0])
        var generator = SystemRandomNumberGenerator()
        while jpeg.count < byteCount {
            let byte = UInt8.random(in: 0...255, using: &generator)
            jpeg.append(byte)
            if byte == 0xFF { jpeg.append(0) }
        }
        return jpeg + [0xFF, 0xD9]
    }

    /// A PDF of about `byteCount` bytes: a catalog, an empty page tree, one stream of random
    /// bytes, a cross-reference table, the trailer and `%%EOF`.
    public static func document(byteCount: Int) -> [UInt8] {
        var pdf = Array("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        func object(_ text: String) {
            offsets.append(pdf.count)
            pdf += Array(text.utf8)
        }
        object("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        object("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
        let length = max(0, byteCount - 400)
        offsets.append(pdf.count)
        pdf += Array("3 0 obj\n<< /Length \(length) >>\nstream\n".utf8)
        var generator = SystemRandomNumberGenerator()
        pdf += (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        pdf += Array("\nendstream\nendobj\n".utf8)
        let xref = pdf.count
        var table = "xref\n0 4\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        pdf += Array((table + "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n").utf8)
        return pdf
    }

    private static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Whether `bytes` contains `needle`.
    public static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        Data(bytes).range(of: Data(needle)) != nil
    }
}
