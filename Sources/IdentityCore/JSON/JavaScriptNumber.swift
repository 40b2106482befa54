/// JavaScript's Number::toString (ECMA-262, 6.1.6.1.20): the shortest digits that read back as the
/// same double, placed without an exponent from 1e-6 up to 1e21. PostHog's ingestion turns a numeric
/// `$anon_distinct_id` or `alias` into a string this way, and a number is "its decimal string" when it
/// is a distinct ID, never `1.2345678901234567e+19`.
enum JavaScriptNumber {
    static func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }  // -0 too, as in JavaScript
        let (digits, point) = shortestDigits(abs(value))
        return (value < 0 ? "-" : "") + place(digits, point: point)
    }

    /// Swift's `description` is also the shortest round-trip form; this takes its digits apart.
    /// Returns digits without leading or trailing zeros and n with value = 0.digits × 10^n.
    static func shortestDigits(_ magnitude: Double) -> (digits: [Character], point: Int) {
        let text = magnitude.description  // "123.0", "0.001", "1e-07", "1.2345678901234567e+19"
        let parts = text.split(separator: "e")
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        let whole = mantissa[0], fraction = mantissa.count > 1 ? mantissa[1] : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        return (digits, point)
    }

    static func place(_ digits: [Character], point n: Int) -> String {
        let k = digits.count
        if k <= n && n <= 21 { return String(digits) + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return String(digits[..<n]) + "." + String(digits[n...]) }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + String(digits) }
        let exponent = n - 1
        let mantissa = k == 1 ? String(digits) : String(digits[0]) + "." + String(digits[1...])
        return mantissa + "e" + (exponent > 0 ? "+" : "-") + String(abs(exponent))
    }
}
