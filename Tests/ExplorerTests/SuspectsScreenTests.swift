import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// `S` opens the suspects, computed once; Enter opens the person or the shared email's group.
@Suite struct SuspectsScreenTests {
    static let lines = [
        #"{"event":"e","distinct_id":"user","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"name":"Generic"}}}"#,
        #"{"event":"$identify","distinct_id":"ann","timestamp":"2024-05-01T10:01:00Z","properties":{"$anon_distinct_id":"a-1","$set":{"email":"ann@example.com"}}}"#,
        #"{"event":"$identify","distinct_id":"ann-2","timestamp":"2024-05-01T10:02:00Z","properties":{"$anon_distinct_id":"a-2","$set":{"email":"ann@example.com"}}}"#,
    ]

    @Test func suspectsOpenTheirPersonOrGroup() async throws {
        let store = try MemoryStore(lines: Self.lines)
        let driver = await Driver(store)
        await driver.press(.char("S"))
        guard case .suspects(let suspects) = driver.state.top else { Issue.record("S opened \(driver.state.top)"); return }
        #expect(suspects.rows.map(\.kind) == [.genericID, .sharedEmail])
        #expect(store.calls.filter { $0 == "suspects" }.count == 1)
        #expect(driver.screen.contains("Suspects"))
        #expect(driver.screen.contains("\"user\" on Generic"))
        #expect(driver.screen.contains("2 identified persons"))

        // Moving does not ask the store again.
        await driver.press(.down, .up)
        #expect(store.calls.filter { $0 == "suspects" }.count == 1)

        await driver.press(.enter)
        guard case .detail(let detail) = driver.state.top else { Issue.record("Enter opened no person"); return }
        #expect(detail.detail?.person.properties["name"] == "Generic")

        await driver.press(.escape, .down, .enter)
        guard case .duplicateMembers(let group) = driver.state.top else { Issue.record("Enter opened no group"); return }
        #expect(group.property == "email" && group.value == "ann@example.com")
        #expect(group.rows.count == 2)
    }

    @Test func theHelpNamesTheScreen() async throws {
        let driver = await Driver(try MemoryStore(lines: Self.lines), width: 100, height: 50)
        await driver.press(.char("?"))
        #expect(driver.screen.contains("S suspects"))
    }
}
