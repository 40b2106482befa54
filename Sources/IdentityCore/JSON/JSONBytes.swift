import Foundation

/// Writes a JSON document piece by piece straight to bytes, for records written often enough that
/// building a `JSONValue` tree first costs more than the writing (merge records with two persons).
/// Callers add object keys in sorted order, so the text has the same shape `JSONWriter` gives.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next element is the first of its array or object (no comma before it).
    private var first = true
    /// Whether a key was just written (its value takes no comma).
    private var afterKey = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func element() {
        if afterKey {
            afterKey = false
        } else if !first {
            bytes.append(UInt8(ascii: ","))
        }
        first = false
    }

    public mutating func beginObject() {
        element()
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func beginArray() {
        element()
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    public mutating func key(_ key: String) {
        element()
        JSONWriter.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func value(_ value: JSONValue) {
        element()
        JSONWriter.write(value, into: &bytes)
    }

    public mutating func string(_ text: String) {
        element()
        JSONWriter.writeString(text, into: &bytes)
    }

    public mutating func double(_ number: Double) {
        element()
        JSONWriter.writeDouble(number, into: &bytes)
    }

    public mutating func int(_ number: Int64) {
        element()
        JSONWriter.writeInt(number, into: &bytes)
    }

    public mutating func bool(_ flag: Bool) {
        element()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    public mutating func null() {
        element()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A lowercase uuid string, or null.
    public mutating func uuid(_ uuid: UUID?) {
        element()
        guard let uuid else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        uuid.appendLowercased(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A value some other writer produces (it must write exactly one JSON value).
    public mutating func raw(_ write: (inout [UInt8]) -> Void) {
        element()
        write(&bytes)
    }
}
