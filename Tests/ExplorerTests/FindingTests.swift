import Foundation
import IdentityCore
import Store
import Testing
@testable import Explorer

/// Finding persons: substring search and n/N, the true ends (g/G) read without what lies between,
/// filters (`:filter`, `i`), on the in-memory store.
@Suite struct FindingTests {
    /// `count` anonymous persons "p-0" (oldest) … "p-N" (newest), every third with a plan of "pro".
    static func many(_ count: Int) throws -> MemoryStore {
        try MemoryStore(lines: (0..<count).map { n in
            let plan = n % 3 == 0 ? "pro" : "free"
            let time = Date(timeIntervalSince1970: 1_714_000_000 + Double(n) * 60)
            return #"{"event":"$pageview","distinct_id":"p-\#(n)","timestamp":"\#(Timestamp.format(time))","properties":{"$set":{"plan":"\#(plan)"}}}"#
        })
    }

    static func persons(_ driver: Driver) -> PersonsState? {
        if case .persons(let p) = driver.state.top { return p }
        return nil
    }

    @Test func gReadsTheTrueEndAndPagingUpFromThereJoinsThePages() async throws {
        let store = try Self.many(350)
        let driver = await Driver(store)
        var p = try #require(Self.persons(driver))
        #expect(p.rows.count == Reducer.pageSize && p.rows.first?.displayName == "p-349" && p.next != nil)

        await driver.press(.char("G"))
        p = try #require(Self.persons(driver))
        // One page read from the end, in the other direction: nothing in between was loaded.
        #expect(store.calls.last == "persons first-seen ascending")
        #expect(p.rows.count == Reducer.pageSize)
        #expect(p.selectedPerson?.displayName == "p-0")
        #expect(p.rows.first?.displayName == "p-99")
        #expect(p.next == nil && p.previous != nil && p.fromEnd)

        // Up towards the window's top: the page before it is read and put above, the selection stays.
        for _ in 0..<85 { await driver.press(.up) }
        p = try #require(Self.persons(driver))
        let selected = p.selectedPerson?.displayName
        #expect(selected == "p-85")
        #expect(p.rows.count == 2 * Reducer.pageSize)
        #expect(p.rows.first?.displayName == "p-199")
        #expect(p.rows.map(\.displayName) == (0..<200).reversed().map { "p-\($0)" })
        await driver.press(.up)
        #expect(Self.persons(driver)?.selectedPerson?.displayName == "p-86")

        // A refresh keeps the window at the end.
        await driver.send(.storeChanged(external: false))
        p = try #require(Self.persons(driver))
        #expect(p.fromEnd && p.rows.last?.displayName == "p-0" && p.selectedPerson?.displayName == "p-86")

        await driver.press(.char("g"))
        p = try #require(Self.persons(driver))
        #expect(p.selectedPerson?.displayName == "p-349" && p.previous == nil && !p.fromEnd && p.cursor.selected == 0)
    }

