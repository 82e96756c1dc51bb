/// The PNG checker (PNG specification, third edition): the signature, then every chunk with its
/// CRC-32, IHDR first, image data, IEND last; text, Exif and time chunks and bytes after IEND are
/// marked for removal.
enum PNGReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// A chunk's length field may not exceed 2^31 − 1.
    static let maximumChunkLength = 0x7FFF_FFFF

    static func check(_ bytes: [UInt8], keepMetadata: Bool) throws(AttachmentContentError) -> CheckedAttachment {
        guard bytes.count >= signature.count else { throw .truncated(.png) }
        guard bytes.matches(signature, at: 0) else {
            throw malformed("the signature is damaged (line endings changed by a text-mode transfer?)")
        }
        var removals = MetadataRemovals()
        var header: ImageHeader?
        var sawPalette = false
        var imageData = ImageDataState.notYet
        var position = signature.count
        while true {
            guard let length = bytes.uint32BigEndian(at: position), bytes.hasBytes(8, from: position) else {
                throw .truncated(.png)
            }
            let type = Array(bytes[position + 4..<position + 8])
            let name = String(decoding: type, as: UTF8.self)
            guard type.allSatisfy(isLetter) else {
                throw malformed("a chunk type that is not 4 letters at byte \(position + 4)")
            }
            let data = position + 8
            // A length past the end of the file is a file cut short, whatever its value.
            guard bytes.hasBytes(length + 4, from: data), let stored = bytes.uint32BigEndian(at: data + length)
            else {
                throw .truncated(.png)
            }
            guard length <= maximumChunkLength else {
                throw malformed("chunk \(name) at byte \(position) declares \(length) bytes, more than 2^31 − 1")
            }
            guard CRC32.checksum(bytes, position + 4..<data + length) == UInt32(stored) else {
                throw malformed("chunk \(name) at byte \(position) has a wrong CRC")
            }
            let end = data + length + 4
            let chunk = Chunk(name: name, offset: position, data: data..<data + length)

            if header == nil {
                guard name == "IHDR" else { throw malformed("the first chunk is \(name), not IHDR") }
                header = try ImageHeader(bytes, chunk)
            } else {
                switch name {
                case "IHDR": throw malformed("a second IHDR at byte \(position)")
                case "PLTE":
                    guard !sawPalette, imageData == .notYet else {
                        throw malformed("a misplaced PLTE at byte \(position)")
                    }
                    guard length > 0, length % 3 == 0, length <= 3 * 256, header?.allowsPalette == true else {
                        throw malformed("a palette at byte \(position) of the wrong size or for a greyscale image")
                    }
                    sawPalette = true
                case "IDAT":
                    guard imageData != .ended else {
                        throw malformed("IDAT chunks are not consecutive (byte \(position))")
                    }
                    guard sawPalette || header?.needsPalette == false else {
                        throw malformed("an indexed-colour image without a palette before its data")
                    }
                    imageData = .inside
                case "IEND":
                    guard length == 0 else { throw malformed("IEND at byte \(position) is not empty") }
                    guard imageData != .notYet else { throw malformed("no image data (IDAT) before IEND") }
                    if end < bytes.count { removals.remove(end..<bytes.count, holding: [.trailingData]) }
                    return removals.attachment(.png, bytes, keepMetadata: keepMetadata)
                default:
                    // Bit 5 of the first letter clear: a critical chunk, which a decoder may not skip.
                    guard type[0] & 0x20 != 0 else {
                        throw malformed("an unknown critical chunk \(name) at byte \(position)")
                    }
                    if let kind = metadataKind(bytes, chunk) {
                        removals.remove(position..<end, holding: [kind])
                    }
                }
                if name != "IDAT", imageData == .inside { imageData = .ended }
            }
            position = end
        }
    }

    /// A chunk: its type as text, where its length field is, and its data.
    struct Chunk {
        let name: String
        let offset: Int
        let data: Range<Int>
    }

    /// Where the walk is with respect to the IDAT chunks, which must be consecutive.
    enum ImageDataState {
        case notYet, inside, ended
    }

    /// The IHDR chunk's values that later chunks are checked against.
    struct ImageHeader {
        let colourType: UInt8

        var needsPalette: Bool { colourType == 3 }
        var allowsPalette: Bool { colourType == 2 || colourType == 3 || colourType == 6 }

        init(_ bytes: [UInt8], _ chunk: Chunk) throws(AttachmentContentError) {
            let start = chunk.data.lowerBound
            guard chunk.data.count == 13, let width = bytes.uint32BigEndian(at: start),
                let height = bytes.uint32BigEndian(at: start + 4)
            else { throw malformed("IHDR is not 13 bytes long") }
            guard (1...maximumChunkLength).contains(width), (1...maximumChunkLength).contains(height) else {
                throw malformed("the image is \(width) × \(height) pixels")
            }
            let depth = bytes[start + 8]
            colourType = bytes[start + 9]
            let depths: [UInt8]
            switch colourType {
            case 0: depths = [1, 2, 4, 8, 16]
            case 3: depths = [1, 2, 4, 8]
            case 2, 4, 6: depths = [8, 16]
            default: throw malformed("colour type \(colourType) does not exist")
            }
            guard depths.contains(depth) else {
                throw malformed("bit depth \(depth) is not allowed with colour type \(colourType)")
            }
            guard bytes[start + 10] == 0, bytes[start + 11] == 0, bytes[start + 12] <= 1 else {
                throw malformed("IHDR names an unknown compression, filter or interlace method")
            }
        }
    }

    /// What cleaning removes a chunk for, or nil if it stays.
    static func metadataKind(_ bytes: [UInt8], _ chunk: Chunk) -> AttachmentMetadataKind? {
        switch chunk.name {
        case "eXIf": return .exif
        case "tEXt", "zTXt": return .text
        case "iTXt":
            let keyword = Array("XML:com.adobe.xmp\0".utf8)
            return keyword.count <= chunk.data.count && bytes.matches(keyword, at: chunk.data.lowerBound) ? .xmp : .text
        case "tIME": return .time
        default: return nil
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func malformed(_ what: String) -> AttachmentContentError {
        .malformed(.png, what)
    }
}
