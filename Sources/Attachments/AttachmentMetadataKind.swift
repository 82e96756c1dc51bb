/// A kind of metadata that cleaning takes out of an attachment, as reported to the officer who
/// attached it (``CheckedAttachment/removedMetadata``): what the file said about the person, the
/// place, the camera or the software, beside the picture itself.
public enum AttachmentMetadataKind: String, Sendable, CaseIterable, Codable {
    /// Exif (camera, settings, dates, thumbnails): a JPEG APP1 "Exif" segment, a PNG eXIf chunk, a
    /// WebP EXIF chunk; also a JPEG APP1 segment of another kind.
    case exif
    /// Where the picture was taken: Exif whose first image directory points to a GPS directory.
    /// Reported beside ``exif``.
    case gpsLocation
    /// XMP (Adobe's metadata: authors, history, often location): a JPEG APP1 XMP segment, a PNG
    /// iTXt chunk with the keyword "XML:com.adobe.xmp", a WebP "XMP " chunk.
    case xmp
    /// IPTC and Photoshop records (captions, names, places): a JPEG APP13 segment.
    case iptc
    /// A JPEG comment (COM) segment.
    case comment
    /// PNG text chunks (tEXt, zTXt, iTXt): author, software, description.
    case text
    /// The PNG last-modification time (tIME).
    case time
    /// Other JPEG application segments that decoding does not need (APP0 that is not JFIF, such as
    /// a JFXX thumbnail; APP2 that is not an ICC profile; APP3–APP12; APP14 that is not Adobe's;
    /// APP15): maker data, previews, editing state.
    case applicationData
    /// Bytes after the end of the image (after a JPEG's EOI or a PNG's IEND): another file may
    /// hide there.
    case trailingData
}