    @Test func gAndGMoveWithinTheRowsWhenTheListIsAllLoaded() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        let calls = store.calls.count
        await driver.press(.char("G"))
        let p = try #require(Self.persons(driver))
        #expect(p.cursor.selected == p.rows.count - 1)
        #expect(store.calls.count == calls, "nothing read: the end was loaded")
        await driver.press(.char("g"))
        #expect(Self.persons(driver)?.cursor.selected == 0)
    }

    @Test func substringSearchAndNWrapThroughTheMatches() async throws {
        let store = try MemoryStore()
        let driver = await Driver(store)
        await driver.press(.char("/"))
        await driver.type("B@EXA")
        var p = try #require(Self.persons(driver))
        #expect(Set(p.rows.map(\.displayName)) == ["bob@example.com", "Bob 🎉"])
        await driver.press(.enter)
        await driver.press(.char("n"))
        #expect(Self.persons(driver)?.cursor.selected == 1)
        await driver.press(.char("n"))
        #expect(Self.persons(driver)?.cursor.selected == 0, "after the last match, the first")
        await driver.press(.char("N"))
        p = try #require(Self.persons(driver))
        #expect(p.cursor.selected == 1, "before the first match, the last")
        #expect(driver.screen.contains("search \"B@EXA\": 2 matches"))
    }

    @Test func filterCommandNarrowsTheListAndTheTitleSaysSo() async throws {
        let store = try Self.many(30)
        let driver = await Driver(store, width: 120)
        await driver.command("filter plan=pro")
        var p = try #require(Self.persons(driver))
        #expect(p.filter == PersonFilter(conditions: [PropertyCondition(key: "plan", op: .equals, value: "pro")]))
        #expect(p.rows.count == 10)
        #expect(p.rows.allSatisfy { Int($0.displayName.dropFirst(2))! % 3 == 0 })
        #expect(driver.screen.contains("filter plan=pro"))
        #expect(store.calls.last == "persons first-seen plan=pro")

        await driver.command("filter plan!=pro")
        #expect(Self.persons(driver)?.rows.count == 20)

        // `i` adds identified-only to the filter; nobody here is identified.
        await driver.press(.char("i"))
        p = try #require(Self.persons(driver))
        #expect(p.filter.identified == true && p.rows.isEmpty)
        #expect(driver.screen.contains("filter plan!=pro, identified"))
        #expect(driver.screen.contains("No person matches the filter"))
        await driver.press(.char("i"))
        #expect(Self.persons(driver)?.rows.count == 20)
        #expect(driver.screen.contains("filter plan!=pro, anonymous"))
        await driver.press(.char("i"))
        #expect(Self.persons(driver)?.filter.identified == nil)

        await driver.command("filter")
        p = try #require(Self.persons(driver))
        #expect(p.filter.isEmpty && p.rows.count == 30)
        #expect(!driver.screen.contains("filter plan"))
    }

    @Test func aFilterThatIsNotOneIsAnError() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.command("filter plan")
        #expect(driver.state.status?.isError == true)
        #expect(driver.state.status?.text.contains("KEY=VALUE") == true)
        #expect(Self.persons(driver)?.filter.isEmpty == true)
    }

    @Test func identifiedCyclesOnTheRealStore() async throws {
        let fixture = try Fixture()
        let driver = await Driver(fixture)
        await driver.press(.char("i"))
        let identified = try #require(Self.persons(driver)).rows
        #expect(!identified.isEmpty && identified.allSatisfy(\.isIdentified))
        await driver.press(.char("i"))
        let anonymous = try #require(Self.persons(driver)).rows
        #expect(!anonymous.isEmpty && anonymous.allSatisfy { !$0.isIdentified })
        await driver.command("filter email~EXAMPLE.COM")
        let both = try #require(Self.persons(driver))
        #expect(both.filter.identified == false, ":filter keeps what i chose")
        #expect(both.rows.allSatisfy { !$0.isIdentified })
    }
}

/// The mouse on more than rows: the key bar, the person's tabs, a dialog's buttons.
@Suite struct MouseTests {
    @Test func aClickOnTheKeyBarPressesItsKey() async throws {
        let driver = await Driver(try MemoryStore())
        let hints = Chrome.keys(driver.state)
        let item = try #require(KeyBar.items(hints).first { $0.text == "w warnings" })
        await driver.press(.click(row: driver.state.height - 1, column: KeyBar.start + item.x + 3))
        guard case .warningGroups = driver.state.top else { Issue.record("the click on w warnings opened \(driver.state.top)"); return }
        // Between two hints, nothing.
        await driver.press(.escape)
        await driver.press(.click(row: driver.state.height - 1, column: KeyBar.start + item.x - 1))
        guard case .persons = driver.state.top else { Issue.record(); return }
        #expect(driver.state.overlay == nil)
    }

    @Test func keyBarHintsNameTheirKeys() {
        #expect(KeyBar.key(named: "n/Esc no") == .char("n"))
        #expect(KeyBar.key(named: "Enter open") == .enter)
        #expect(KeyBar.key(named: "←/→ choose") == .left)
        #expect(KeyBar.key(named: "↑↓ scroll") == nil)
        #expect(KeyBar.items("? help  q quit  / search").map(\.x) == [0, 8, 16])
    }

    @Test func aClickOnATabOpensIt() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.enter)
        let history = try #require(DetailView.tabColumns.first { $0.0 == .history }?.1)
        await driver.press(.click(row: DetailView.tabRow, column: history.lowerBound + 2))
        guard case .detail(let d) = driver.state.top else { Issue.record(); return }
        #expect(d.tab == .history)
        #expect(driver.screen.contains("[ 4 History ]"))
    }

    @Test func aClickOnADialogsButtonsAnswersIt() async throws {
        let store = try MemoryStore()
        let persons = store.personCount
        let driver = await Driver(store)
        func preview() async -> Dialog? {
            await driver.command("merge bob-2 bob")
            if case .dialog(let dialog)? = driver.state.overlay { return dialog }
            return nil
        }
        // Find the buttons on the drawn screen: "[ No ]" then the Yes label.
        _ = try #require(await preview())
        let rows = driver.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = try #require(rows.firstIndex { $0.contains("[ No ]") })
        let button = try #require(rows[row].range(of: "[ No ]"))
        let no = DisplayWidth.of(String(rows[row][..<button.lowerBound]))
        await driver.press(.click(row: row, column: no + 2))
        #expect(driver.state.overlay == nil && driver.state.status?.text == "cancelled")
        #expect(store.personCount == persons)

        let dialog = try #require(await preview())
        #expect(OverlayView.dialogButton(atRow: row, column: no - 1, dialog, driver.state) == nil)
        await driver.press(.click(row: row, column: no + 9))
        #expect(store.personCount == persons - 1, "Yes merged")
    }
}
