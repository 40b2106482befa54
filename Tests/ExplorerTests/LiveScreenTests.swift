import Foundation
import IdentityCore
import Testing
@testable import SQLiteStore
@testable import Explorer

/// The live screen on the in-memory store: new events on top with their effects, pause, filter,
/// and the opened event's ways to its person, its merge and its warning.
@Suite struct LiveScreenTests {
    func live(_ driver: Driver) -> LiveState? { if case .live(let l) = driver.state.top { return l }; return nil }

    @Test func newEventsArriveOnTopWithTheirEffect() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.char("L"))
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.reader != nil }; return false }
        let first = try #require(live(driver))
        #expect(first.events.map(\.distinctID).prefix(2) == ["frank", "erin"], "newest first")
        #expect(first.events.first?.effect?.kind == .newPerson)
        #expect(driver.screen.contains("Live events"))

        try store.externalWrite([#"{"event":"$identify","distinct_id":"user-9","properties":{"$anon_distinct_id":"frank"}}"#])
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.events.first?.distinctID == "user-9" }; return false }
        let after = try #require(live(driver))
        #expect(after.events.count == first.events.count + 1)
        #expect(after.events.first?.effect?.kind == .linkedID)
        #expect(driver.screen.contains("linked user-9"))
    }

    @Test func spacePausesAndResumes() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.char("L"))
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.reader != nil }; return false }
        await driver.press(.char(" "))
        #expect(live(driver)?.paused == true)
        try store.externalWrite([#"{"event":"late","distinct_id":"zed"}"#])
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.held.count == 1 }; return false }
        #expect(live(driver)?.events.first?.distinctID == "frank", "paused: the list does not move")
        #expect(driver.screen.contains("paused · 1 new"))
        await driver.press(.char(" "))
        #expect(live(driver)?.paused == false)
        #expect(live(driver)?.events.first?.distinctID == "zed")
        #expect(live(driver)?.held.isEmpty == true)
    }

    @Test func slashFiltersByDistinctIDOrEventName() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.char("L"))
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.reader != nil }; return false }
        await driver.press(.char("/"))
        await driver.type("bob")
        #expect(Set(live(driver)?.shown.map(\.distinctID) ?? []) == ["bob", "bob-2"])
        await driver.press(.ctrl("u"))
        await driver.type("signup")
        #expect(live(driver)?.shown.map(\.name) == ["signup"])
    }

    @Test func enterOnAnIllegalIdentifyLeadsToItsWarning() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.char("L"))
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.reader != nil }; return false }
        let index = try #require(live(driver)?.shown.firstIndex { $0.distinctID == "null" })
        for _ in 0..<index { await driver.press(.down) }
        await driver.press(.enter)
        guard case .liveEvent(let opened) = driver.state.top else { Issue.record("Enter did not open the event"); return }
        #expect(opened.event.effect?.kind == .illegalID)
        #expect(driver.screen.contains("warning: cannot_merge_with_illegal_distinct_id"))
        await driver.press(.char("w"))
        try await driver.waitUntil { if case .warnings(let w) = $0.top { return !w.warnings.isEmpty }; return false }
        guard case .warnings(let list) = driver.state.top else { Issue.record(); return }
        #expect(list.warnings.map(\.eventUUID) == [opened.event.uuid], "exactly the event's warning")
    }

    @Test func aMergeOpensTheUndoDialogAndThePersonOpens() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        try store.externalWrite([#"{"event":"$identify","distinct_id":"carol","properties":{"$anon_distinct_id":"bob-2"}}"#])
        await driver.press(.char("L"))
        try await driver.waitUntil { if case .live(let l) = $0.top { return l.events.first?.distinctID == "carol" }; return false }
        let merge = try #require(live(driver)?.events.first?.effect?.merge)
        await driver.press(.enter)
        await driver.press(.char("u"))
        try await driver.waitUntil { if case .dialog = $0.overlay { return true }; return false }
        guard case .dialog(let dialog)? = driver.state.overlay, case .undo(let preview) = dialog.confirmation else {
            Issue.record("no undo dialog"); return
        }
        #expect(preview.action.id == merge.actionID)
        await driver.press(.char("n"))
        await driver.press(.char("p"))
        guard case .detail(let detail) = driver.state.top else { Issue.record("p did not open the person"); return }
        #expect(detail.reference == merge.target.lowercased)
    }
}
