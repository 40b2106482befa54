import Foundation
import IdentityCore
import Testing
import TestSupport

/// `identikit demo`: its own demo.sqlite unless --db names a file; the user's store is never written.
@Suite("identikit demo", .ownThreads)
struct DemoCommandTests {
    @Test func theDemoNeverWritesIntoTheStoreOfIDENTIKIT_DB() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        let dataHome = cli.directory.appendingPathComponent("data").path
        let mine = cli.directory.appendingPathComponent("mine.sqlite").path
        let result = try cli.run(["demo", "--no-open", "--persons", "20"], environment: ["XDG_DATA_HOME": dataHome, "IDENTIKIT_DB": mine])
        #expect(result.status == 0, "\(result.stderr)")
        let demo = dataHome + "/identikit/demo.sqlite"
        #expect(result.stdout.hasPrefix("demo store written to \(demo)\n"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: mine), "the demo wrote into $IDENTIKIT_DB")
        let stats = try JSONParser.parse(try cli.run(["stats", "--json", "--db", demo]).stdout)
        #expect((stats["persons"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0) > 0)
    }

    @Test func aStoreNamedWithDBMustBeNewOrEmpty() throws {
        let cli = try CommandLineRunner()
        defer { cli.cleanUp() }
        #expect(try cli.run(["ingest", try cli.file("e.jsonl", #"{"event":"e","distinct_id":"a"}"# + "\n"), "--db", cli.store]).status == 0)
        let result = try cli.run(["demo", "--no-open", "--persons", "5", "--db", cli.store])
        #expect(result.status == 1)
        #expect(result.stderr == "identikit: the store already holds events; the demo writes only into a new or empty store: \(cli.store)\n",
                "\(result.stderr)")
    }
}
