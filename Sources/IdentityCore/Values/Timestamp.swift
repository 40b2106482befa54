import Foundation

/// ISO-8601 times as events carry them ("2026-11-01T10:00:01Z", with or
/// without fractional seconds or an offset), and the one format identikit writes.
public enum Timestamp {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    public static func parse(_ text: String) -> Date? {
        if let date = try? withoutFraction.parse(text) { return date }
        if let date = try? withFraction.parse(text) { return date }
        // Some SDKs send a space instead of "T".
        if text.count > 10, text[text.index(text.startIndex, offsetBy: 10)] == " " {
            var fixed = text
            fixed.replaceSubrange(fixed.index(fixed.startIndex, offsetBy: 10)...fixed.index(fixed.startIndex, offsetBy: 10), with: "T")
            return parse(fixed)
        }
        return nil
    }

    /// UTC with milliseconds: sorts as text in time order.
    public static func format(_ date: Date) -> String {
        withFraction.format(date)
    }
}
