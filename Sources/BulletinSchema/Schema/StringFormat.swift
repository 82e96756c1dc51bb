/// The values of the `format` keyword that BorderNet enforces (draft 2020-12 "format-assertion").
public enum StringFormat: String, Sendable, CaseIterable, Codable {
    /// An RFC 3339 `date-time` with a mandatory offset, e.g. `2025-03-14T02:40:00Z` or `2025-03-14T03:40:00+01:00`;
    /// a leap second (`:60`) only at 23:59:60 UTC.
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
        // A switch, not an array literal: this runs for every date of every bulletin.
        let length: Int
        switch month {
        case 2: length = leap ? 29 : 28
        case 4, 6, 9, 11: length = 30
        default: length = 31
        }
        return (1...length).contains(day)
    }

    private static func isDateTime(_ bytes: [UInt8]) -> Bool {
        instant(bytes) != nil
    }

    /// A `date-time` as an instant: whole seconds since 1970-01-01T00:00:00Z and the fraction's
    /// digits without trailing zeros, so that two values compare by the time they denote whatever
    /// their offsets; `nil` if `text` is not a valid `date-time`. A leap second (`:60`) counts as
    /// the first second of the next minute, which it immediately precedes.
    static func instant(_ text: String) -> (seconds: Int64, fraction: String)? {
        instant(Array(text.utf8))
    }

    private static func instant(_ bytes: [UInt8]) -> (seconds: Int64, fraction: String)? {
        // full-date "T" HH:MM:SS [.frac] ("Z" / ±HH:MM); RFC 3339 allows lower-case t and z.
        guard bytes.count >= 20, isDate(bytes[0..<10]),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var fraction = ""
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > digitsStart else { return nil }
            fraction = String(decoding: bytes[digitsStart..<index], as: UTF8.self)
            while fraction.last == "0" { fraction.removeLast() }
        }
        guard index < bytes.count else { return nil }
        let offsetMinutes: Int
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            offsetMinutes = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHour = number(bytes[index + 1..<index + 3]),
                let offsetMinute = number(bytes[index + 4..<index + 6]),
                offsetHour <= 23, offsetMinute <= 59
            else { return nil }
            offsetMinutes = (bytes[index] == UInt8(ascii: "-") ? -1 : 1) * (offsetHour * 60 + offsetMinute)
        default:
            return nil
        }
        // RFC 3339 §5.7: a leap second is 23:59:60 *UTC*; in another offset it falls at the local
        // time that is 23:59 UTC (e.g. 20:29:60-03:30). Any other :60 is not a time that exists.
        let minutesUTC = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
        if second == 60, minutesUTC != 23 * 60 + 59 { return nil }
        let days = Int64(daysSinceEpoch(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return (seconds, fraction)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether the `date-time` `earlier` denotes a time no later than `later`; `nil` when either
    /// is not a valid `date-time`.
    static func isNotLater(_ earlier: String, than later: String) -> Bool? {
        guard let a = instant(earlier), let b = instant(later) else { return nil }
        if a.seconds != b.seconds { return a.seconds < b.seconds }
        // Same second: compare the fractions digit by digit ("5" = .5 > "25" = .25).
        let width = max(a.fraction.count, b.fraction.count)
        let pad = { (text: String) in text + String(repeating: "0", count: width - text.count) }
        return pad(a.fraction) <= pad(b.fraction)
    }
}
