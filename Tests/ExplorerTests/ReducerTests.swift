import Foundation
import IdentityCore
import TestSupport
import Testing
@testable import SQLiteStore
@testable import Explorer

/// Keys, screens, dialogs and live refresh, on the in-memory store: no database.
@Suite struct ReducerTests {
    @Test func qQuitsOnlyAtTheTopAndEscGoesBack() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.enter)
        guard case .detail = driver.state.top else { Issue.record("Enter did not open the person"); return }
        await driver.press(.escape)
        guard case .persons = driver.state.top else { Issue.record("Esc did not go back"); return }
        #expect(!driver.state.quit)
        await driver.press(.char("q"))
        #expect(driver.state.quit)
    }

    @Test func ctrlCQuitsFromAnywhere() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.char("?"))
        await driver.press(.ctrl("c"))
        #expect(driver.state.quit)
    }

    @Test func searchIsIncrementalAndEscapeClearsIt() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.char("/"))
        await driver.type("bo")
        #expect(store.calls.contains("search b"))
        #expect(store.calls.contains("search bo"))
        guard case .persons(let p) = driver.state.top else { Issue.record(); return }
        #expect(p.search == "bo")
        #expect(Set(p.rows.map(\.displayName)) == ["bob@example.com", "Bob 🎉"])
        await driver.press(.enter)
        #expect(driver.state.input == nil)
        await driver.press(.escape)
        guard case .persons(let cleared) = driver.state.top else { Issue.record(); return }
        #expect(cleared.search == nil)
        #expect(cleared.rows.count == store.personCount)
    }

    @Test func tabsSwitchByTabShiftTabAndDigits() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.enter)
        func tab() -> DetailTab? { if case .detail(let d) = driver.state.top { return d.tab }; return nil }
        #expect(tab() == .properties)
        await driver.press(.tab)
        #expect(tab() == .distinctIDs)
        await driver.press(.backTab, .backTab)
        #expect(tab() == .history)
        await driver.press(.char("3"))
        #expect(tab() == .events)
    }

    @Test func mergeDialogDefaultsToNoAndEnterCancels() async throws {
        let store = try MemoryStore()
        let persons = store.personCount
        let driver = await Driver(store)
        await driver.command("merge bob-2 bob")
        guard case .dialog(let dialog)? = driver.state.overlay else { Issue.record("no preview"); return }
        #expect(!dialog.yesFocused)
        await driver.press(.enter)
        #expect(driver.state.overlay == nil)
        #expect(store.personCount == persons)
        #expect(!store.calls.contains { $0.hasPrefix("merge ") })
    }

    @Test func mergeThenUndo() async throws {
        let store = try MemoryStore()
        let persons = store.personCount
        let driver = await Driver(store)
        // Mark "Bob 🎉" (bob-2) as the source, then "bob@example.com" (bob) as the target.
        guard case .persons(let p) = driver.state.top else { Issue.record(); return }
        let source = try #require(p.rows.firstIndex { $0.displayName == "Bob 🎉" })
        let target = try #require(p.rows.firstIndex { $0.displayName == "bob@example.com" })
        await driver.press(.char("g"))
        for _ in 0..<source { await driver.press(.down) }
        await driver.press(.char("m"))
        #expect(driver.state.mark != nil)
        await driver.press(.char("g"))
        for _ in 0..<target { await driver.press(.down) }
        await driver.press(.char("m"))
        guard case .dialog(let dialog)? = driver.state.overlay, case .merge(let preview) = dialog.confirmation else {
            Issue.record("no merge preview"); return
        }
        #expect(preview.resultingDistinctIDs == ["bob", "bob-2"])
        await driver.press(.right, .enter)
        #expect(driver.state.status?.isError == false)
        #expect(store.personCount == persons - 1)
        #expect(driver.state.mark == nil)

        // Open the survivor, History tab, undo.
        await driver.press(.char(":"))
        await driver.type("person bob")
        await driver.press(.enter, .char("4"), .char("u"))
        guard case .dialog(let undoDialog)? = driver.state.overlay, case .undo = undoDialog.confirmation else {
            Issue.record("no undo preview"); return
        }
        await driver.press(.char("y"))
        #expect(store.personCount == persons)
        #expect(driver.state.status?.text.hasPrefix("undid merge") == true)
    }

    @Test func refusedMergeNeedsASecondExplicitConfirmation() async throws {
        let store = try MemoryStore()
        let persons = store.personCount
        let driver = await Driver(store)
        await driver.command("merge carol alice@example.com")
        guard case .dialog(let first)? = driver.state.overlay, case .merge(let preview) = first.confirmation else {
            Issue.record(); return
        }
        #expect(preview.refusal == .sourceIdentified)
        await driver.press(.char("y"))
        guard case .dialog(let second)? = driver.state.overlay, case .forceMerge = second.confirmation else {
            Issue.record("no force confirmation"); return
        }
        #expect(!second.yesFocused)
        #expect(driver.screen.contains("IDENTIFIED"))
        #expect(store.personCount == persons)
        await driver.press(.char("y"))
        #expect(store.personCount == persons - 1)
    }

    @Test func failedWriteShowsAnErrorLineAndKeepsRunning() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.command("merge nobody bob")
        #expect(driver.state.status?.isError == true)
        #expect(!driver.state.quit)
        await driver.press(.down)
        #expect(driver.state.status == nil || driver.state.status?.isError == true)
    }

    /// On threads of its own, so the test's own steps are not queued behind other suites on CI's
    /// busy cooperative pool (the change itself still arrives through a task there).
    @Test(.ownThreads) func liveRefreshKeepsTheSelectedPerson() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.down, .down)
        guard case .persons(let before) = driver.state.top else { Issue.record(); return }
        let selected = before.selectedPerson?.id
        // Another writer adds a newer person at the top of the list; the change stream says so.
        try store.externalWrite([#"{"event":"$pageview","distinct_id":"newcomer","timestamp":"2024-05-09T10:00:00Z"}"#])
        try await driver.waitUntil { $0.status?.text.contains("another process") == true }
        guard case .persons(let after) = driver.state.top else { Issue.record(); return }
        #expect(after.rows.count == before.rows.count + 1)
        #expect(after.selectedPerson?.id == selected)
        #expect(driver.screen.contains("newcomer"))
    }

    @Test func commandParsing() throws {
        var state = AppState(width: 80, height: 24)
        #expect(Commands.run("merge a b", &state) == [.previewMerge(target: "a", source: "b")])
        #expect(Commands.run("undo 12", &state) == [.previewUndo(actionID: 12)])
        _ = Commands.run("bogus", &state)
        #expect(state.status?.isError == true)
        _ = Commands.run("q", &state)
        #expect(state.quit)
        // Quotes keep a value with spaces in one word, as a shell would.
        #expect(Commands.words(#"filter name="Grace Wei" plan~pro"#) == ["filter", "name=Grace Wei", "plan~pro"])
        #expect(Commands.words("search 'a  b'  x") == ["search", "a  b", "x"])
        #expect(Commands.words(#"filter name="""#) == ["filter", "name="])
    }

    @Test func aFilterValueWithSpacesIsOneCondition() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.command(#"filter name="Grace Wei""#)
        #expect(driver.state.status?.isError != true, "\(driver.state.status?.text ?? "")")
        guard case .persons(let p) = driver.state.top else { Issue.record(); return }
        #expect(p.filter.conditions.map(\.description) == ["name=Grace Wei"])
    }

    /// What orders search answers (the explorer's and `persons --search`): the list's own order.
    @Test func personOrderSortsFoundPersonsAsTheListPagesThem() {
        func person(_ id: Int64, created: Double, last: Double?, events: Int) -> PersonSummary {
            PersonSummary(id: id, uuid: UUID(), displayName: "p\(id)", isIdentified: false, distinctIDCount: 1, eventCount: events,
                          createdAt: Date(timeIntervalSince1970: created), lastSeen: last.map { Date(timeIntervalSince1970: $0) })
        }
        let found = [person(1, created: 10, last: 50, events: 1), person(2, created: 30, last: nil, events: 9),
                     person(3, created: 20, last: 70, events: 9)]
        #expect(PersonOrder.firstSeen.sorted(found).map(\.id) == [2, 3, 1])
        #expect(PersonOrder.lastSeen.sorted(found).map(\.id) == [3, 1, 2], "never seen comes last")
        #expect(PersonOrder.size.sorted(found).map(\.id) == [3, 2, 1], "ties by row id, newest first")
    }

    /// Search answers come in the order the title names.
    @Test func searchResultsFollowTheSortOrder() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.char(":"))
        await driver.type("sort size")
        await driver.press(.enter, .char("/"))
        await driver.type("b")
        guard case .persons(let p) = driver.state.top, p.rows.count >= 2 else { Issue.record("too few matches"); return }
        #expect(p.rows.map(\.eventCount) == p.rows.map(\.eventCount).sorted(by: >), "\(p.rows.map(\.eventCount))")
    }

    @Test func anAnswerForAScreenNoLongerShownIsDropped() {
        var state = AppState(width: 80, height: 24)
        let personsID = state.topID
        let rows = [PersonSummary(id: 1, uuid: UUID(), displayName: "late", isIdentified: false, distinctIDCount: 1,
                                  eventCount: 1, createdAt: Fixture.now)]
        let page = PersonsFeature.Data.page(PersonPage(persons: rows, next: nil),
                                            .page(order: .firstSeen, filter: .none, after: nil, limit: 100, placement: .top))
        // Shown: applied.
        let (shown, _) = Reducer.update(state, .screenData(personsID, page))
        guard case .persons(let p) = shown.top else { Issue.record(); return }
        #expect(p.rows == rows)
        // Covered by another screen: dropped, whatever it holds.
        _ = Reducer.open(.detail(DetailState(reference: "someone")), &state)
        let (after, effects) = Reducer.update(state, .screenData(personsID, page))
        #expect(after == state)
        #expect(effects.isEmpty)
    }
}

