/// Checks and cleans a file an officer attaches to a bulletin (a photo or a scanned document)
/// before the node stores and sends it.
///
/// The file may come from anyone's disk or a browser upload and may be crafted: every check reads
/// within the file, walks it once (work linear in its size), never traps, and refuses with an
/// ``AttachmentContentError`` that says what to do. Sizes are the caller's to limit beforehand.
public enum AttachmentContent {
    /// Recognises the type by content (the first bytes, then a parse of the whole structure; never
    /// the file name), checks the structure, and takes the metadata out unless `keepMetadata`.
    ///
    /// - JPEG: marker segments, a frame header before the first scan, scans, the end-of-image
    ///   marker. Cleaning removes Exif, XMP, IPTC/Photoshop, comments, application segments that
    ///   decoding does not need (thumbnails among them), and bytes after the end of the image;
    ///   JFIF (APP0), ICC profiles (APP2 "ICC_PROFILE") and Adobe's colour segment (APP14) stay.
    /// - PNG: the signature, every chunk's length, type and CRC-32, IHDR first and plausible, image
    ///   data, IEND last. Cleaning removes eXIf, tEXt, zTXt, iTXt and tIME, and bytes after IEND;
    ///   every other chunk stays byte for byte.
    /// - WebP: the RIFF size against the file, the chunks, the image chunk's start. Cleaning removes
    ///   EXIF and XMP chunks, clears their flags in VP8X and rewrites the RIFF size.
    /// - PDF: the header's version, "%%EOF" near the end, "startxref" pointing at a cross-reference
    ///   table or an object. PDFs are not cleaned: their metadata is left as the issuing office
    ///   wrote it, and ``CheckedAttachment/removedMetadata`` is empty. Their content (scripts,
    ///   forms, embedded files) is not inspected here.
    ///
    /// With `keepMetadata`, an accepted file's ``CheckedAttachment/bytes`` are `bytes` unchanged.
    /// Cleaning is idempotent: a cleaned file checks again to the same bytes with nothing removed.
    public static func check(_ bytes: [UInt8], keepMetadata: Bool) throws(AttachmentContentError) -> CheckedAttachment {
        guard !bytes.isEmpty else { throw .empty }
        guard let type = AttachmentMediaType(signatureOf: bytes) else { throw .unknownType }
        switch type {
        case .jpeg: return try JPEGReader.check(bytes, keepMetadata: keepMetadata)
        case .png: return try PNGReader.check(bytes, keepMetadata: keepMetadata)
        case .webp: return try WebPReader.check(bytes, keepMetadata: keepMetadata)
        case .pdf: return try PDFReader.check(bytes)
        }
    }
}
