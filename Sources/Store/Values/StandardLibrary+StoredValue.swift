import Foundation
import GRDB

// The plain column types, with GRDB's own conversions.

extension String: StoredValue {
    /// `a text`.
    public static var storedForm: String { "a text" }
}

extension Int64: StoredValue {
    /// `an integer`.
    public static var storedForm: String { "an integer" }
}

extension Int: StoredValue {
    /// `an integer`.
    public static var storedForm: String { "an integer" }
}

extension UInt64: StoredValue {
    /// `a non-negative integer`.
    public static var storedForm: String { "a non-negative integer" }
}

extension Data: StoredValue {
    /// `a blob`.
    public static var storedForm: String { "a blob" }
}
