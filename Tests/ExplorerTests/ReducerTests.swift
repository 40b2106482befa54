import IdentityCore
import IdentityStore
import Testing
@testable import Explorer

@Suite struct ReducerTests {
    @Test func qQuitsOnlyAtTheTopAndEscGoesBack() throws {
        let fixture = try Fixture()
        let driver = Driver(fixture)
        driver.press(.enter)
        guard case .detail = driver.state.top else { Issue.record("Enter did not open the person"); return }
        driver.press(.escape)
        guard case .persons = driver.state.top else { Issue.record("Esc did not go back"); return }
        #expect(!driver.state.quit)
        driver.press(.char("q"))
        #expect(driver.state.quit)
    }

    @Test func ctrlCQuitsFromAnywhere() throws {
        let driver = Driver(try Fixture())
        driver.press(.char("?"))
        driver.press(.ctrl("c"))
        #expect(driver.state.quit)
    }

    @Test func searchIsIncrementalAndEscapeClearsIt() throws {
        let driver = Driver(try Fixture())
        driver.press(.char("/"))
        driver.type("bo")
        #expect(driver.effectsSeen.contains(.search("b")))
        #expect(driver.effectsSeen.contains(.search("bo")))
        guard case .persons(let p) = driver.state.top else { Issue.record(); return }
        #expect(p.search == "bo")
        #expect(Set(p.rows.map(\.displayName)) == ["bob@example.com", "Bob 🎉"])
        driver.press(.enter)
        #expect(driver.state.input == nil)
        driver.press(.escape)
        guard case .persons(let cleared) = driver.state.top else { Issue.record(); return }
        #expect(cleared.search == nil)
        #expect(cleared.rows.count == 8)
    }

    @Test func tabsSwitchByTabShiftTabAndDigits() throws {
        let driver = Driver(try Fixture())
        driver.press(.enter)
        func tab() -> DetailTab? { if case .detail(let d) = driver.state.top { return d.tab }; return nil }
        #expect(tab() == .properties)
        driver.press(.tab)
        #expect(tab() == .distinctIDs)
        driver.press(.backTab, .backTab)
        #expect(tab() == .history)
        driver.press(.char("3"))
        #expect(tab() == .events)
    }

    @Test func mergeDialogDefaultsToNoAndEnterCancels() throws {
        let fixture = try Fixture()
        let driver = Driver(fixture)
        driver.send(.key(.char(":")))
        driver.type("merge bob-2 bob")
        driver.press(.enter)
        guard case .dialog(let dialog)? = driver.state.overlay else { Issue.record("no preview"); return }
        #expect(!dialog.yesFocused)
        driver.press(.enter)
        #expect(driver.state.overlay == nil)
        #expect(try fixture.store.stats().persons == 8)
    }

    @Test func mergeThenUndoThroughTheEngine() throws {
        let fixture = try Fixture()
        let driver = Driver(fixture)
        // Mark "Bob 🎉" (bob-2) as the source, then "bob@example.com" (bob) as the target.
        guard case .persons(let p) = driver.state.top else { Issue.record(); return }
        let source = try #require(p.rows.firstIndex { $0.displayName == "Bob 🎉" })
        let target = try #require(p.rows.firstIndex { $0.displayName == "bob@example.com" })
        driver.press(.char("g"))
        for _ in 0..<source { driver.press(.down) }
        driver.press(.char("m"))
        #expect(driver.state.mark != nil)
        driver.press(.char("g"))
        for _ in 0..<target { driver.press(.down) }
        driver.press(.char("m"))
        guard case .dialog(let dialog)? = driver.state.overlay, case .merge(let preview) = dialog.confirmation else {
            Issue.record("no merge preview"); return
        }
        #expect(preview.resultingDistinctIDs == ["bob", "bob-2"])
        driver.press(.right, .enter)
        #expect(driver.state.status?.isError == false)
        #expect(try fixture.store.stats().persons == 7)
        #expect(try fixture.store.resolvePerson("bob")?.uuid == fixture.store.resolvePerson("bob-2")?.uuid)

        // Open the survivor, History tab, undo.
        driver.send(.key(.char(":")))
        driver.type("person bob")
        driver.press(.enter, .char("4"), .char("u"))
        guard case .dialog(let undoDialog)? = driver.state.overlay, case .undo = undoDialog.confirmation else {
            Issue.record("no undo preview"); return
        }
        driver.press(.char("y"))
        #expect(try fixture.store.stats().persons == 8)
        #expect(driver.state.status?.text.hasPrefix("undid merge") == true)
    }

    @Test func refusedMergeNeedsASecondExplicitConfirmation() throws {
        let fixture = try Fixture()
        let driver = Driver(fixture)
        driver.send(.key(.char(":")))
        driver.type("merge carol alice@example.com")
        driver.press(.enter)
        guard case .dialog(let first)? = driver.state.overlay, case .merge(let preview) = first.confirmation else {
            Issue.record(); return
        }
        #expect(preview.refusal == .sourceIdentified)
        driver.press(.char("y"))
        guard case .dialog(let second)? = driver.state.overlay, case .forceMerge = second.confirmation else {
            Issue.record("no force confirmation"); return
        }
        #expect(!second.yesFocused)
        #expect(driver.screen.contains("IDENTIFIED"))
        #expect(try fixture.store.stats().persons == 8)
        driver.press(.char("y"))
        #expect(try fixture.store.stats().persons == 7)
    }

    @Test func failedWriteShowsAnErrorLineAndKeepsRunning() throws {
        let driver = Driver(try Fixture())
        driver.send(.key(.char(":")))
        driver.type("merge nobody bob")
        driver.press(.enter)
        #expect(driver.state.status?.isError == true)
        #expect(!driver.state.quit)
        driver.press(.down)
        #expect(driver.state.status == nil || driver.state.status?.isError == true)
    }

    @Test func liveRefreshKeepsTheSelectedPerson() throws {
        let fixture = try Fixture()
        let driver = Driver(fixture)
        driver.press(.down, .down)
        guard case .persons(let before) = driver.state.top else { Issue.record(); return }
        let selected = before.selectedPerson?.id
        // Another writer adds a newer person at the top of the list.
        let line = #"{"event":"$pageview","distinct_id":"newcomer","timestamp":"2024-05-09T10:00:00Z"}"#
        _ = try Ingestor(store: fixture.store).ingest([EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                                                               location: InputLocation(source: "t"))], now: Fixture.now)
        let changed = try #require(driver.runner.checkForChanges())
        driver.send(changed)
        guard case .persons(let after) = driver.state.top else { Issue.record(); return }
        #expect(after.rows.count == before.rows.count + 1)
        #expect(after.selectedPerson?.id == selected)
        #expect(driver.state.status?.text.contains("another process") == true)
        #expect(driver.runner.checkForChanges() == nil)
    }

    @Test func commandParsing() throws {
        var state = AppState(width: 80, height: 24)
        #expect(Commands.run("merge a b", &state) == [.previewMerge(target: "a", source: "b")])
        #expect(Commands.run("undo 12", &state) == [.previewUndo(actionID: 12)])
        _ = Commands.run("bogus", &state)
        #expect(state.status?.isError == true)
        _ = Commands.run("q", &state)
        #expect(state.quit)
    }
}

import Foundation
import Ingest
