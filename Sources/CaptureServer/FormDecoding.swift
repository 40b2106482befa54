import Foundation

/// `application/x-www-form-urlencoded` and query strings, as browser SDKs send them.
public enum FormDecoding {
    /// Splits `a=1&b=2` into fields; later duplicates win. `+` is a space; `%XX` is a byte.
    public static func fields(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            result[name] = value
        }
        return result
    }

    public static func fields(_ text: String) -> [String: String] { fields(text[...]) }

    /// Decodes `%XX` escapes and `+`; malformed escapes are kept as they are. Invalid UTF-8 becomes U+FFFD.
    public static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                   let low = hexValue(iterator[iterator.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    iterator.removeFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Standard or URL-safe base64, with or without padding, ignoring whitespace.
    public static func base64Decode(_ text: String) -> [UInt8]? {
        var cleaned = String()
        cleaned.reserveCapacity(text.utf8.count + 3)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "-": cleaned.unicodeScalars.append("+")
            case "_": cleaned.unicodeScalars.append("/")
            case " ", "\n", "\r", "\t": continue
            default: cleaned.unicodeScalars.append(scalar)
            }
        }
        while cleaned.utf8.count % 4 != 0 { cleaned.append("=") }
        return Data(base64Encoded: cleaned).map { [UInt8]($0) }
    }
}
