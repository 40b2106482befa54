import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// Rendered screens as text at 80x24 and 120x40, from a real store filled by the real engine.
@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    func each(_ name: String, _ steps: (Driver) async -> Void) async throws {
        let fixture = try Fixture()
        for (width, height) in Self.sizes {
            let driver = await Driver(fixture, width: width, height: height)
            await steps(driver)
            assertSnapshot(driver.screen, named: "\(name)-\(width)x\(height)")
        }
    }

    @Test func persons() async throws { try await each("persons") { _ in } }
    @Test func personsSortedBySize() async throws { try await each("persons-size") { await $0.press(.char("o"), .char("o")) } }
    @Test func personsSearch() async throws { try await each("persons-search") { await $0.press(.char("/")); await $0.type("bo") } }
    @Test func personsSubstringSearch() async throws {
        try await each("persons-substring") { await $0.press(.char("/")); await $0.type("ob@EX"); await $0.press(.enter, .char("n")) }
    }
    @Test func personsFiltered() async throws {
        try await each("persons-filter") { driver in
            await driver.command("filter email~example.com name!=Bob")
            await driver.press(.char("i"))
        }
    }
    @Test func personsAtTheEnd() async throws { try await each("persons-end") { await $0.press(.char("G")) } }

    @Test func detailTabs() async throws {
        for tab in ["1", "2", "3", "4"] {
            try await each("detail-\(tab)") { driver in
                await driver.command("person alice@example.com")
                await driver.press(.char(Character(tab)))
            }
        }
    }

    @Test func propertyValue() async throws {
        try await each("property-value") { driver in
            await driver.command("person alice@example.com")
            await driver.press(.char("v"))
        }
    }

    @Test func identityGraph() async throws {
        try await each("identity-graph") { driver in
            await driver.command("person alice@example.com")
            await driver.press(.char("2"), .char("t"))
        }
    }

    @Test func suspects() async throws { try await each("suspects") { await $0.press(.char("S")) } }

    @Test func groupMergePreview() async throws {
        try await each("group-merge-preview") { driver in await driver.press(.char("D"), .char("M")) }
    }

    @Test func propertyHistory() async throws {
        try await each("property-history") { driver in
            await driver.command("person alice@example.com")
            await driver.press(.down, .down, .down, .down, .enter)  // plan, set on the anonymous ID before $identify
        }
    }

    @Test func warnings() async throws {
        try await each("warnings") { await $0.press(.char("w")) }
        try await each("warnings-list") { await $0.press(.char("w"), .enter) }
    }

    @Test func duplicates() async throws {
        try await each("duplicates") { await $0.press(.char("d")) }
        try await each("duplicates-group") { await $0.press(.char("d"), .enter) }
    }

    @Test func live() async throws {
        try await each("live") { await $0.press(.char("L")) }
        // The third newest: the `$identify` with the illegal ID "null", opened.
        try await each("live-event") { await $0.press(.char("L"), .down, .down, .enter) }
    }

    @Test func help() async throws { try await each("help") { await $0.press(.char("?")) } }

    @Test func mergePreview() async throws {
        try await each("merge-preview") { await $0.command("merge bob-2 bob") }
        try await each("merge-refused") { await $0.command("merge carol alice@example.com") }
        try await each("merge-force-confirm") { driver in
            await driver.command("merge carol alice@example.com")
            await driver.press(.char("y"))
        }
    }

    @Test func errorLine() async throws { try await each("error-line") { await $0.command("merge nobody bob") } }

    @Test func undoDialog() async throws {
        try await each("undo-dialog") { driver in
            await driver.command("merge bob-2 bob")
            await driver.press(.char("y"))
            await driver.command("person bob")
            await driver.press(.char("4"), .char("u"))
        }
    }

    @Test func emptyStore() async throws {
        let fixture = try Fixture(lines: [])
        for (width, height) in Self.sizes {
            assertSnapshot(await Driver(fixture, width: width, height: height).screen, named: "empty-\(width)x\(height)")
        }
    }

    /// `serve --explore` on an empty store: the welcome screen says where the server listens (with
    /// --port 0 nothing else on screen does), and so does the empty Live screen.
    @Test func emptyStoreUnderTheCaptureServer() async throws {
        let driver = await Driver(try Fixture(lines: []), captureURL: "http://127.0.0.1:43210", width: 100, height: 30)
        #expect(driver.screen.contains("The capture server is listening on http://127.0.0.1:43210"), "\(driver.screen)")
        #expect(driver.screen.contains("curl -X POST http://127.0.0.1:43210/batch/"))
        #expect(!driver.screen.contains("identikit serve"))
        await driver.press(.char("L"))
        #expect(driver.screen.contains("No events yet: send some to http://127.0.0.1:43210"), "\(driver.screen)")
    }

    /// The welcome screen's commands name the store it shows: without --db they would fill another.
    @Test func emptyStoreHintsNameTheStore() {
        let lines = EmptyView.lines(captureURL: nil, storeLocation: "/tmp/my store.sqlite")
        #expect(lines.contains("    identikit ingest events.jsonl --db '/tmp/my store.sqlite'"), "\(lines)")
        #expect(lines.contains("    identikit serve --db '/tmp/my store.sqlite'"))
        #expect(lines.contains("    identikit demo"), "the demo has a store of its own")
        #expect(EmptyView.lines(captureURL: nil, storeLocation: nil) == EmptyView.lines)
    }

    @Test func tooSmall() async throws {
        let driver = await Driver(try Fixture(), width: 80, height: 24)
        driver.explorer.resize(width: 50, height: 12)
        assertSnapshot(driver.screen, named: "too-small-50x12")
        driver.explorer.resize(width: 80, height: 24)
        #expect(driver.screen.contains("Persons"))
    }
}
