import Foundation
import IdentityCore
import SQLiteStore

/// Figure 5: `persons --json` streaming speed and `person ID --json` latency, through the same
/// store calls and JSON writer the command line uses (output discarded).
struct QueryBenchmark {
    struct Result {
        var persons: Int
        var personsPerSecond: Double
        var personP50MS: Double
        var personP99MS: Double
    }

    func run(storePath: String, log: (String) -> Void) throws -> Result {
        let store = try SQLitePersonStore(path: storePath)
        log("queries: streaming every person as JSON")
        var count = 0
        var bytes = 0
        var sampleIDs: [String] = []
        let seconds = try Measure.seconds {
            var cursor: PersonCursor?
            while true {
                let page = try store.persons(after: cursor, limit: 1000)
                for (person, ids) in try store.personsWithDistinctIDs(page.persons.map(\.id)) {
                    let object: JSONValue = ["id": .string(person.uuid.lowercased), "distinct_ids": .array(ids.map(JSONValue.string)),
                                             "is_identified": .bool(person.isIdentified), "properties": .object(person.properties)]
                    bytes += JSONWriter.string(object).utf8.count
                    count += 1
                    if count % 97 == 0, let first = ids.first { sampleIDs.append(first) }
                }
                guard let next = page.next else { break }
                cursor = next
            }
        }
        log("queries: person detail for \(min(sampleIDs.count, 500)) persons")
        let latencies = try Measure.samplesMS(min(sampleIDs.count, 500)) { index in
            _ = try store.personDetail(sampleIDs[index])
        }
        return Result(persons: count, personsPerSecond: Double(count) / seconds,
                      personP50MS: Measure.median(latencies), personP99MS: Measure.percentile(latencies, 99))
    }
}
