import Foundation
import IdentityCore
import Testing

/// Spec: manual merge (same table), and "Beyond PostHog": undo, split, why linked.
@Suite("Rules: manual merge, undo, split, why linked")
struct ManualActionRuleTests {
    // MARK: manual merge

    @Test func safeManualMergeBehavesLikeCreateAlias() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": "a", "only_a": 1]])
        try harness.send("e", "b", ["$set": ["k": "b", "only_b": 2]])
        let target = try #require(harness.person("a"))
        let record = try harness.engine.manualMerge(target: "a", source: "b", force: false, in: harness.storage, now: harness.now)
        #expect(record.kind == .manualMerge)
        #expect(harness.personCount == 1)
        #expect(harness.person("b")?.uuid == target.uuid)
        #expect(harness.properties("a") == ["k": "a", "only_a": 1, "only_b": 2])
        #expect(harness.person("a")?.isIdentified == true)
    }

    @Test func safeManualMergeRefusesWhenSourceIsIdentified() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "dev-a")
        try harness.send("e", "b")
        let before = harness.outcome
        #expect(throws: IdentityError.self) {
            try harness.engine.manualMerge(target: "b", source: "alice", force: false, in: harness.storage, now: harness.now)
        }
        #expect(harness.outcome == before)
        let preview = try harness.engine.previewMerge(target: "b", source: "alice", in: harness.storage)
        #expect(preview.refusal == .sourceIdentified)
        #expect(preview.canForce)
    }

    @Test func forcedManualMergeMergesIdentifiedSource() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "dev-a")
        try harness.send("e", "b")
        let record = try harness.engine.manualMerge(target: "b", source: "alice", force: true, in: harness.storage, now: harness.now)
        #expect(record.kind == .manualForcedMerge)
        #expect(harness.ids(of: "b") == ["alice", "b", "dev-a"])
    }

    @Test(arguments: [false, true])
    func manualMergeNeverUsesGenericIDs(_ force: Bool) throws {
        let harness = Harness()
        try harness.send("e", "null")
        try harness.send("e", "user")
        #expect(throws: IdentityError.self) {
            try harness.engine.manualMerge(target: "user", source: "null", force: force, in: harness.storage, now: harness.now)
        }
        #expect(throws: IdentityError.self) {
            try harness.engine.manualMerge(target: "null", source: "user", force: force, in: harness.storage, now: harness.now)
        }
        #expect(harness.personCount == 2)
    }

    @Test func previewShowsWhichSideWinsEachKey() throws {
        let harness = Harness()
        try harness.send("e", "t", ["$set": ["both": 1, "conflict": "t", "t_only": 1]])
        try harness.send("e", "s", ["$set": ["both": 1, "conflict": "s", "s_only": 1]])
        let preview = try harness.engine.previewMerge(target: "t", source: "s", in: harness.storage)
        let sides = Dictionary(uniqueKeysWithValues: preview.plan.properties.map { ($0.key, $0.side) })
        #expect(sides["both"] == .both)
        #expect(sides["conflict"] == .target)
        #expect(sides["t_only"] == .target)
        #expect(sides["s_only"] == .source)
        #expect(preview.resultingDistinctIDs == ["s", "t"])
        #expect(harness.personCount == 2, "a preview changes nothing")
    }

    // MARK: undo

    @Test func undoRestoresTheStateBeforeTheMerge() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["k": "source", "s": 1]])
        try harness.send("e", "anon2")
        try harness.alias("anon", alias: "anon2")
        try harness.send("e", "user", ["$set": ["k": "target"]])
        let before = harness.outcome
        let sourceUUID = try #require(harness.person("anon")?.uuid)
        let record = try harness.engine.manualMerge(target: "user", source: "anon", force: true, in: harness.storage, now: harness.now)
        #expect(harness.personCount == 1)
        let report = try harness.engine.undo(record.id!, in: harness.storage, now: harness.now)
        #expect(report.restoredPersonUUID == sourceUUID)
        #expect(report.movedBack == ["anon", "anon2"])
        #expect(harness.outcome == before)
        #expect(harness.person("anon")?.uuid == sourceUUID)
    }

    @Test func undoOfAnIdentifyMergeRestoresBothPersonsProperties() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["k": "source", "s": 1]])
        try harness.send("e", "user", ["$set": ["k": "target", "t": 1]])
        try harness.identify("user", anon: "anon")
        #expect(harness.properties("user") == ["k": "target", "s": 1, "t": 1])
        let merge = try #require(harness.storage.actions.values.first { $0.kind == .identify })
        _ = try harness.engine.undo(merge.id!, in: harness.storage, now: harness.now)
        #expect(harness.properties("anon") == ["k": "source", "s": 1])
        #expect(harness.properties("user") == ["k": "target", "t": 1])
        #expect(harness.ids(of: "anon") == ["anon"])
        #expect(harness.ids(of: "user") == ["user"])
    }

    @Test func undoKeepsKeysChangedAfterTheMerge() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["a": "source", "b": "source"]])
        try harness.send("e", "user")
        let record = try harness.engine.manualMerge(target: "user", source: "anon", force: false, in: harness.storage, now: harness.now)
        try harness.send("e", "user", ["$set": ["a": "later"]])
        let report = try harness.engine.undo(record.id!, in: harness.storage, now: harness.now)
        #expect(report.keptKeys == ["a"])
        #expect(harness.properties("user") == ["a": "later"], "b came from the merge and goes; a was changed later and stays")
        #expect(harness.properties("anon") == ["a": "source", "b": "source"])
    }

    @Test func undoIsRecordedAndCannotRunTwice() throws {
        let harness = Harness()
        try harness.send("e", "x")
        try harness.send("e", "y")
        let record = try harness.engine.manualMerge(target: "x", source: "y", force: false, in: harness.storage, now: harness.now)
        let report = try harness.engine.undo(record.id!, in: harness.storage, now: harness.now)
        #expect(report.undo.kind == .undo)
        #expect(harness.storage.actions[record.id!]?.undoneBy == report.undo.id)
        #expect(throws: IdentityError.self) { try harness.engine.undo(record.id!, in: harness.storage, now: harness.now) }
    }

    @Test func undoOfAMergeWhoseTargetWasMergedAwayIsRefused() throws {
        let harness = Harness()
        for id in ["a", "b", "c"] { try harness.send("e", id) }
        let first = try harness.engine.manualMerge(target: "b", source: "a", force: true, in: harness.storage, now: harness.now)
        _ = try harness.engine.manualMerge(target: "c", source: "b", force: true, in: harness.storage, now: harness.now)
        let before = harness.outcome
        #expect(throws: IdentityError.self) { try harness.engine.undo(first.id!, in: harness.storage, now: harness.now) }
        #expect(harness.outcome == before)
    }

    // MARK: split

    @Test func splitMovesChosenIDsIntoPersonsOfTheirOwn() throws {
        let harness = Harness()
        try harness.identify("user", anon: "dev1")
        try harness.alias("user", alias: "dev2")
        try harness.send("e", "dev1")
        let record = try harness.engine.split(person: "user", distinctIDs: ["dev1", "dev2"], in: harness.storage, now: harness.now)
        #expect(record.kind == .split)
        #expect(harness.personCount == 3)
        #expect(harness.ids(of: "user") == ["user"])
        #expect(harness.ids(of: "dev1") == ["dev1"])
        #expect(harness.ids(of: "dev2") == ["dev2"])
        // Events follow their distinct ID: dev1's events now belong to dev1's person.
        #expect(harness.storage.events.filter { $0.distinctID == "dev1" }.count == 1)
    }

    @Test func splitMayNotLeaveAPersonWithoutIDs() throws {
        let harness = Harness()
        try harness.identify("user", anon: "dev1")
        #expect(throws: IdentityError.self) {
            try harness.engine.split(person: "user", distinctIDs: ["user", "dev1"], in: harness.storage, now: harness.now)
        }
        #expect(throws: IdentityError.self) {
            try harness.engine.split(person: "user", distinctIDs: ["stranger"], in: harness.storage, now: harness.now)
        }
        #expect(harness.ids(of: "user") == ["user", "dev1"])
    }

    // MARK: why linked

    @Test func whyLinkedGivesTheChainOfEventsAndActions() throws {
        let harness = Harness()
        try harness.identify("user", anon: "dev1")
        let identifyUUID = try #require(harness.storage.events.last?.uuid)
        try harness.send("e", "dev2")
        try harness.alias("dev2", alias: "dev3")
        let aliasUUID = try #require(harness.storage.events.last?.uuid)
        try harness.engine.manualMerge(target: "dev1", source: "dev2", force: true, in: harness.storage, now: harness.now)
        let chain = try harness.engine.whyLinked("user", "dev3", in: harness.storage)
        #expect(chain.count == 3)
        #expect(chain.first?.eventUUID == identifyUUID)
        #expect(chain.last?.eventUUID == aliasUUID)
        #expect(chain[1].actionID != nil, "the manual merge in the middle")
        // Consecutive links share an ID, from user to dev3.
        var current = "user"
        for link in chain {
            #expect(link.a == current || link.b == current)
            current = link.a == current ? link.b : link.a
        }
        #expect(current == "dev3")
    }

    @Test func whyLinkedRefusesIDsOfDifferentPersons() throws {
        let harness = Harness()
        try harness.send("e", "a")
        try harness.send("e", "b")
        #expect(throws: IdentityError.self) { try harness.engine.whyLinked("a", "b", in: harness.storage) }
    }

    @Test func whyLinkedForgetsUndoneMerges() throws {
        let harness = Harness()
        try harness.send("e", "a")
        try harness.send("e", "b")
        let record = try harness.engine.manualMerge(target: "a", source: "b", force: false, in: harness.storage, now: harness.now)
        #expect(try harness.engine.whyLinked("a", "b", in: harness.storage).count == 1)
        _ = try harness.engine.undo(record.id!, in: harness.storage, now: harness.now)
        #expect(throws: IdentityError.self) { try harness.engine.whyLinked("a", "b", in: harness.storage) }
    }
}