/// Keys the walkthrough found doing something else than the help says.
@Suite struct KeyPromiseTests {
    @Test func spacePicksADistinctIDInsteadOfPagingDown() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.enter, .char("2"))
        guard case .detail(let before) = driver.state.top, let first = before.detail?.distinctIDs.first?.distinctID else {
            Issue.record("no person with distinct IDs"); return
        }
        await driver.press(.char(" "))
        guard case .detail(let after) = driver.state.top else { Issue.record(); return }
        #expect(after.pickedIDs == [first])
        #expect(after.cursor.selected <= before.cursor.selected + 1, "Space paged down instead of picking and moving one row")
        await driver.press(.char("k"), .char(" "))
        guard case .detail(let again) = driver.state.top else { Issue.record(); return }
        #expect(again.pickedIDs.isEmpty, "Space on a picked ID unpicks it")
    }

    @Test func theHelpScrollsAt80x24AndAnyOtherKeyClosesIt() async throws {
        let driver = await Driver(try MemoryStore(), width: 80, height: 24)
        await driver.press(.char("?"))
        #expect(driver.state.overlay == .help(offset: 0))
        await driver.press(.down, .char("j"))
        #expect(driver.state.overlay == .help(offset: 2))
        await driver.press(.char("G"))
        guard case .help(let bottom) = driver.state.overlay else { Issue.record("G closed the help"); return }
        #expect(bottom > 2)
        #expect(driver.screen.contains(":filter KEY=VALUE"), "the last help line can be reached")
        await driver.press(.char("x"))
        #expect(driver.state.overlay == nil)
    }

    @Test func anErrorDoesNotFollowToAnotherScreen() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.command("merge nobody bob")
        #expect(driver.state.status?.isError == true)
        await driver.press(.down)
        #expect(driver.state.status?.isError == true, "it stays on its own screen until read")
        await driver.press(.enter)
        guard case .detail = driver.state.top else { Issue.record("Enter did not open the person"); return }
        #expect(driver.state.status == nil)
    }

    @Test func sortByCommandKeepsTheFilter() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.char("i"))
        guard case .persons(let filtered) = driver.state.top, !filtered.filter.isEmpty else { Issue.record("i set no filter"); return }
        await driver.command("sort size")
        guard case .persons(let sorted) = driver.state.top else { Issue.record(); return }
        #expect(sorted.order == .size)
        #expect(sorted.filter == filtered.filter)
    }

    @Test func anUnknownWarningTypeIsNamed() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.command("warnings bogus")
        #expect(driver.state.status?.isError == true)
        #expect(driver.state.status?.text.contains("no warning type \"bogus\"") == true, "\(driver.state.status?.text ?? "")")
        guard case .persons = driver.state.top else { Issue.record("a list opened anyway"); return }
    }

    /// The list of every type says each row's type.
    @Test func theAllTypesWarningListHasATypeColumn() async throws {
        let driver = await Driver(try Fixture(), width: 120, height: 40)
        await driver.press(.char("W"), .char("a"))
        guard case .warnings(let list) = driver.state.top, list.type == nil, let first = list.warnings.first else {
            Issue.record("no list of all warnings: \(driver.screen)"); return
        }
        let header = driver.screen.split(separator: "\n").first { $0.contains("Distinct IDs") } ?? ""
        #expect(header.contains("Type"), "\(driver.screen)")
        #expect(driver.screen.contains(String(first.type.rawValue.prefix(20))), "\(driver.screen)")
    }
}
