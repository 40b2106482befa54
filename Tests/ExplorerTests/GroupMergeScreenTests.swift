import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// `M` on the Duplicates screen: one preview of the whole group, one confirmation (two when
/// identified persons are involved), one action; `u` on it in History undoes all of it.
@Suite struct GroupMergeScreenTests {
    static let anonymous = [
        #"{"event":"e","distinct_id":"a-1","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"email":"x@example.com","plan":"free"}}}"#,
        #"{"event":"e","distinct_id":"a-2","timestamp":"2024-05-01T10:01:00Z","properties":{"$set":{"email":"x@example.com","plan":"pro"}}}"#,
        #"{"event":"e","distinct_id":"a-3","timestamp":"2024-05-01T10:02:00Z","properties":{"$set":{"email":"x@example.com"}}}"#,
    ]
    static let identified = anonymous + [
        #"{"event":"$identify","distinct_id":"x","timestamp":"2024-05-01T10:03:00Z","properties":{"$anon_distinct_id":"x-anon","$set":{"email":"x@example.com"}}}"#,
        #"{"event":"$identify","distinct_id":"x-work","timestamp":"2024-05-01T10:04:00Z","properties":{"$anon_distinct_id":"x-work-anon","$set":{"email":"x@example.com"}}}"#,
    ]

    func openTheGroup(_ driver: Driver) async {
        await driver.press(.char("D"))
        await driver.press(.char("M"))
    }

    @Test func oneConfirmationMergesTheGroupAsOneAction() async throws {
        let store = try MemoryStore(lines: Self.anonymous)
        let driver = await Driver(store)
        await openTheGroup(driver)
        guard case .dialog(let dialog)? = driver.state.overlay, case .groupMerge(let preview) = dialog.confirmation else {
            Issue.record("M showed no group preview: \(String(describing: driver.state.overlay))")
            return
        }
        #expect(preview.members.count == 3)
        #expect(!preview.needsForce)
        #expect(preview.target.distinctIDs == ["a-1"], "the oldest survives")
        #expect(driver.screen.contains("Merge 3 persons into one"))
        #expect(driver.screen.contains("[ No ]"), "No has the focus")
        await driver.press(.char("y"))
        #expect(driver.state.overlay == nil)
        #expect(store.calls.contains("group merge 3"))
        #expect(store.personCount == 1)
        #expect(driver.state.status?.text.contains("merged 3 persons into one (group merge") == true)

        // One undo: the group's record in the survivor's History.
        await driver.press(.char(":"))
        await driver.type("person a-3")
        await driver.press(.enter, .char("4"))
        guard case .detail(let detail) = driver.state.top, let history = detail.detail?.history else { Issue.record("no person"); return }
        let group = try #require(history.firstIndex { $0.kind == .groupMerge })
        #expect(driver.screen.contains("group \(history[group].id!)"), "its merges say they belong to the group")
        await driver.press(.char("G"))
        #expect(driver.state.top.detailCursor == group)
        await driver.press(.char("u"))
        guard case .dialog(let undo)? = driver.state.overlay, case .undo = undo.confirmation else { Issue.record("u offered no undo"); return }
        #expect(driver.screen.contains("Undo group merge"))
        await driver.press(.char("y"))
        #expect(store.personCount == 3)
    }

    @Test func identifiedPersonsAskTwice() async throws {
        let store = try MemoryStore(lines: Self.identified)
        let driver = await Driver(store, width: 100, height: 40)
        await openTheGroup(driver)
        #expect(driver.screen.contains("2 of them are identified"))
        await driver.press(.char("y"))
        guard case .dialog(let dialog)? = driver.state.overlay, case .forceGroupMerge = dialog.confirmation else {
            Issue.record("Yes on identified persons did not ask again")
            return
        }
        #expect(store.personCount == 5, "nothing merged before the second Yes")
        #expect(driver.screen.contains("Force group merge: are you sure?"))
        await driver.press(.char("y"))
        #expect(store.calls.contains("group merge 5 forced"))
        #expect(store.personCount == 1)
    }

    @Test func escapeMergesNothing() async throws {
        let store = try MemoryStore(lines: Self.anonymous)
        let driver = await Driver(store)
        await openTheGroup(driver)
        await driver.press(.escape)
        #expect(driver.state.overlay == nil)
        #expect(store.personCount == 3)
        #expect(!store.calls.contains { $0.hasPrefix("group merge") })
    }
}

extension Screen {
    /// The selected row of the person screen's current tab (tests).
    var detailCursor: Int? {
        if case .detail(let d) = self { return d.cursor.selected }
        return nil
    }
}
