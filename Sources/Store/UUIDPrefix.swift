import Foundation

/// The start of a person's uuid, as `identikit persons` prints it (8 characters): accepted wherever a
/// person is named, when it names exactly one person and no distinct ID is spelled that way.
public enum UUIDPrefix {
    static let template = Array("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")

    /// The first and last uuid that start with `text` (at least 8 hex digits, dashes where a uuid has
    /// them); nil for anything else, and for a whole uuid.
    public static func bounds(_ text: String) -> (low: UUID, high: UUID)? {
        let prefix = Array(text.lowercased())
        guard prefix.count >= 8, prefix.count < template.count else { return nil }
        for (character, slot) in zip(prefix, template) {
            guard slot == "-" ? character == "-" : character.isHexDigit && character.isASCII else { return nil }
        }
        let rest = template[prefix.count...]
        let low = String(prefix) + String(rest.map { $0 == "-" ? "-" : "0" })
        let high = String(prefix) + String(rest.map { $0 == "-" ? "-" : "f" })
        guard let lowUUID = UUID(uuidString: low), let highUUID = UUID(uuidString: high) else { return nil }
        return (lowUUID, highUUID)
    }
}
