/// The values of the `format` keyword that BorderNet enforces (draft 2020-12 "format-assertion").
public enum StringFormat: String, Sendable, CaseIterable, Codable {
    /// An RFC 3339 `date-time` with a mandatory offset, e.g. `2025-03-14T02:40:00Z` or `2025-03-14T03:40:00+01:00`.
    case dateTime = "date-time"
    /// An RFC 3339 `full-date`, e.g. `1987-11-02`.
    case date

    /// Whether `text` is in this format (calendar-checked: no 31 April, 29 February only in leap years).
    public func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        switch self {
        case .date: return bytes.count == 10 && StringFormat.isDate(bytes[...])
        case .dateTime: return StringFormat.isDateTime(bytes)
        }
    }

    /// The format's name in `language`, for messages.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.dateTime, .en): return "an RFC 3339 date and time with offset (e.g. 2025-03-14T02:40:00Z)"
        case (.dateTime, .fr): return "une date et heure RFC 3339 avec décalage (ex. 2025-03-14T02:40:00Z)"
        case (.dateTime, .ar): return "تاريخ ووقت وفق RFC 3339 مع فارق التوقيت (مثال 2025-03-14T02:40:00Z)"
        case (.date, .en): return "an RFC 3339 date (e.g. 1987-11-02)"
        case (.date, .fr): return "une date RFC 3339 (ex. 1987-11-02)"
        case (.date, .ar): return "تاريخ وفق RFC 3339 (مثال 1987-11-02)"
        }
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return bytes.isEmpty ? nil : value
    }

    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let start = bytes.startIndex
        guard bytes.count == 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
            let year = number(bytes[start..<start + 4]),
            let month = number(bytes[start + 5..<start + 7]),
            let day = number(bytes[start + 8..<start + 10]),
            (1...12).contains(month)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...lengths[month - 1]).contains(day)
    }

    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        // full-date "T" HH:MM:SS [.frac] ("Z" / ±HH:MM); RFC 3339 allows lower-case t and z.
        guard bytes.count >= 20, isDate(bytes[0..<10]),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > digitsStart else { return false }
        }
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return index + 1 == bytes.count
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHour = number(bytes[index + 1..<index + 3]),
                let offsetMinute = number(bytes[index + 4..<index + 6])
            else { return false }
            return offsetHour <= 23 && offsetMinute <= 59
        default:
            return false
        }
    }
}
