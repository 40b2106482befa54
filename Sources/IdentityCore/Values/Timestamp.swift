import Foundation

/// ISO-8601 times as events carry them ("2026-11-01T10:00:01Z", with or without fractional
/// seconds or an offset; PostHog's exports write "2024-01-02 03:04:05.123456" with a space, six
/// digits and no zone, meaning UTC), and the one format identikit writes.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    public static func parse(_ text: String) -> Date? {
        if let date = parseDateTime(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        if let date = try? withFraction.parse(text) { return date }
        return nil
    }

    /// UTC with milliseconds: sorts as text in time order. Written by hand: the format style truncates
    /// a time like 22.114 held as 22.113999… to .113, so a time read and written again could change.
    public static func format(_ date: Date) -> String {
        // Milliseconds, truncated as before, but a microsecond of binary rounding below one is that one.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.001).rounded(.down))
        let (days, dayMilliseconds) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, time) = dayMilliseconds < 0 ? (days - 1, dayMilliseconds + 86_400_000) : (days, dayMilliseconds)
        let (year, month, dayOfMonth) = civil(daysSinceEpoch: Int(day))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int64(year), 4))-\(pad(Int64(month), 2))-\(pad(Int64(dayOfMonth), 2))T\(pad(time / 3_600_000, 2)):"
            + "\(pad(time / 60_000 % 60, 2)):\(pad(time / 1000 % 60, 2)).\(pad(time % 1000, 3))Z"
    }

    /// `YYYY-MM-DD(T| )hh:mm[:ss[.fraction]][Z|±hh[:mm]]`, read by hand: the form nearly every event
    /// has, several times faster than the format style, and the only reader of a time without a zone
    /// (UTC) or with more than three fraction digits. Anything else is left to the format styles.
    static func parseDateTime(_ text: String) -> Date? {
        var text = text
        return text.withUTF8(parseDateTime)
    }

    private static func parseDateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), skip(0x2D), let month = digits(2), skip(0x2D), let day = digits(2) else { return nil }
        guard skip(0x54) || skip(0x20) || skip(0x74) else { return nil }  // T, space, t
        guard let hour = digits(2), skip(0x3A), let minute = digits(2) else { return nil }
        var second = 0
        var fraction = 0.0
        if skip(0x3A) {
            guard let whole = digits(2) else { return nil }
            second = whole
            if skip(0x2E) || skip(0x2C) {
                // Nanoseconds at most; further digits are read and dropped.
                var units = 0, scale = 1, count = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    if count < 9 {
                        units = units * 10 + Int(bytes[index] - 0x30)
                        scale *= 10
                    }
                    count += 1
                    index += 1
                }
                guard count > 0 else { return nil }
                fraction = Double(units) / Double(scale)
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if skip(0x5A) || skip(0x7A) {  // Z, z
            } else if bytes[index] == 0x2B || bytes[index] == 0x2D {  // + or -
                let sign = bytes[index] == 0x2D ? -1 : 1
                index += 1
                guard let hours = digits(2) else { return nil }
                var minutes = 0
                if index < bytes.count {
                    _ = skip(0x3A)
                    guard let value = digits(2) else { return nil }
                    minutes = value
                }
                guard hours < 24, minutes < 60 else { return nil }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            }
        }
        guard index == bytes.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    private static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
