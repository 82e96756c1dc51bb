extension AuditLog {
    /// The last `count` entries of the kinds `kinds` (every kind when empty), oldest first, found
    /// by reading the log backwards in chunks of 1000 and looking at `scanLimit` entries at most
    /// (`bordernet audit entries --last`, docs/AUDIT.md §12.5): on a busy node the wanted kind may
    /// be rare. `complete` is false when the bound stopped the scan before `count` matches were
    /// found and before the first entry: older matches may exist.
    public func lastEntries(_ count: UInt64, of kinds: Set<AuditEvent.Kind>, scanning scanLimit: UInt64) throws(AuditLogError)
        -> (entries: [AuditEntry], scanned: UInt64, complete: Bool)
    {
        let chunk: UInt64 = 1_000
        var end = size
        var scanned: UInt64 = 0
        var found: [[AuditEntry]] = []
        var matched: UInt64 = 0
        while end > 0, matched < count, scanned < scanLimit {
            let start = end - min(end, chunk, scanLimit - scanned)
            let matching = try entries(in: start..<end).filter { kinds.isEmpty || kinds.contains($0.event.kind) }
            let kept = matching.suffix(Int(clamping: count - matched))
            found.append(Array(kept))
            matched += UInt64(kept.count)
            scanned += end - start
            end = start
        }
        return (found.reversed().flatMap { $0 }, scanned, end == 0 || matched >= count)
    }
}
