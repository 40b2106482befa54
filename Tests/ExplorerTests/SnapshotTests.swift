import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// Rendered screens as text at 80x24 and 120x40, from a real store filled by the real engine.
@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40)]

    func each(_ name: String, _ steps: (Driver) -> Void) throws {
        let fixture = try Fixture()
        for (width, height) in Self.sizes {
            let driver = Driver(fixture, width: width, height: height)
            steps(driver)
            assertSnapshot(driver.screen, named: "\(name)-\(width)x\(height)")
        }
    }

    func command(_ driver: Driver, _ text: String) {
        driver.press(.char(":"))
        driver.type(text)
        driver.press(.enter)
    }

    @Test func persons() throws { try each("persons") { _ in } }
    @Test func personsSortedBySize() throws { try each("persons-size") { $0.press(.char("o"), .char("o")) } }
    @Test func personsSearch() throws { try each("persons-search") { $0.press(.char("/")); $0.type("bo") } }

    @Test func detailTabs() throws {
        for tab in ["1", "2", "3", "4"] {
            try each("detail-\(tab)") { driver in
                command(driver, "person alice@example.com")
                driver.press(.char(Character(tab)))
            }
        }
    }

    @Test func propertyValue() throws {
        try each("property-value") { driver in
            command(driver, "person alice@example.com")
            driver.press(.enter)
        }
    }

    @Test func warnings() throws {
        try each("warnings") { $0.press(.char("w")) }
        try each("warnings-list") { $0.press(.char("w"), .enter) }
    }

    @Test func duplicates() throws {
        try each("duplicates") { $0.press(.char("d")) }
        try each("duplicates-group") { $0.press(.char("d"), .enter) }
    }

    @Test func help() throws { try each("help") { $0.press(.char("?")) } }

    @Test func mergePreview() throws {
        try each("merge-preview") { command($0, "merge bob-2 bob") }
        try each("merge-refused") { command($0, "merge carol alice@example.com") }
        try each("merge-force-confirm") { driver in
            command(driver, "merge carol alice@example.com")
            driver.press(.char("y"))
        }
    }

    @Test func errorLine() throws { try each("error-line") { command($0, "merge nobody bob") } }

    @Test func undoDialog() throws {
        try each("undo-dialog") { driver in
            command(driver, "merge bob-2 bob")
            driver.press(.char("y"))
            command(driver, "person bob")
            driver.press(.char("4"), .char("u"))
        }
    }

    @Test func emptyStore() throws {
        let fixture = try Fixture(lines: [])
        for (width, height) in Self.sizes {
            assertSnapshot(Driver(fixture, width: width, height: height).screen, named: "empty-\(width)x\(height)")
        }
    }

    @Test func tooSmall() throws {
        let driver = Driver(try Fixture(), width: 80, height: 24)
        driver.send(.resize(width: 50, height: 12))
        assertSnapshot(driver.screen, named: "too-small-50x12")
        driver.send(.resize(width: 80, height: 24))
        #expect(driver.screen.contains("Persons"))
    }
}
