import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// Enter on a warning that names several distinct IDs asks whose person to open (issue 12: a
/// case collision names both twins; a refused merge names both sides).
@Suite struct WarningChoiceTests {
    static let lines = [
        #"{"event":"e","distinct_id":"ada@example.com","timestamp":"2024-05-01T10:00:00Z","properties":{"$set":{"name":"Ada"}}}"#,
        #"{"event":"e","distinct_id":"Ada@Example.com","timestamp":"2024-05-01T10:01:00Z","properties":{"$set":{"name":"Ada twin"}}}"#,
    ]

    /// Opens the warnings screen, the only group and its only warning.
    func openTheWarning(_ driver: Driver) async {
        await driver.press(.char("W"))
        await driver.press(.enter)  // the distinct_id_case_collision group
        await driver.press(.enter)  // its warning
    }

    @Test func enterOnAWarningWithTwoIDsOffersBothPersons() async throws {
        let driver = await Driver(try MemoryStore(lines: Self.lines))
        await openTheWarning(driver)
        guard case .choice(let choice)? = driver.state.overlay else {
            Issue.record("Enter opened no choice: \(String(describing: driver.state.overlay))")
            return
        }
        #expect(choice.distinctIDs == ["Ada@Example.com", "ada@example.com"])
        #expect(driver.screen.contains("▶ Ada@Example.com"))
        #expect(driver.screen.contains("ada@example.com"))
        await driver.press(.down)
        await driver.press(.enter)
        guard case .detail(let detail) = driver.state.top else { Issue.record("Enter on a choice opened no person"); return }
        #expect(detail.detail?.person.properties["name"] == "Ada", "the second choice is the lower-case twin's person")
    }

    @Test func escapeCancelsTheChoice() async throws {
        let driver = await Driver(try MemoryStore(lines: Self.lines))
        await openTheWarning(driver)
        await driver.press(.escape)
        #expect(driver.state.overlay == nil)
        guard case .warnings = driver.state.top else { Issue.record("Esc left the warnings"); return }
    }
}
