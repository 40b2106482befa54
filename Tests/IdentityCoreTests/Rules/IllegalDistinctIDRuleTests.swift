import Foundation
import IdentityCore
import Testing

/// Spec "Illegal distinct IDs (never used to merge)".
@Suite("Rule: illegal distinct IDs")
struct IllegalDistinctIDRuleTests {
    static let caseInsensitive = ["anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated",
                                  "email", "undefined", "true", "false"]
    static let caseSensitive = ["[object Object]", "NaN", "None", "none", "null", "0", "undefined"]

    @Test(arguments: caseInsensitive)
    func caseInsensitiveEntriesAreIllegalInAnyCase(_ id: String) {
        #expect(IllegalDistinctIDs.isIllegal(id))
        #expect(IllegalDistinctIDs.isIllegal(id.uppercased()))
        #expect(IllegalDistinctIDs.isIllegal(id.prefix(1).uppercased() + id.dropFirst()))
    }

    @Test(arguments: caseSensitive)
    func caseSensitiveEntriesAreIllegalExactly(_ id: String) {
        #expect(IllegalDistinctIDs.isIllegal(id))
    }

    @Test(arguments: ["NULL", "Null", "nan", "NAN", "[object object]", "[OBJECT OBJECT]", "NONE", "nOne"])
    func caseSensitiveEntriesInAnotherCaseAreLegal(_ id: String) {
        #expect(!IllegalDistinctIDs.isIllegal(id))
    }

    @Test(arguments: caseInsensitive + caseSensitive)
    func everyEntryIsIllegalWhenQuoted(_ id: String) {
        #expect(IllegalDistinctIDs.isIllegal("'\(id)'"))
        #expect(IllegalDistinctIDs.isIllegal("\"\(id)\""))
    }

    @Test func quotedCaseInsensitiveEntriesAreIllegalInAnyCase() {
        #expect(IllegalDistinctIDs.isIllegal("'GUEST'"))
        #expect(IllegalDistinctIDs.isIllegal("\"Anonymous\""))
        #expect(!IllegalDistinctIDs.isIllegal("'NULL'"))
    }

    @Test func mismatchedOrPartialQuotesAreLegal() {
        #expect(!IllegalDistinctIDs.isIllegal("'null\""))
        #expect(!IllegalDistinctIDs.isIllegal("'null"))
        #expect(!IllegalDistinctIDs.isIllegal("null'"))
        #expect(!IllegalDistinctIDs.isIllegal("''null''"))
    }

    /// JavaScript's `trim()` decides in PostHog: it also removes U+FEFF, the no-break spaces and the
    /// line and paragraph separators.
    @Test(arguments: ["", " ", "   ", "\t", "\n", " \t\r\n ", "\u{FEFF}", " \u{FEFF}\u{A0}", "\u{2028}\u{3000}\u{B}\u{C}"])
    func emptyAndWhitespaceOnlyAreIllegal(_ id: String) {
        #expect(IllegalDistinctIDs.isIllegal(id))
    }

    @Test(arguments: [" null ", "null ", " anonymous", "\tguest", " 0 ", "'null' "])
    func trimmingIsOnlyForTheWhitespaceTest(_ id: String) {
        #expect(!IllegalDistinctIDs.isIllegal(id))
    }

    @Test(arguments: ["user-1", "nulls", "identity", "00", "guest1", "a@b.c", "17b845b08de74-033c497ed2753c"])
    func ordinaryIDsAreLegal(_ id: String) {
        #expect(!IllegalDistinctIDs.isIllegal(id))
    }

    @Test func eventsOfAnIllegalIDAreStillIngestedAndShareOnePerson() throws {
        let harness = Harness()
        try harness.send("pageview", "undefined", ["$set": ["from": "one"]])
        try harness.send("pageview", "undefined", ["$set": ["other": "two"]])
        #expect(harness.storage.events.count == 2)
        #expect(harness.personCount == 1)
        #expect(harness.properties("undefined") == ["from": "one", "other": "two"])
        #expect(harness.warningTypes.isEmpty)
    }

    @Test func distinctIDsAreCaseSensitiveAndNeverMergedByCase() throws {
        let harness = Harness()
        try harness.send("e", "User")
        try harness.send("e", "user")
        #expect(harness.personCount == 2)
        #expect(harness.ids(of: "User") == ["User"])
    }

    @Test func aNewPersonForAnUpperCaseTwinWarnsOfTheCaseCollision() throws {
        let harness = Harness()
        try harness.send("e", "user@example.com")
        let outcome = try harness.send("e", "User@Example.com")
        #expect(outcome.personsCreated == 1, "its own person, never merged by case")
        #expect(harness.warningTypes == [.distinctIDCaseCollision])
        #expect(harness.storage.warnings.first?.distinctIDs == ["User@Example.com", "user@example.com"])
        try harness.send("e", "User@Example.com")
        #expect(harness.warningTypes.count == 1, "only when the person is new")
    }

    @Test func noCaseCollisionForLowerCaseIDsOrWithoutALowerCaseTwin() throws {
        let harness = Harness()
        try harness.send("e", "ABC")
        try harness.send("e", "abc")
        try harness.send("e", "Xyz")
        #expect(harness.warningTypes.isEmpty, "abc is all lower case; xyz has no person")
    }

    @Test func anIdentifyCreatingAPersonForBothIDsWarnsOfTheCaseCollisionToo() throws {
        let harness = Harness()
        try harness.send("e", "alice")
        try harness.identify("Alice", anon: "anon-1")
        #expect(harness.warningTypes == [.distinctIDCaseCollision])
        #expect(harness.ids(of: "Alice") == ["Alice", "anon-1"])
        try harness.identify("Bob", anon: "bob")
        #expect(harness.warningTypes.count == 1, "Bob joins bob's person: not a new person")
    }

    @Test(arguments: ["$identify", "$create_alias", "$merge_dangerously"])
    func aSourceSentWithNULOrLongerThan400IsNeverMerged(_ name: String) throws {
        for source in ["anon\u{0}1", String(repeating: "a", count: 401)] {
            let harness = Harness()
            if source.count <= 400 { try harness.send("e", source) }  // it owns a person, as anon\u{FFFD}1
            try harness.send("e", "d")
            let key = name == "$identify" ? "$anon_distinct_id" : "alias"
            try harness.send(name, "d", [key: .string(source)])
            #expect(harness.warningTypes == [.cannotMergeWithIllegalDistinctID], "\(name) from \(source.prefix(8))")
            #expect(harness.ids(of: "d") == ["d"])
        }
    }

    @Test func aSourceThatAlreadyHoldsTheReplacementCharacterIsMergeable() throws {
        let harness = Harness()
        try harness.send("e", "anon\u{FFFD}1")
        try harness.identify("d", anon: "anon\u{FFFD}1")
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.ids(of: "d") == ["d", "anon\u{FFFD}1"])
    }
}
