import Foundation

/// The one place that turns values into JSON text and back, so every stored
/// and printed JSON document has the same shape (sorted keys, unescaped slashes).
public enum JSONCoding {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO-8601 time: \(text)"))
            }
            return date
        }
        return decoder
    }

    public static func string(_ value: some Encodable, pretty: Bool = false) -> String {
        // Encoding our own value types cannot fail: they hold only JSON-representable data.
        let data = (try? encoder(pretty: pretty).encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func data(_ value: some Encodable) -> Data {
        (try? encoder().encode(value)) ?? Data("null".utf8)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }

    /// Parses any JSON document into a `JSONValue`.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONParser.parse(data)
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        try JSONParser.parse(bytes)
    }

    /// JSON values skip `Codable`: they are most of what identikit writes.
    public static func string(_ value: JSONValue) -> String {
        JSONWriter.string(value)
    }
}
