/// libsodium's headers mark buffer parameters non-null even when their length is zero, while an
/// empty Swift array may have no storage. These two functions always hand C a valid pointer.

/// Calls `body` with a non-null pointer to `bytes` and their count.
@inline(__always)
func withBytePointer<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { return body(base, buffer.count) }
        var placeholder: UInt8 = 0
        return withUnsafePointer(to: &placeholder) { body($0, 0) }
    }
}

/// Calls `body` with a non-null mutable pointer to `bytes` and their count.
@inline(__always)
func withMutableBytePointer<R>(_ bytes: inout [UInt8], _ body: (UnsafeMutablePointer<UInt8>, Int) -> R) -> R {
    bytes.withUnsafeMutableBufferPointer { buffer in
        if let base = buffer.baseAddress { return body(base, buffer.count) }
        var placeholder: UInt8 = 0
        return withUnsafeMutablePointer(to: &placeholder) { body($0, 0) }
    }
}
