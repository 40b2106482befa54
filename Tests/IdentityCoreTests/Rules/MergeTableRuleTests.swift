import Foundation
import IdentityCore
import Testing

/// Spec "`$identify`, `$create_alias`, `$merge_dangerously`": every row of the table, and the merge itself.
@Suite("Rule: the identify / alias / merge table")
struct MergeTableRuleTests {
    // MARK: which IDs an event names

    @Test func identifyNamesAnonDistinctIDAsSource() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.identify("user", anon: "anon")
        #expect(harness.ids(of: "user") == ["user", "anon"])
    }

    @Test func identifyWithoutAnonDistinctIDIsNotAMerge() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.send("$identify", "user", ["$set": ["k": 1]])
        #expect(harness.personCount == 2)
        #expect(harness.person("user")?.isIdentified == false)
    }

    @Test func identifyWithNullAnonDistinctIDIsTheIllegalStringNull() throws {
        let harness = Harness()
        try harness.identify("user", anon: nil)
        #expect(harness.warningTypes == [.cannotMergeWithIllegalDistinctID])
        let warning = try #require(harness.storage.warnings.first)
        #expect(warning.distinctIDs.contains("null"))
        #expect(harness.storage.personID(forDistinctID: "null") == nil)
        #expect(harness.ids(of: "user") == ["user"])
    }

    @Test func identifyWithNumericAnonDistinctIDUsesItsString() throws {
        let harness = Harness()
        try harness.send("e", "123")
        try harness.identify("user", anon: 123)
        #expect(harness.ids(of: "user") == ["user", "123"])
    }

    @Test(arguments: ["$create_alias", "$merge_dangerously"])
    func aliasMissingNullOrEmptyDoesNothing(_ name: String) throws {
        let harness = Harness()
        try harness.send("e", "other")
        try harness.send(name, "d", [:])
        try harness.send(name, "d", ["alias": nil])
        try harness.send(name, "d", ["alias": ""])
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.ids(of: "d") == ["d"])
        #expect(harness.person("d")?.isIdentified == false)
        #expect(harness.storage.events.count == 4)
    }

    @Test func otherEventsCarryingAnonDistinctIDAreNotMerges() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.send("pageview", "user", ["$anon_distinct_id": "anon"])
        try harness.send("pageview", "user2", ["alias": "anon"])
        #expect(harness.personCount == 3)
    }

    // MARK: the rows, in order

    @Test func row1SourceEqualsTargetDoesNothingWithoutWarning() throws {
        let harness = Harness()
        try harness.identify("a", anon: "a")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.person("a")?.isIdentified == false, "is_identified unchanged")
        // Even for an illegal ID, equality is checked first.
        try harness.identify("null", anon: "null")
        #expect(harness.warningTypes.isEmpty)
    }

    @Test func row2IllegalTargetRefusesWithWarningAndEventGoesToTarget() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.identify("email", anon: "anon", ["$set": ["k": 1]])
        #expect(harness.warningTypes == [.cannotMergeWithIllegalDistinctID])
        let warning = try #require(harness.storage.warnings.first)
        #expect(warning.distinctIDs == ["email", "anon"], "illegal ID, other ID")
        #expect(warning.eventUUID == harness.storage.events.last?.uuid)
        #expect(harness.ids(of: "anon") == ["anon"])
        #expect(harness.ids(of: "email") == ["email"])
        #expect(harness.properties("email") == ["k": 1], "the event goes to P(D)")
        #expect(harness.person("email")?.isIdentified == false, "is_identified unchanged")
        #expect(harness.person("anon")?.isIdentified == false)
    }

    @Test func row2IllegalSourceRefusesWithWarning() throws {
        let harness = Harness()
        try harness.send("e", "0")
        try harness.alias("user", alias: "0")
        #expect(harness.warningTypes == [.cannotMergeWithIllegalDistinctID])
        #expect(harness.storage.warnings.first?.distinctIDs == ["0", "user"])
        #expect(harness.personCount == 2)
        #expect(harness.person("user")?.isIdentified == false)
    }

    @Test func row2IllegalTargetIsReportedBeforeIllegalSource() throws {
        let harness = Harness()
        try harness.identify("null", anon: "guest")
        #expect(harness.storage.warnings.first?.distinctIDs.first == "null")
    }

    @Test func row2MergeDangerouslyStillRefusesIllegalIDs() throws {
        let harness = Harness()
        try harness.send("e", "anonymous")
        try harness.send("e", "user")
        try harness.mergeDangerously("user", alias: "anonymous")
        #expect(harness.warningTypes == [.cannotMergeWithIllegalDistinctID])
        #expect(harness.personCount == 2)
    }

    @Test(arguments: ["$identify", "$create_alias", "$merge_dangerously"])
    func row3NeitherExistsCreatesOneIdentifiedPersonOwningBoth(_ name: String) throws {
        let harness = Harness()
        let key = name == "$identify" ? "$anon_distinct_id" : "alias"
        try harness.send(name, "d", [key: "o"])
        #expect(harness.personCount == 1)
        #expect(harness.ids(of: "d") == ["d", "o"])
        #expect(harness.person("d")?.isIdentified == true)
        #expect(harness.person("d")?.uuid == PersonUUID.make(projectID: 1, distinctID: "d"))
    }

    @Test func row4OnlySourceExistsTargetIDIsAddedToIt() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["a": 1]])
        let before = try #require(harness.person("anon"))
        try harness.identify("user", anon: "anon")
        #expect(harness.personCount == 1)
        #expect(harness.person("user")?.uuid == before.uuid)
        #expect(harness.ids(of: "user") == ["user", "anon"])
        #expect(harness.person("user")?.isIdentified == true)
    }

    @Test func row4OnlyTargetExistsSourceIDIsAddedEvenIfIdentified() throws {
        let harness = Harness()
        try harness.identify("user", anon: "anon1")
        #expect(harness.person("user")?.isIdentified == true)
        try harness.alias("user", alias: "new-id")
        #expect(harness.personCount == 1)
        #expect(harness.ids(of: "user") == ["user", "anon1", "new-id"])
    }

    @Test func row4SourceOwnerIdentifiedStillGetsTheMissingID() throws {
        // Shared device without reset(), second user has no person yet.
        let harness = Harness()
        try harness.identify("alice", anon: "device")
        try harness.identify("bob", anon: "device")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.ids(of: "bob") == ["alice", "bob", "device"])
    }

    @Test func row5SamePersonNothingStructuralNoWarningNoVersionBump() throws {
        let harness = Harness()
        try harness.send("e", "a")
        try harness.alias("a", alias: "b")
        let version = try #require(harness.person("a")?.version)
        try harness.identify("a", anon: "b")
        try harness.identify("b", anon: "a")
        try harness.mergeDangerously("a", alias: "b")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.personCount == 1)
        #expect(harness.ids(of: "a") == ["a", "b"])
        #expect(harness.person("a")?.version == version)
        #expect(harness.storage.actions.isEmpty, "no merge recorded")
    }

    @Test func row5SamePersonMarksIdentified() throws {
        // Events alone cannot give an anonymous person two IDs, so build one in storage.
        let harness = Harness()
        try harness.send("e", "a")
        let person = try #require(harness.person("a"))
        harness.storage.upsertDistinctID(DistinctIDRecord(distinctID: "b", personID: person.rowID!, joinedAt: harness.now,
                                                          how: .firstEvent))
        #expect(person.isIdentified == false)
        try harness.identify("a", anon: "b")
        #expect(harness.personCount == 1)
        #expect(harness.person("a")?.isIdentified == true)
        #expect(harness.person("a")?.version == person.version + 1)
        #expect(harness.warningTypes.isEmpty)
    }

    @Test func row6SourceIdentifiedRefusesWithWarningAndIdentifiesTarget() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "device-a")
        try harness.send("e", "device-b")
        try harness.alias("device-b", alias: "alice", ["$set": ["k": 1]])
        #expect(harness.warningTypes == [.cannotMergeAlreadyIdentified])
        let warning = try #require(harness.storage.warnings.first)
        #expect(warning.distinctIDs == ["alice", "device-b"], "source ID O, target ID D")
        #expect(warning.eventUUID == harness.storage.events.last?.uuid)
        #expect(harness.personCount == 2)
        #expect(harness.person("device-b")?.isIdentified == true, "P(D) becomes identified")
        #expect(harness.properties("device-b") == ["k": 1], "the event goes to P(D)")
    }

    @Test func row6SharedDeviceWhereSecondUserHasAPersonIsRefused() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "device")
        try harness.send("e", "bob")
        try harness.identify("bob", anon: "device")
        #expect(harness.warningTypes == [.cannotMergeAlreadyIdentified])
        #expect(harness.ids(of: "alice") == ["alice", "device"])
        #expect(harness.ids(of: "bob") == ["bob"])
    }

    @Test func row7MergeDangerouslyMergesIdentifiedSource() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "a-dev")
        try harness.identify("alice2", anon: "b-dev")
        try harness.mergeDangerously("alice", alias: "alice2")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.ids(of: "alice") == ["alice", "a-dev", "alice2", "b-dev"])
        #expect(harness.personCount == 1)
    }

    @Test func row7AnonymousSourceIsMergedIntoTarget() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["shared": "source", "only_source": 1]])
        try harness.send("e", "user", ["$set": ["shared": "target", "only_target": 2]])
        let target = try #require(harness.person("user"))
        try harness.identify("user", anon: "anon")
        #expect(harness.personCount == 1)
        let merged = try #require(harness.person("anon"))
        #expect(merged.uuid == target.uuid, "P(D) survives")
        #expect(merged.isIdentified)
        #expect(harness.properties("anon") == ["shared": "target", "only_source": 1, "only_target": 2])
    }

    @Test func whetherTargetIsIdentifiedNeverMatters() throws {
        let harness = Harness()
        try harness.identify("alice", anon: "a-dev")
        try harness.send("e", "anon")
        try harness.alias("alice", alias: "anon")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.ids(of: "alice") == ["alice", "a-dev", "anon"])
    }

    // MARK: the merge itself

    @Test func mergeTargetSurvivesWhateverTheCreationDates() throws {
        let harness = Harness()
        try harness.send(["event": "e", "distinct_id": "old", "timestamp": "2020-01-01T00:00:00Z", "uuid": .string(UUID().uuidString)])
        try harness.send(["event": "e", "distinct_id": "new", "timestamp": "2024-01-01T00:00:00Z", "uuid": .string(UUID().uuidString)])
        let target = try #require(harness.person("new"))
        let source = try #require(harness.person("old"))
        try harness.identify("new", anon: "old")
        let merged = try #require(harness.person("new"))
        #expect(merged.uuid == target.uuid)
        #expect(merged.createdAt == source.createdAt, "created_at = the earlier of the two")
        #expect(merged.createdAt < target.createdAt)
    }

    @Test func mergeVersionIsTheLargerVersionPlusOne() throws {
        let harness = Harness()
        try harness.send("e", "src")
        for n in 0..<5 { try harness.send("e", "src", ["$set": ["n": .int(Int64(n))]]) }
        try harness.send("e", "dst")
        let sourceVersion = try #require(harness.person("src")?.version)
        let targetVersion = try #require(harness.person("dst")?.version)
        #expect(sourceVersion > targetVersion)
        try harness.identify("dst", anon: "src")
        #expect(harness.person("dst")?.version == max(sourceVersion, targetVersion) + 1)
    }

    @Test func mergeAppliesTheEventsUpdatesAfterTheOverlay() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["k": "source", "once": "source"]])
        try harness.send("e", "user", ["$set": ["k": "target"]])
        try harness.identify("user", anon: "anon", ["$set": ["k": "event"], "$set_once": ["once": "event", "new": "event"]])
        #expect(harness.properties("user") == ["k": "event", "once": "source", "new": "event"])
    }

    @Test func mergeRecordKeepsWhatUndoAndExplanationNeed() throws {
        let harness = Harness()
        try harness.send("e", "anon", ["$set": ["s": 1]])
        try harness.send("e", "user", ["$set": ["t": 2]])
        let source = try #require(harness.person("anon"))
        let target = try #require(harness.person("user"))
        try harness.identify("user", anon: "anon")
        let record = try #require(harness.storage.actions.values.first)
        #expect(record.kind == .identify)
        #expect(record.eventUUID == harness.storage.events.last?.uuid)
        #expect(record.targetUUID == target.uuid)
        #expect(record.sourceUUID == source.uuid)
        #expect(record.distinctIDs == ["anon"])
        #expect(record.details.sourceBefore?.properties == source.properties)
        #expect(record.details.targetBefore?.properties == target.properties)
    }

    @Test func mergeDoesNotRewriteEvents() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.identify("user", anon: "anon")
        #expect(harness.storage.events.map(\.distinctID) == ["anon", "user"])
    }

    @Test func mergeMovesEveryIDOfTheSource() throws {
        let harness = Harness()
        try harness.identify("x", anon: "x1")
        try harness.alias("x", alias: "x2")
        try harness.send("e", "y")
        try harness.mergeDangerously("y", alias: "x1")
        #expect(harness.ids(of: "y") == ["x", "x1", "x2", "y"])
        #expect(harness.personCount == 1)
    }
}

