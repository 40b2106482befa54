import Foundation
import IdentityCore
import ScenarioSupport
import Testing

/// An engine on in-memory storage, fed with events in PostHog's capture format.
final class Harness {
    let engine: IdentityEngine
    let storage = InMemoryStorage()
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    private var line = 0

    init(projectID: Int = 1) { engine = IdentityEngine(projectID: projectID) }

    static func validate(_ value: JSONValue, line: Int = 1) -> ValidatedInput {
        EventValidator.validate(value, rawText: JSONCoding.string(value), location: InputLocation(source: "test", line: line))
    }

    static func event(_ value: JSONValue) throws -> Event {
        guard case .valid(let event) = validate(value) else {
            Issue.record("expected a valid event: \(JSONCoding.string(value))")
            throw HarnessError.invalid
        }
        return event
    }

    static func invalid(_ value: JSONValue) -> InvalidEvent? {
        if case .invalid(let invalid) = validate(value) { return invalid }
        return nil
    }

    @discardableResult
    func send(_ value: JSONValue) throws -> EventOutcome {
        line += 1
        return try engine.ingest(Self.validate(value, line: line), in: storage, now: now)
    }

    /// An event with a fresh uuid.
    @discardableResult
    func send(_ name: String, _ distinctID: String, _ properties: [String: JSONValue] = [:],
              extra: [String: JSONValue] = [:]) throws -> EventOutcome {
        var object: [String: JSONValue] = ["event": .string(name), "distinct_id": .string(distinctID),
                                           "properties": .object(properties), "uuid": .string(UUID().uuidString)]
        object.merge(extra) { _, new in new }
        return try send(.object(object))
    }

    @discardableResult
    func identify(_ distinctID: String, anon: JSONValue, _ properties: [String: JSONValue] = [:]) throws -> EventOutcome {
        var props = properties
        props["$anon_distinct_id"] = anon
        return try send("$identify", distinctID, props)
    }

    @discardableResult
    func alias(_ distinctID: String, alias: JSONValue, _ properties: [String: JSONValue] = [:]) throws -> EventOutcome {
        var props = properties
        props["alias"] = alias
        return try send("$create_alias", distinctID, props)
    }

    @discardableResult
    func mergeDangerously(_ distinctID: String, alias: JSONValue) throws -> EventOutcome {
        try send("$merge_dangerously", distinctID, ["alias": alias])
    }

    func person(_ distinctID: String) -> Person? {
        storage.personID(forDistinctID: distinctID).flatMap { storage.person($0) }
    }

    func ids(of distinctID: String) -> Set<String> {
        guard let rowID = storage.personID(forDistinctID: distinctID) else { return [] }
        return Set(storage.distinctIDs(ofPerson: rowID).map(\.distinctID))
    }

    /// Person properties without `$creator_event_uuid`.
    func properties(_ distinctID: String) -> [String: JSONValue] {
        var properties = person(distinctID)?.properties ?? [:]
        properties["$creator_event_uuid"] = nil
        return properties
    }

    var warningTypes: [WarningType] { storage.warnings.map(\.type) }
    var personCount: Int { storage.persons.count }
    var outcome: Outcome { storage.outcome }
}

enum HarnessError: Error { case invalid }
