import Foundation
import IdentityCore
import Testing
@testable import SQLiteStore
@testable import Explorer

/// The PostHog screen: the stored comparison's disagreements, both sides, merge, split, accept.
@Suite struct PostHogScreenTests {
    /// Over the fixture's persons: PostHog joined erin and frank (one email); identikit joined carol and anon-c.
    static let comparison = StoredComparison(
        comparedAt: Fixture.now, sources: ["persons.jsonl"], agree: 4, onlyInPostHog: 1, onlyInIdentikit: 2, differences: [
            StoredDifference(distinctIDs: ["anon-e", "anon-f", "erin", "frank"], posthog: [["anon-e", "anon-f", "erin", "frank"]],
                             identikit: [["anon-e", "erin"], ["anon-f", "frank"]]),
            StoredDifference(distinctIDs: ["anon-c", "carol"], posthog: [["anon-c"], ["carol"]], identikit: [["anon-c", "carol"]]),
        ])

    func opened() async throws -> (Driver, MemoryStore) {
        let store = try MemoryStore()
        store.storeComparison(Self.comparison)
        let driver = await Driver(store)
        await driver.press(.char("H"))
        return (driver, store)
    }

    @Test func hOpensTheDisagreementsBiggestFirst() async throws {
        let (driver, store) = try await opened()
        guard case .posthog(let s) = driver.state.top else { Issue.record("H did not open the PostHog screen"); return }
        #expect(s.differences.map(\.distinctIDs.count) == [4, 2])
        #expect(store.calls.contains("comparison"))
        #expect(driver.screen.contains("PostHog · compared"))
        #expect(driver.screen.contains("anon-e, anon-f, erin, frank"))
    }

    @Test func withoutACompareItSaysHowToMakeOne() async throws {
        let driver = await Driver(try MemoryStore())
        await driver.press(.char("h"))
        guard case .posthog = driver.state.top else { Issue.record("h on persons did not open the PostHog screen"); return }
        #expect(driver.screen.contains("identikit compare persons-export.jsonl"))
    }

    @Test func aMarksADisagreementAcceptedAndAgainOpen() async throws {
        let (driver, store) = try await opened()
        await driver.press(.char("j"), .char("a"))
        #expect(store.storedComparison?.differences.map(\.status) == [.open, .accepted])
        guard case .posthog(let s) = driver.state.top else { Issue.record(); return }
        #expect(s.differences[1].status == .accepted)
        #expect(driver.screen.contains("accepted"))
        await driver.press(.enter, .char("a"))
        #expect(store.storedComparison?.differences.map(\.status) == [.open, .open])
        guard case .posthogDifference(let d) = driver.state.top else { Issue.record(); return }
        #expect(d.difference.status == .open)
    }

    @Test func enterShowsBothSidesAndSplitsWhatPostHogKeepsApart() async throws {
        let (driver, store) = try await opened()
        await driver.press(.enter)
        guard case .posthogDifference(let d) = driver.state.top else { Issue.record("Enter did not open the disagreement"); return }
        #expect(d.rows.map(\.distinctID) == ["anon-e", "erin", "anon-f", "frank"])
        #expect(d.rows.map(\.identikitPerson) == [1, 1, 2, 2])
        #expect(d.rows.map(\.posthogPerson) == [1, 1, 1, 1])
        #expect(driver.screen.contains("PostHog:   P1 [anon-e, anon-f, erin, frank]"))
        #expect(driver.screen.contains("identikit: I1 [anon-e, erin]  I2 [anon-f, frank]"))

        await driver.press(.escape, .char("j"), .enter, .char("j"), .char("s"))
        guard case .dialog(let dialog)? = driver.state.overlay, case .split(let preview) = dialog.confirmation else {
            Issue.record("no split preview"); return
        }
        #expect(preview.distinctIDs == ["carol"])
        #expect(preview.remaining.contains("anon-c") && !preview.remaining.contains("carol"))
        await driver.press(.char("y"))
        #expect(store.calls.contains("split carol"))
        #expect(driver.state.status?.isError == false)
    }

    @Test func splittingIDsOfTwoIdentikitPersonsIsRefused() async throws {
        let (driver, _) = try await opened()
        // anon-e (I1) and anon-f (I2).
        await driver.press(.enter, .char(" "), .char("j"), .char(" "), .char("s"))
        #expect(driver.state.overlay == nil)
        #expect(driver.state.status?.isError == true)
    }

    @Test func mOnTwoIDsPreviewsTheMergePostHogMade() async throws {
        let (driver, store) = try await opened()
        await driver.press(.enter)
        await driver.press(.char("m"), .char("j"), .char("j"), .char("m"))
        guard case .dialog(let dialog)? = driver.state.overlay, case .merge(let preview) = dialog.confirmation else {
            Issue.record("no merge preview"); return
        }
        #expect(preview.sourceDistinctID == "anon-e" && preview.targetDistinctID == "anon-f")
        #expect(store.calls.contains("preview merge anon-f anon-e"))
    }

    @Test func historySaysWhichMergesWerePushed() async throws {
        let fixture = try Fixture()
        let pushed = try await fixture.store.write { engine, storage in
            try engine.manualMerge(target: "bob", source: "bob-2", force: true, in: storage, now: Fixture.now)
        }
        _ = try await fixture.store.write { engine, storage in
            try engine.manualMerge(target: "erin", source: "frank", force: true, in: storage, now: Fixture.now)
        }
        try fixture.store.recordPushes([PushRecord(actionID: pushed.id!, host: "https://us.i.posthog.com", eventUUID: UUID(),
                                                   pushedAt: Fixture.now)])
        let driver = await Driver(fixture, width: 120, height: 30)
        for (person, mark) in [("bob", "pushed"), ("erin", "no")] {
            await driver.press(.char(":"))
            await driver.type("person \(person)")
            await driver.press(.enter, .char("4"))
            let row = try #require(driver.screen.split(separator: "\n").first { $0.contains("manual_") }, "\(driver.screen)")
            #expect(row.hasSuffix(mark) || row.trimmingCharacters(in: .whitespaces).hasSuffix(mark), "\(driver.screen)")
            await driver.press(.escape)
        }
    }

    @Test func snapshots() async throws {
        let fixture = try Fixture()
        try fixture.store.saveComparison(Self.comparison)
        for (width, height) in SnapshotTests.sizes {
            let driver = await Driver(fixture, width: width, height: height)
            await driver.press(.char("H"))
            assertSnapshot(driver.screen, named: "posthog-\(width)x\(height)")
            await driver.press(.enter)
            assertSnapshot(driver.screen, named: "posthog-difference-\(width)x\(height)")
        }
    }
}
