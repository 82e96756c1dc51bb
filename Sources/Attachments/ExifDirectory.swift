/// Reads just enough of an Exif block (a TIFF structure) to tell whether it records a location.
enum ExifDirectory {
    /// The GPSInfo tag of TIFF/Exif: the offset of the GPS directory (latitude, longitude, …).
    static let gpsInfoTag = 0x8825

    /// Whether the first image directory (IFD0) of the TIFF structure in `bytes[tiff]` has a
    /// GPSInfo entry. A damaged structure answers false; only the entries that lie inside `tiff`
    /// are read, so the work is bounded by its size.
    static func hasGPSInfo(_ bytes: [UInt8], tiff: Range<Int>) -> Bool {
        guard tiff.count >= 8 else { return false }
        let littleEndian: Bool
        if bytes.matches(Array("II".utf8), at: tiff.lowerBound) {
            littleEndian = true
        } else if bytes.matches(Array("MM".utf8), at: tiff.lowerBound) {
            littleEndian = false
        } else {
            return false
        }
        func uint16(_ offset: Int) -> Int? {
            guard offset >= 0, offset <= tiff.count - 2 else { return nil }
            let at = tiff.lowerBound + offset
            return littleEndian ? bytes.uint16LittleEndian(at: at) : bytes.uint16BigEndian(at: at)
        }
        func uint32(_ offset: Int) -> Int? {
            guard offset >= 0, offset <= tiff.count - 4 else { return nil }
            let at = tiff.lowerBound + offset
            return littleEndian ? bytes.uint32LittleEndian(at: at) : bytes.uint32BigEndian(at: at)
        }
        guard uint16(2) == 42, let directory = uint32(4), let entries = uint16(directory) else { return false }
        // 12 bytes an entry; only those inside the block are read, however many the count claims.
        let available = max(0, (tiff.count - directory - 2) / 12)
        for entry in 0..<min(entries, available) where uint16(directory + 2 + 12 * entry) == gpsInfoTag {
            return true
        }
        return false
    }
}
