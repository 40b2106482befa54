import Foundation
import PostgresStore
import TestSupport
import Testing

/// What a user sees when the server cannot be used: one line naming the host and the database,
/// never the password.
@Suite("PostgreSQL errors are one line, without the password")
struct PostgresErrorTests {
    static func failure(opening url: String) async throws -> String {
        do {
            let store = try await PostgresPersonStore.open(try PostgresLocation(url: url))
            await store.close()
            Issue.record("opening \(PostgresLocation.redacted(url)) succeeded")
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// A malformed URL is refused as one, never taken for a SQLite file's path.
    @Test(arguments: ["postgres:/broken", "postgresql:broken", "POSTGRES://"])
    func aMalformedURLIsRefusedAsAURL(_ url: String) {
        #expect(PostgresLocation.isURL(url))
        #expect(throws: (any Error).self) { try PostgresLocation(url: url) }
        do { _ = try PostgresLocation(url: url) } catch {
            #expect("\(error)".contains("not a PostgreSQL URL") || "\(error)".contains("names no host"), "\(error)")
        }
        #expect(!PostgresLocation.isURL("postgres.sqlite"))
    }

    @Test func aWrongPasswordNamesHostAndDatabase() async throws {
        let cluster = try PostgresCluster.shared.get()
        let database = try PostgresLocation(url: try cluster.makeDatabase()).database
        let secret = "wrong-secret-\(UInt32.random(in: 0...UInt32.max))"
        let message = try await Self.failure(opening: cluster.url(database: database, password: secret))
        #expect(!message.contains(secret), "\(message)")
        #expect(!message.contains(cluster.password), "\(message)")
        #expect(message.contains("127.0.0.1:\(cluster.port)") && message.contains(database), "\(message)")
        #expect(message.contains("login failed"), "\(message)")
        #expect(!message.contains("\n"), "\(message)")
    }

    @Test func aRefusedConnectionNamesHostAndDatabase() async throws {
        let port = try PostgresCluster.freePort()
        let secret = "secret-\(UInt32.random(in: 0...UInt32.max))"
        let message = try await Self.failure(opening: "postgres://someone:\(secret)@127.0.0.1:\(port)/nowhere_db")
        #expect(!message.contains(secret), "\(message)")
        #expect(message.contains("127.0.0.1:\(port)") && message.contains("nowhere_db"), "\(message)")
        #expect(message.contains("cannot reach"), "\(message)")
        #expect(!message.contains("\n"), "\(message)")
    }
}
