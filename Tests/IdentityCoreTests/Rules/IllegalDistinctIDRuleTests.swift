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

    @Test(arguments: ["", " ", "   ", "\t", "\n", " \t\r\n "])
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
}
