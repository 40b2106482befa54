import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// Enter on a property opens every write it had, oldest first; Enter on a write shows it whole.
@Suite struct PropertyHistoryScreenTests {
    static let lines = [
        #"{"event":"e","distinct_id":"ann","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"plan":"free"}}}"#,
        #"{"event":"e","distinct_id":"ann","timestamp":"2024-05-01T10:01:00Z","properties":{"$set_once":{"plan":"trial"}}}"#,
        #"{"event":"upgrade","distinct_id":"ann","timestamp":"2024-05-01T10:02:00Z","properties":{"$set":{"plan":"pro\u001b[31m"}}}"#,
    ]

    @Test func enterOnAPropertyListsItsWritesOldestFirst() async throws {
        let store = try MemoryStore(lines: Self.lines)
        let driver = await Driver(store)
        await driver.command("person ann")
        await driver.press(.down, .enter)  // $creator_event_uuid, then plan
        guard case .propertyHistory(let history) = driver.state.top else {
            Issue.record("Enter opened no history: \(driver.state.top)")
            return
        }
        #expect(history.key == "plan")
        try #require(history.writes.count == 3)
        #expect(history.writes.map(\.operation) == [.set, .setOnce, .set])
        #expect(history.writes.map(\.applied) == [true, false, true])
        #expect(history.writes[1].reason == .alreadySet)
        #expect(history.cursor.selected == 2, "the newest write is selected")
        #expect(store.calls.contains { $0.hasPrefix("history ") && $0.hasSuffix(" plan") })
        #expect(driver.screen.contains("Property plan"))
        #expect(driver.screen.contains("skipped: already set"))
        #expect(driver.screen.contains("upgrade"))
        #expect(!driver.screen.contains("\u{1b}"), "a value never reaches the terminal as a control sequence")

        await driver.press(.up, .enter)
        guard case .viewer(let title, let lines, _)? = driver.state.overlay else { Issue.record("Enter showed no write"); return }
        #expect(title == "plan · $set_once in e")
        #expect(lines.contains("not written: already set"))
        #expect(lines.contains(#""trial""#))

        await driver.press(.escape, .escape)
        guard case .detail = driver.state.top else { Issue.record("Esc did not go back to the person"); return }
    }

    @Test func vStillShowsTheWholeValue() async throws {
        let driver = await Driver(try MemoryStore(lines: Self.lines))
        await driver.command("person ann")
        await driver.press(.down, .char("v"))
        guard case .viewer(let title, _, _)? = driver.state.overlay else { Issue.record("v showed no value"); return }
        #expect(title == "property plan")
    }
}
