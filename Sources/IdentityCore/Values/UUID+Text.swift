import Foundation

// UUID text without Foundation's formatter: on Linux `uuidString` goes through snprintf and
// `UUID(text:)` through sscanf, ~5 % of an ingest that formats several uuids per event.

extension UUID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase text form, as PostHog writes uuids.
    public var lowercased: String {
        String(unsafeUninitializedCapacity: 36) { out in
            format(into: out.baseAddress!)
            return 36
        }
    }

    /// Appends the lowercase text form (36 bytes) to a buffer being written.
    public func appendLowercased(to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            format(into: text.baseAddress!)
            out.append(contentsOf: text)
        }
    }

    private func format(into out: UnsafeMutablePointer<UInt8>) {
        withUnsafeBytes(of: uuid) { bytes in
            var position = 0
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[position] = UInt8(ascii: "-")
                    position += 1
                }
                out[position] = Self.hexDigits[Int(byte >> 4)]
                out[position + 1] = Self.hexDigits[Int(byte & 0x0F)]
                position += 2
            }
        }
    }

    /// Parses the canonical 8-4-4-4-12 form in any case; nil for anything else, like `UUID(text:)`.
    public init?(text: String) {
        var text = text
        text.makeContiguousUTF8()
        guard text.utf8.count == 36,
              let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.parseCanonical($0) }) ?? nil else { return nil }
        self.init(uuid: parsed)
    }

    private static func parseCanonical(_ chars: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        var bytes = [UInt8](repeating: 0, count: 16)
        var position = 0
        for index in 0..<16 {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                guard chars[position] == UInt8(ascii: "-") else { return nil }
                position += 1
            }
            guard let high = nibble(chars[position]), let low = nibble(chars[position + 1]) else { return nil }
            bytes[index] = high << 4 | low
            position += 2
        }
        return (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
