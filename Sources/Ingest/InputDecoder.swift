import Foundation
import IdentityCore

/// Turns the bytes of one input (a line, a document) into validated inputs: events or
/// invalid inputs that become warnings naming where they were.
public enum InputDecoder {
    /// Raw text kept in a warning is capped: a 10 MB bad line is reported, not copied whole.
    public static let maxRawBytes = 64 * 1024

    /// Decodes one JSON Lines line. A line may hold one event, an array of events, or a batch object.
    public static func decodeLine(_ bytes: ArraySlice<UInt8>, location: InputLocation, terminated: Bool = true) -> [ValidatedInput] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return [EventValidator.unreadable("line is not valid UTF-8", raw: rawText(bytes), location: location)]
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            let reason = terminated
                ? "not valid JSON (\(describe(error)))"
                : "truncated last line: no newline at the end and not complete JSON (\(describe(error)))"
            return [EventValidator.unreadable(reason, raw: capped(text), location: location)]
        }
        return decodeValue(value, rawText: capped(text), location: location)
    }

    /// Decodes a whole JSON document: an event, an array of events, or a PostHog batch object.
    public static func decodeDocument(_ bytes: [UInt8], location: InputLocation) -> [ValidatedInput] {
        decodeLine(bytes[...], location: location)
    }

    /// Splits arrays and batch objects into their events; each element's location names its index.
    public static func decodeValue(_ value: JSONValue, rawText: String, location: InputLocation) -> [ValidatedInput] {
        let elements: [JSONValue]
        switch value {
        case .array(let array):
            elements = array
        case .object(let object) where object["batch"] != nil && object["event"] == nil:
            guard case .array(let batch)? = object["batch"] else {
                return [EventValidator.unreadable("batch must be an array of events, got \(object["batch"]!.typeName)",
                                                  raw: rawText, location: location)]
            }
            elements = batch
        default:
            return [EventValidator.validate(value, rawText: rawText, location: location)]
        }
        return elements.enumerated().map { index, element in
            var place = location
            place.element = index
            return EventValidator.validate(element, rawText: capped(JSONCoding.string(element)), location: place)
        }
    }

    static func rawText(_ bytes: ArraySlice<UInt8>) -> String {
        capped(String(decoding: bytes, as: UTF8.self))
    }

    public static func capped(_ text: String) -> String {
        guard text.utf8.count > maxRawBytes else { return text }
        let prefix = String(decoding: text.utf8.prefix(maxRawBytes), as: UTF8.self)
        return prefix + "… [\(text.utf8.count - maxRawBytes) more bytes not kept]"
    }

    /// Foundation's JSON errors are long; keep the part that says what and where.
    static func describe(_ error: any Error) -> String {
        if let failure = error as? JSONParser.Failure { return failure.description }
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
