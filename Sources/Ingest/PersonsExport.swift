import Foundation
import IdentityCore

/// PostHog's grouping of distinct IDs, read from a persons export: one row per distinct ID
/// (`team_id, distinct_id, person_id, properties, person_distinct_id_version, person_version,
/// created_at, _inserted_at, is_deleted`). A distinct ID seen twice keeps the row with the highest
/// `person_distinct_id_version` (the later row on a tie), as PostHog's own table does; a kept row
/// with `is_deleted` true means the ID is absent.
public struct PersonsExport: Sendable {
    struct Row: Sendable, Equatable {
        var person: String
        var version: Int64
        var deleted: Bool
    }

    private var rows: [String: Row] = [:]
    /// Rows that could not be used, as `file:line: why`.
    public private(set) var warnings: [String] = []
    public private(set) var rowsRead = 0

    public init() {}

    /// distinct ID → PostHog person id, deleted rows left out.
    public var grouping: [String: String] {
        var grouping: [String: String] = [:]
        grouping.reserveCapacity(rows.count)
        for (id, row) in rows where !row.deleted { grouping[id] = row.person }
        return grouping
    }

    /// Adds one parsed row; a row that is not a usable persons row becomes a warning instead.
    public mutating func add(_ value: JSONValue, at location: InputLocation) {
        switch Self.parse(value) {
        case .failure(let problem):
            warnings.append("\(location): \(problem.reason)")
        case .success(let (id, row)):
            rowsRead += 1
            if let old = rows[id], old.version > row.version { return }
            rows[id] = row
        }
    }

    /// Adds one line of JSON Lines (blank lines are skipped).
    public mutating func addLine(_ bytes: ArraySlice<UInt8>, at location: InputLocation) {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        do {
            add(try JSONParser.parse(bytes), at: location)
        } catch {
            warnings.append("\(location): not JSON (\(error))")
        }
    }

    /// Reads a whole export file through the shared opener (plain or compressed, by content).
    /// Parquet is refused with a clear error: identikit reads JSON Lines exports.
    public mutating func read(path: String) throws {
        let opened: InputOpener.Opened
        do {
            opened = try InputOpener.open(path)
        } catch IngestError.parquet(let name) {
            // The opener's message speaks of events exports.
            throw PersonsExportError.parquet(name)
        }
        var lines = LineSplitter(opened.source)
        while let line = try lines.next() {
            if line.number == 1, line.bytes.starts(with: Array("PAR1".utf8)) { throw PersonsExportError.parquet(opened.name) }
            addLine(line.bytes, at: InputLocation(source: opened.name, line: line.number))
        }
    }

    struct Problem: Error { var reason: String }

    static func parse(_ value: JSONValue) -> Result<(String, Row), Problem> {
        guard let object = value.objectValue else { return .failure(Problem(reason: "expected a JSON object (a persons row), got \(value.typeName)")) }
        guard let id = object["distinct_id"]?.stringValue, !id.isEmpty else {
            return .failure(Problem(reason: "field distinct_id: missing or not a non-empty string"))
        }
        guard let person = object["person_id"].flatMap(Self.text), !person.isEmpty else {
            return .failure(Problem(reason: "field person_id: missing or not a string"))
        }
        guard let version = Self.integer(object["person_distinct_id_version"]) else {
            return .failure(Problem(reason: "field person_distinct_id_version: not an integer"))
        }
        guard let deleted = Self.flag(object["is_deleted"]) else {
            return .failure(Problem(reason: "field is_deleted: not true/false or 0/1"))
        }
        if let properties = object["properties"], !Self.isPropertiesShape(properties) {
            return .failure(Problem(reason: "field properties: neither an object nor a JSON-encoded object"))
        }
        return .success((id, Row(person: person, version: version, deleted: deleted)))
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        default: nil
        }
    }

    /// ClickHouse writes 64-bit integers as strings in JSON by default: both forms are accepted. Missing is 0.
    private static func integer(_ value: JSONValue?) -> Int64? {
        switch value {
        case nil, .null: 0
        case .int(let i): i
        case .double(let d) where d.rounded() == d && abs(d) < 9e18: Int64(d)
        case .string(let s): Int64(s)
        default: nil
        }
    }

    /// ClickHouse's Bool and UInt8 forms. Missing means not deleted.
    private static func flag(_ value: JSONValue?) -> Bool? {
        switch value {
        case nil, .null: false
        case .bool(let b): b
        case .int(0): false
        case .int(1): true
        case .string("0"), .string("false"): false
        case .string("1"), .string("true"): true
        default: nil
        }
    }

    /// Objects in JSON Lines, JSON-encoded strings in Parquet-derived rows; both are fine.
    private static func isPropertiesShape(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .null: true
        case .string(let s): s.isEmpty || (try? JSONParser.parse(s))?.objectValue != nil
        default: false
        }
    }
}

/// A persons export that cannot be read at all.
public enum PersonsExportError: Error, CustomStringConvertible, Equatable {
    case parquet(String)

    public var description: String {
        switch self {
        case .parquet(let path):
            "\(path) is a Parquet file; identikit reads persons exports as JSON Lines (export again with format JSON Lines, gzip is fine)"
        }
    }
}
