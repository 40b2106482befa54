import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// The person screen shows when the churn filter skipped a newer value (issue 12).
@Suite struct SkippedWriteViewTests {
    @Test func thePropertyViewerSaysWhichNewerValueWasSkipped() async throws {
        let lines = [
            #"{"event":"$pageview","distinct_id":"a","timestamp":"2024-05-01T10:00:00Z","properties":{"$current_url":"/old"}}"#,
            #"{"event":"$pageview","distinct_id":"a","timestamp":"2024-05-01T10:01:00Z","properties":{"$current_url":"/new"}}"#,
        ]
        let driver = await Driver(try MemoryStore(lines: lines), width: 120, height: 40)
        await driver.press(.enter)
        guard case .detail(let detail) = driver.state.top else { Issue.record("no person opened"); return }
        let index = try #require(detail.propertyKeys.firstIndex(of: "$current_url"))
        #expect(driver.screen.contains("$set*"), "the list marks the property")
        for _ in 0..<index { await driver.press(.down) }
        await driver.press(.char("v"))
        guard case .viewer(_, let viewer, _)? = driver.state.overlay else { Issue.record("v opened no viewer"); return }
        #expect(viewer.contains { $0.contains("newer value \"/new\" skipped (churn filter)") || $0.contains("newer value /new skipped (churn filter)") },
                "\(viewer)")

        // Enter: the property's history, where the skipped write is a line of its own.
        await driver.press(.escape, .enter)
        guard case .propertyHistory(let history) = driver.state.top else { Issue.record("Enter opened no history"); return }
        #expect(history.writes.map { $0.reason?.rawValue ?? "written" } == ["written", "churn_filter"])
        #expect(driver.screen.contains("skipped: churn filter"))
    }
}
