/// The JPEG checker (ITU-T T.81): walks the marker segments and scans once, front to back, and
/// marks the metadata segments and the bytes after the end of the image for removal.
enum JPEGReader {
    static func check(_ bytes: [UInt8], keepMetadata: Bool) throws(AttachmentContentError) -> CheckedAttachment {
        var removals = MetadataRemovals()
        var sawFrame = false
        var sawScan = false
        var position = 2  // after SOI (FF D8), which recognised the file
        while true {
            guard let first = bytes.byte(at: position) else { throw .truncated(.jpeg) }
            guard first == 0xFF else { throw malformed("no marker at byte \(position)") }
            // Fill bytes (FF FF …) may come before a marker; they belong to the segment after them.
            var markerOffset = position + 1
            while bytes.byte(at: markerOffset) == 0xFF { markerOffset += 1 }
            guard let marker = bytes.byte(at: markerOffset) else { throw .truncated(.jpeg) }
            switch marker {
            case 0xD9:  // EOI
                guard sawScan else { throw malformed("the image ends at byte \(markerOffset - 1) before any scan") }
                let end = markerOffset + 1
                if end < bytes.count { removals.remove(end..<bytes.count, holding: [.trailingData]) }
                return removals.attachment(.jpeg, bytes, keepMetadata: keepMetadata)
            case 0xD0...0xD7, 0x01:  // RSTn and TEM stand alone, without a length
                position = markerOffset + 1
                continue
            case 0x00:
                throw malformed("FF 00 outside a scan at byte \(markerOffset - 1)")
            case 0xD8:
                throw malformed("a second start of image at byte \(markerOffset - 1)")
            case 0x02...0xBF, 0xF0...0xFD:  // reserved, and the JPEG extensions (JPEG-LS…) no browser shows
                throw malformed("an unsupported marker FF \(hex(marker)) at byte \(markerOffset - 1)")
            default:
                break
            }
            guard let length = bytes.uint16BigEndian(at: markerOffset + 1) else { throw .truncated(.jpeg) }
            guard length >= 2 else {
                throw malformed("segment FF \(hex(marker)) at byte \(markerOffset - 1) has length \(length)")
            }
            let payload = markerOffset + 3
            guard bytes.hasBytes(length - 2, from: payload) else { throw .truncated(.jpeg) }
            let end = payload + length - 2
            let segment = Segment(marker: marker, offset: markerOffset - 1, payload: payload..<end)
            if isFrameHeader(marker) {
                try checkFrameHeader(bytes, segment)
                sawFrame = true
            } else if marker == 0xDA {  // SOS
                guard sawFrame else { throw malformed("a scan at byte \(segment.offset) before any frame header") }
                try checkScanHeader(bytes, segment)
                position = try endOfEntropyCodedData(bytes, from: end)
                sawScan = true
                continue
            } else if let kinds = metadataKinds(bytes, segment) {
                removals.remove(position..<end, holding: kinds)
            }
            position = end
        }
    }

    /// A marker segment: its marker byte, where its FF is, and its payload (after the length).
    struct Segment {
        let marker: UInt8
        let offset: Int
        let payload: Range<Int>
    }

    /// SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    static func isFrameHeader(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    /// A frame header: precision, height, width, and 1–255 components of 3 bytes each.
    static func checkFrameHeader(_ bytes: [UInt8], _ segment: Segment) throws(AttachmentContentError) {
        let start = segment.payload.lowerBound
        guard segment.payload.count >= 6, let width = bytes.uint16BigEndian(at: start + 3),
            let components = bytes.byte(at: start + 5)
        else { throw malformed("a frame header at byte \(segment.offset) is too short") }
        guard width > 0, components > 0, segment.payload.count == 6 + 3 * Int(components) else {
            throw malformed("a frame header at byte \(segment.offset) has no width, no components or a wrong length")
        }
    }

    /// A scan header: 1–4 components of 2 bytes each, then three bytes of spectral selection and approximation.
    static func checkScanHeader(_ bytes: [UInt8], _ segment: Segment) throws(AttachmentContentError) {
        guard let components = bytes.byte(at: segment.payload.lowerBound), (1...4).contains(components),
            segment.payload.count == 4 + 2 * Int(components)
        else { throw malformed("a scan header at byte \(segment.offset) has a wrong length or component count") }
    }

    /// Where the entropy-coded data that starts at `start` ends: at the first marker other than a
    /// stuffed FF 00 or a restart marker (the next segment, another scan of a progressive image, or EOI).
    static func endOfEntropyCodedData(_ bytes: [UInt8], from start: Int) throws(AttachmentContentError) -> Int {
        var index = start
        while index < bytes.count {
            guard bytes[index] == 0xFF else {
                index += 1
                continue
            }
            guard let next = bytes.byte(at: index + 1) else { break }
            switch next {
            case 0x00, 0xD0...0xD7: index += 2
            case 0xFF: index += 1  // a fill byte before a marker
            default: return index
            }
        }
        throw .truncated(.jpeg)
    }

    /// The kinds of metadata a segment holds if cleaning removes it, or nil if it stays (every
    /// segment that is not an application segment or a comment; JFIF, ICC profiles and Adobe's).
    static func metadataKinds(_ bytes: [UInt8], _ segment: Segment) -> [AttachmentMetadataKind]? {
        let start = segment.payload.lowerBound
        func has(_ text: String) -> Bool {
            let signature = Array(text.utf8)
            return signature.count <= segment.payload.count && bytes.matches(signature, at: start)
        }
        switch segment.marker {
        case 0xE0:  // APP0: JFIF stays; JFXX (a thumbnail of the picture) and others go
            return has("JFIF\0") ? nil : [.applicationData]
        case 0xE1:  // APP1
            if has("Exif\0") {
                // "Exif\0" and its pad byte: a segment shorter than that holds no TIFF block.
                guard segment.payload.count >= 6 else { return [.exif] }
                let tiff = start + 6..<segment.payload.upperBound
                return ExifDirectory.hasGPSInfo(bytes, tiff: tiff) ? [.exif, .gpsLocation] : [.exif]
            }
            if has("http://ns.adobe.com/xap/1.0/\0") || has("http://ns.adobe.com/xmp/extension/\0") {
                return [.xmp]
            }
            return [.exif]
        case 0xE2:  // APP2: ICC profiles are colour; anything else (FlashPix, MPF) is not needed
            return has("ICC_PROFILE\0") ? nil : [.applicationData]
        case 0xED:  // APP13: Photoshop image resources, which hold IPTC
            return [.iptc]
        case 0xEE:  // APP14: Adobe's transform flag changes how colours decode
            return has("Adobe") ? nil : [.applicationData]
        case 0xE3...0xEC, 0xEF:
            return [.applicationData]
        case 0xFE:
            return [.comment]
        default:  // every segment that is not an application segment or a comment
            return nil
        }
    }

    static func malformed(_ what: String) -> AttachmentContentError {
        .malformed(.jpeg, what)
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
