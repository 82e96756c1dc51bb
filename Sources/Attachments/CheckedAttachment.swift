/// An attachment whose content has been checked: what the node stores and sends.
///
/// Only ``AttachmentContent/check(_:keepMetadata:)`` makes one (the memberwise initialiser is
/// internal), so holding one means the bytes parsed as ``mediaType``.
public struct CheckedAttachment: Sendable, Equatable {
    /// The type the content was recognised as (not the name the file had).
    public let mediaType: AttachmentMediaType
    /// The file as it will travel: the metadata of ``removedMetadata`` taken out, or the file
    /// exactly as given when metadata was kept.
    public let bytes: [UInt8]
    /// What was taken out, in the order it first appeared in the file, each kind once; empty when
    /// metadata was kept or there was none.
    public let removedMetadata: [AttachmentMetadataKind]
}
