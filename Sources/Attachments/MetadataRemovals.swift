/// The parts of a file that cleaning takes out, collected while a checker walks it front to back:
/// byte ranges in increasing order and the kinds of metadata they held.
struct MetadataRemovals {
    private(set) var ranges: [Range<Int>] = []
    private(set) var kinds: [AttachmentMetadataKind] = []

    /// Marks `range` (after every range marked before) as removed, holding `kinds`.
    mutating func remove(_ range: Range<Int>, holding kinds: [AttachmentMetadataKind]) {
        if !range.isEmpty { ranges.append(range) }
        for kind in kinds where !self.kinds.contains(kind) { self.kinds.append(kind) }
    }

    /// `bytes` without the removed ranges.
    func cleaned(_ bytes: [UInt8]) -> [UInt8] {
        guard !ranges.isEmpty else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var next = 0
        for range in ranges {
            output.append(contentsOf: bytes[next..<range.lowerBound])
            next = range.upperBound
        }
        output.append(contentsOf: bytes[next...])
        return output
    }

    /// The checked attachment: `bytes` as given when metadata is kept, else cleaned.
    func attachment(_ type: AttachmentMediaType, _ bytes: [UInt8], keepMetadata: Bool) -> CheckedAttachment {
        keepMetadata
            ? CheckedAttachment(mediaType: type, bytes: bytes, removedMetadata: [])
            : CheckedAttachment(mediaType: type, bytes: cleaned(bytes), removedMetadata: kinds)
    }
}
