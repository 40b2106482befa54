import Foundation
import IdentityCore

/// One file of `Tests/Scenarios`: an event stream and the outcome the spec requires.
public struct Scenario: Sendable, CustomStringConvertible {
    public var name: String
    public var summary: String
    public var events: [JSONValue]
    public var expected: Outcome
    /// Versions and person ids some scenarios also expect (PostHogCases).
    public var expectedFacts: [PersonFacts] = []

    public var description: String { name }

    /// Every scenario file of the spec, in name order.
    public static func all() throws -> [Scenario] {
        try load(folder: directory)
    }

    /// PostHog's own test cases as scenarios (`Scenarios/PostHogCases`), in name order.
    public static func postHogCases() throws -> [Scenario] {
        try load(folder: directory.appendingPathComponent("PostHogCases"))
    }

    /// Both: what every path through the rules (not the command line) must pass.
    public static func allWithPostHogCases() throws -> [Scenario] {
        try all() + postHogCases()
    }

    static func load(folder: URL) throws -> [Scenario] {
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
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
                        expected: try Outcome(expect: expect),
                        expectedFacts: PersonFacts.all(in: expect))
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

/// What a scenario may say about one person beyond the shared format, found by one of its IDs.
public struct PersonFacts: Sendable, Equatable, CustomStringConvertible {
    public var distinctID: String
    public var version: Int?
    public var id: String?

    static func all(in expect: JSONValue) -> [PersonFacts] {
        (expect["persons"]?.arrayValue ?? []).compactMap { person in
            guard let distinctID = person["distinct_ids"]?.arrayValue?.first?.stringValue else { return nil }
            let version: Int? = if case .int(let v)? = person["version"] { Int(v) } else { nil }
            let id = person["id"]?.stringValue?.lowercased()
            guard version != nil || id != nil else { return nil }
            return PersonFacts(distinctID: distinctID, version: version, id: id)
        }
    }

    /// The same facts as read from a store: only the fields this expectation names.
    public func matching(version: Int64, id: UUID) -> PersonFacts {
        PersonFacts(distinctID: distinctID, version: self.version == nil ? nil : Int(version),
                    id: self.id == nil ? nil : id.uuidString.lowercased())
    }

    public var description: String { "\(distinctID): version \(version.map(String.init) ?? "-") id \(id ?? "-")" }
}

extension InMemoryStorage {
    /// The facts `expected` names, as this storage has them (nil: no person owns the ID).
    public func facts(like expected: [PersonFacts]) -> [PersonFacts?] {
        expected.map { fact in
            personID(forDistinctID: fact.distinctID).flatMap { person($0) }
                .map { fact.matching(version: $0.version, id: $0.uuid) }
        }
    }

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
