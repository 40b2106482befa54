import Explorer
import Foundation
import GRDB
import IdentityCore
import SQLiteStore

/// Figure 4: the explorer rendering into its cell grid (no terminal) on a big store: time to the
/// first full frame, and per-key time for the keys people press most.
///
/// The store is written with bulk SQL into identikit's own schema (the explorer only reads it):
/// `persons` persons with one distinct ID each, five events each, one person with 10,000 events,
/// and a thousand warnings. Building a million persons through the engine would take minutes
/// and measure ingest again, which figure 1 already does.
struct ExplorerBenchmark {
    var persons: Int
    var eventsPerPerson = 5

    struct Result {
        var persons: Int
        var events: Int
        var firstFrameMS: Double
        /// Per action: samples in milliseconds.
        var keys: [(name: String, samples: [Double])]
        var all: [Double] { keys.flatMap(\.samples) }
    }

    func run(in workspace: Workspace, log: (String) -> Void) throws -> Result {
        let path = workspace.path("explorer.sqlite")
        log("explorer: writing a store of \(persons) persons and \(persons * eventsPerPerson + 10_000) events")
        let events = try build(path)
        log("explorer: first frame and keys")
        return try Self.measure(store: try SQLitePersonStore(path: path), persons: persons + 1, events: events)
    }

    /// The first frame and the keys, on a store holding `persons` "User N" persons and "heavy-user"
    /// (either kind: the PostgreSQL figures press the same keys).
    static func measure(store: any PersonStore, persons: Int, events: Int) throws -> Result {
        var explorer: HeadlessExplorer!
        let firstFrame = Measure.seconds { explorer = HeadlessExplorer(store: store, width: 120, height: 40) } * 1000
        guard explorer.frame.text.contains("User ") else { throw BenchError("the first frame shows no persons") }

        var keys: [(String, [Double])] = []
        func time(_ name: String, _ sequence: [Key]) {
            let samples = sequence.map { key in Measure.seconds { explorer.pressAndWait(key) } * 1000 }
            keys.append((name, samples))
        }
        time("move down", Array(repeating: .down, count: 300))
        time("page down", Array(repeating: .pageDown, count: 60))
        // Each G reads the true end afresh: the g between them goes back to the top.
        var ends: [Double] = []
        for _ in 0..<10 {
            ends.append(Measure.seconds { explorer.pressAndWait(.char("G")) } * 1000)
            explorer.pressAndWait(.char("g"))
        }
        keys.append((Self.trueEnd, ends))
        time("type a search", [.char("/")] + "user-12345".map { Key.char($0) })
        explorer.pressAndWait(.escape)
        explorer.pressAndWait(.escape)
        // The middle of an email ("user12345@example.com"), letter by letter: from the third on,
        // each letter is a trigram query.
        time(Self.substringSearch, [.char("/")] + "er12345@examp".map { Key.char($0) })
        guard explorer.frame.text.contains("User 12345") else { throw BenchError("the substring search found no person") }
        explorer.pressAndWait(.escape)
        explorer.pressAndWait(.escape)
        // Open the heavy person: search for it, Enter on the match, then its events tab.
        for key in [Key.char("/")] + "heavy-user".map({ Key.char($0) }) + [.enter] { explorer.pressAndWait(key) }
        time("open a person with 10,000 events", [.enter])
        time("its events tab", [.char("3")])
        time("scroll its events", Array(repeating: .pageDown, count: 20))
        guard explorer.frame.text.contains("heavy-user") else { throw BenchError("the heavy person did not open") }
        explorer.pressAndWait(.escape)
        explorer.pressAndWait(.escape)
        explorer.pressAndWait(.escape)
        time("open the warnings screen", [.char("w")])
        return Result(persons: persons, events: events, firstFrameMS: firstFrame, keys: keys)
    }

    /// The keys the report names on their own (their figures have a goal of their own).
    static let trueEnd = "jump to the true end (G)"
    static let substringSearch = "type a substring search"

    /// The p99 of one named key, 0 if it was not pressed.
    static func p99(_ result: Result, _ name: String) -> Double {
        result.keys.first { $0.name == name }.map { Measure.percentile($0.samples, 99) } ?? 0
    }

    /// Writes the store in large transactions with prepared statements.
    private func build(_ path: String) throws -> Int {
        let store = try SQLitePersonStore(path: path)
        let base = 1_790_000_000.0
        var events = 0
        try store.databasePool.writeWithoutTransaction { db in
            let person = try db.makeStatement(sql: """
                INSERT INTO person(id, uuid, created_at, is_identified, properties, email, name, id_count, event_count, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                """)
            let distinctID = try db.makeStatement(sql: """
                INSERT INTO distinct_id(distinct_id, person_id, joined_at, how, event_count, first_seen, last_seen)
                VALUES (?, ?, ?, 'first_event', ?, ?, ?)
                """)
            let event = try db.makeStatement(sql: "INSERT INTO event(uuid, event, distinct_id, timestamp, properties) VALUES (?, ?, ?, ?, ?)")
            func addPerson(_ index: Int, id: String, events count: Int) throws {
                let created = base + Double(index) * 3
                let email = "user\(index)@example.com"
                let properties = JSONWriter.string(["email": .string(email), "name": .string("User \(index)"), "plan": "free"])
                try person.execute(arguments: [index, UUID().uuidString.lowercased(), created, index % 3 == 0, properties, email,
                                               "User \(index)", count, created, created + Double(count)])
                try distinctID.execute(arguments: [id, index, created, count, created, created + Double(count)])
                for n in 0..<count {
                    try event.execute(arguments: [UUID().uuidString.lowercased(), n % 4 == 0 ? "signed_in" : "$pageview", id,
                                                  created + Double(n), #"{"$current_url":"/docs"}"#])
                }
                events += count
            }
            try db.inTransaction {
                try addPerson(persons + 1, id: "heavy-user", events: 10_000)
                return .commit
            }
            var index = 1
            while index <= persons {
                try db.inTransaction {
                    for _ in 0..<50_000 where index <= persons {
                        try addPerson(index, id: "user-\(index)", events: eventsPerPerson)
                        index += 1
                    }
                    return .commit
                }
            }
            let warning = try db.makeStatement(sql: """
                INSERT INTO warning(type, created_at, event_uuid, distinct_ids, details, source) VALUES (?, ?, ?, ?, ?, ?)
                """)
            try db.inTransaction {
                for n in 0..<1000 {
                    let type = n % 2 == 0 ? WarningType.cannotMergeAlreadyIdentified : .cannotMergeWithIllegalDistinctID
                    try warning.execute(arguments: [type.rawValue, base + Double(n), UUID().uuidString.lowercased(),
                                                    #"["user-\#(n + 1)","null"]"#, #"{"event":"$identify"}"#, "bench:\(n)"])
                }
                return .commit
            }
            // identikit writes substring search's tables and its row counts itself (SearchIndexWriteBack,
            // RowCountChanges); rows written around it are indexed and counted in one pass, as the migrations do.
            try db.inTransaction {
                try db.execute(sql: """
                    INSERT INTO person_search(person_search) VALUES ('rebuild');
                    INSERT INTO distinct_id_search(distinct_id) SELECT distinct_id FROM distinct_id WHERE length(distinct_id) >= 3;
                    """)
                try SQLitePersonStore.recountRows(db)
                return .commit
            }
        }
        return events
    }
}
