import Foundation
import IdentityCore

/// One file of `Tests/Scenarios`: an event stream and the outcome the spec requires.
public struct Scenario: Sendable, CustomStringConvertible {
    public var name: String
    public var summary: String
    public var events: [JSONValue]
    public var expected: Outcome

    public var description: String { name }

    /// Every scenario file, in name order.
    public static func all() throws -> [Scenario] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map(load)
    }

    /// The folder of scenario files, found next to this source file so tests run from any directory.
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios")

    static func load(_ url: URL) throws -> Scenario {
        let root = try JSONCoding.parse(Data(contentsOf: url))
        guard case .array(let events)? = root["events"], let expect = root["expect"] else {
            throw ScenarioError.malformed(url.lastPathComponent)
        }
        return Scenario(name: url.deletingPathExtension().lastPathComponent,
                        summary: root["description"]?.stringValue ?? "",
                        events: events,
                        expected: try Outcome(expect: expect))
    }

    /// The events as JSON Lines, one compact event per line, the way `identikit ingest` reads them.
    public var jsonLines: String {
        events.map { JSONCoding.string($0) }.joined(separator: "\n") + "\n"
    }
}

enum ScenarioError: Error { case malformed(String) }

/// A person as the scenarios compare it: IDs as a set, properties without `$creator_event_uuid`.
public struct ComparablePerson: Hashable, Sendable, CustomStringConvertible {
    public var distinctIDs: Set<String>
    public var properties: [String: JSONValue]
    public var isIdentified: Bool

    public init(distinctIDs: some Sequence<String>, properties: [String: JSONValue], isIdentified: Bool) {
        self.distinctIDs = Set(distinctIDs)
        var properties = properties
        properties["$creator_event_uuid"] = nil
        self.properties = properties
        self.isIdentified = isIdentified
    }

    /// Reads the `{"distinct_ids", "properties", "is_identified"}` shape shared by the scenarios and `persons --json`.
    public init(json: JSONValue) {
        let ids = (json["distinct_ids"]?.arrayValue ?? [])
            .compactMap(\.stringValue)
        let identified = if case .bool(let b)? = json["is_identified"] { b } else { false }
        self.init(distinctIDs: ids, properties: json["properties"]?.objectValue ?? [:], isIdentified: identified)
    }

    public var description: String {
        "\(distinctIDs.sorted()) identified=\(isIdentified) \(JSONCoding.string(JSONValue.object(properties)))"
    }
}

/// What a run produced, in the terms the scenarios use.
public struct Outcome: Equatable, Sendable, CustomStringConvertible {
    public var persons: Set<ComparablePerson>
    /// Warning type name → count.
    public var warnings: [String: Int]
    public var eventCount: Int

    public init(persons: some Sequence<ComparablePerson>, warningTypes: some Sequence<String>, eventCount: Int) {
        self.persons = Set(persons)
        self.warnings = warningTypes.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        self.eventCount = eventCount
    }

    init(expect: JSONValue) throws {
        let persons = expect["persons"]?.arrayValue ?? []
        let warnings = expect["warnings"]?.arrayValue ?? []
        guard case .int(let count)? = expect["event_count"] else { throw ScenarioError.malformed("event_count") }
        self.init(persons: persons.map(ComparablePerson.init(json:)),
                  warningTypes: warnings.compactMap { $0["type"]?.stringValue },
                  eventCount: Int(count))
    }

    public var description: String {
        let people = persons.map(\.description).sorted().joined(separator: "\n  ")
        return "persons:\n  \(people)\nwarnings: \(warnings.sorted { $0.key < $1.key })\nevents: \(eventCount)"
    }
}

extension InMemoryStorage {
    /// The storage's state in the scenarios' terms.
    public var outcome: Outcome {
        let idsByPerson = Dictionary(grouping: distinctIDRecords.values, by: \.personID)
        let persons = persons.map { rowID, person in
            ComparablePerson(distinctIDs: (idsByPerson[rowID] ?? []).map(\.distinctID),
                             properties: person.properties, isIdentified: person.isIdentified)
        }
        return Outcome(persons: persons, warningTypes: warnings.map(\.type.rawValue), eventCount: events.count)
    }
}
