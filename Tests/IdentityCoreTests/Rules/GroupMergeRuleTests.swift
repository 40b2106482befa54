import Foundation
import IdentityCore
import Testing

/// "Beyond PostHog": a whole duplicates group merged into one person as one action, one undo.
@Suite("Rules: group merge and its undo")
struct GroupMergeRuleTests {
    /// Every person whole (all but the change counter), with its IDs: what an exact undo must bring back.
    struct PersonState: Hashable {
        var uuid: UUID, created: Date, identified: Bool, properties: [String: JSONValue], ids: Set<String>
    }

    func everyone(_ harness: Harness) -> Set<PersonState> {
        Set(harness.storage.persons.values.map { person in
            PersonState(uuid: person.uuid, created: person.createdAt, identified: person.isIdentified, properties: person.properties,
                        ids: Set(harness.storage.distinctIDs(ofPerson: person.rowID!).map(\.distinctID)))
        })
    }

    func group(_ harness: Harness) throws {
        try harness.send("e", "anon-1", ["$set": ["email": "ann@example.com", "plan": "free"]])
        try harness.identify("ann", anon: "anon-2", ["$set": ["email": "ann@example.com", "name": "Ann"]])
        try harness.send("e", "anon-3", ["$set": ["email": "ann@example.com", "plan": "pro"], "$set_once": ["first": "ad"]])
    }

    @Test func mergesTheWholeGroupIntoTheIdentifiedPersonAsOneAction() throws {
        let harness = Harness()
        try group(harness)
        let survivor = try #require(harness.person("ann"))
        let preview = try harness.engine.previewGroupMerge(["anon-1", "ann", "anon-3"], in: harness.storage)
        #expect(preview.target.person.uuid == survivor.uuid, "the identified person survives")
        #expect(!preview.needsForce)
        #expect(preview.resultingDistinctIDs == ["ann", "anon-1", "anon-2", "anon-3"])
        let group = try harness.engine.groupMerge(["anon-1", "ann", "anon-3"], force: false, in: harness.storage, now: harness.now)
        #expect(group.kind == .groupMerge)
        #expect(group.details.groupMembers.count == 2)
        #expect(harness.personCount == 1)
        #expect(harness.ids(of: "ann") == ["ann", "anon-1", "anon-2", "anon-3"])
        #expect(harness.properties("ann") == preview.result.properties.filter { $0.key != "$creator_event_uuid" })
        #expect(harness.properties("ann")["name"] == "Ann")
        #expect(harness.properties("ann")["first"] == "ad")
    }

    @Test func oneUndoRestoresEveryPersonExactly() throws {
        let harness = Harness()
        try group(harness)
        try harness.send("e", "solo", ["$set": ["email": "ann@example.com"]])
        let before = everyone(harness)
        let group = try harness.engine.groupMerge(["anon-1", "ann", "anon-3", "solo"], force: false, in: harness.storage, now: harness.now)
        #expect(harness.personCount == 1)
        for member in group.details.groupMembers {
            #expect(throws: IdentityError.partOfGroup(member, group: group.id!)) {
                try harness.engine.undo(member, in: harness.storage, now: harness.now)
            }
        }
        let report = try harness.engine.undo(group.id!, in: harness.storage, now: harness.now)
        #expect(report.movedBack == ["anon-1", "anon-3", "solo"])
        #expect(everyone(harness) == before)
        #expect(harness.storage.action(group.id!)?.undoneBy == report.undo.id)
        #expect(throws: IdentityError.alreadyUndone(group.id!, by: report.undo.id!)) {
            try harness.engine.undo(group.id!, in: harness.storage, now: harness.now)
        }
    }

    @Test func anAnonymousSurvivorIsAnonymousAgainAfterTheUndo() throws {
        let harness = Harness()
        for id in ["a", "b", "c"] { try harness.send("e", id, ["$set": ["email": "x@example.com", id: 1]]) }
        let before = everyone(harness)
        let group = try harness.engine.groupMerge(["a", "b", "c"], force: false, in: harness.storage, now: harness.now)
        #expect(harness.person("a")?.isIdentified == true, "a merge identifies its survivor")
        _ = try harness.engine.undo(group.id!, in: harness.storage, now: harness.now)
        #expect(everyone(harness) == before)
    }

    @Test func twoIdentifiedPersonsNeedForce() throws {
        let harness = Harness()
        try harness.identify("ann", anon: "anon-1")
        try harness.identify("ann-work", anon: "anon-2")
        try harness.send("e", "anon-3")
        let preview = try harness.engine.previewGroupMerge(["ann", "ann-work", "anon-3"], in: harness.storage)
        #expect(preview.needsForce && preview.identifiedCount == 2)
        #expect(throws: IdentityError.self) {
            try harness.engine.groupMerge(["ann", "ann-work", "anon-3"], force: false, in: harness.storage, now: harness.now)
        }
        #expect(harness.personCount == 3)
        let group = try harness.engine.groupMerge(["ann", "ann-work", "anon-3"], force: true, in: harness.storage, now: harness.now)
        let kinds = group.details.groupMembers.compactMap { harness.storage.action($0)?.kind }
        #expect(kinds.sorted { $0.rawValue < $1.rawValue } == [.manualForcedMerge, .manualMerge])
        #expect(harness.personCount == 1)
    }

    @Test func aPersonWithOnlyGenericIDsIsNeverMerged() throws {
        let harness = Harness()
        try harness.send("e", "null", ["$set": ["email": "x@example.com"]])
        try harness.send("e", "real", ["$set": ["email": "x@example.com"]])
        #expect(throws: IdentityError.self) {
            try harness.engine.groupMerge(["null", "real"], force: true, in: harness.storage, now: harness.now)
        }
        #expect(harness.personCount == 2)
    }

    @Test func oneDistinctPersonIsNotAGroup() throws {
        let harness = Harness()
        try harness.identify("ann", anon: "anon-1")
        #expect(throws: IdentityError.self) {
            try harness.engine.groupMerge(["ann", "anon-1"], force: false, in: harness.storage, now: harness.now)
        }
    }
}
