import Foundation
import GRDBSQLite
import SQLiteStore
import Testing
import TestSupport

/// Opening a store turns SQLite's memory statistics off for the process (a global mutex per
/// allocation, 6% of an ingest's writer). SQLite takes the setting only before its first
/// connection, so this runs in a process of its own, as a program starts.
@Suite("SQLite's process-wide settings")
struct SQLiteConfigurationTests {
    @Test func openingAStoreTurnsMemoryStatisticsOff() async {
        await #expect(processExitsWith: .success) {
            let temp = try TemporaryStore.sqlite()
            defer { temp.remove() }
            let store = try SQLitePersonStore(path: temp.location)
            _ = try store.stats()
            // With statistics on, the connection's own allocations are counted (hundreds of KB).
            exit(sqlite3_memory_used() == 0 ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }
}
