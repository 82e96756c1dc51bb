/// The kinds of file an officer may attach to a bulletin: photos and scanned documents.
///
/// A type is recognised by the file's content (``AttachmentContent/check(_:keepMetadata:)``), never
/// by its name or by what a browser declared; the raw value is the media type the node stores and
/// sends with the bytes.
public enum AttachmentMediaType: String, Sendable, CaseIterable, Codable {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case webp = "image/webp"
    case pdf = "application/pdf"

    /// The format's usual name, for messages to an officer ("JPEG", "PNG", "WebP", "PDF").
    public var name: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .pdf: "PDF"
        }
    }

    /// The type whose first bytes `bytes` starts with, or nil. Only the signature is looked at here;
    /// the format's checker parses the rest. A file shorter than a signature matches no type.
    init?(signatureOf bytes: [UInt8]) {
        if bytes.starts(with: [0xFF, 0xD8]) {
            self = .jpeg
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            // "\x89PNG"; the other four signature bytes are checked by the PNG reader, so that a
            // PNG whose line endings a text-mode transfer rewrote is reported as a damaged PNG.
            self = .png
        } else if bytes.starts(with: Array("RIFF".utf8)), bytes.matches(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if bytes.starts(with: Array("%PDF-".utf8)) {
            self = .pdf
        } else {
            return nil
        }
    }
}
