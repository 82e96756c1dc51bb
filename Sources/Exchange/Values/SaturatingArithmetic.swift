extension UInt64 {
    /// `self + other`, or `UInt64.max` when that overflows: for numbers that come from a peer or
    /// a collected log, where a sum must never trap (the node's bounds and the secretariat's
    /// reconciliation both use it).
    public func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
