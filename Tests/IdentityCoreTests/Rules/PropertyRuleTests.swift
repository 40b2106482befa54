import Foundation
import IdentityCore
import Testing

/// Spec "Every event", steps 4 to 7, the 640 KiB limit and idempotence.
@Suite("Rules 4-7: attribution, property updates, new persons, special events")
struct PropertyRuleTests {
    // MARK: step 4

    @Test func eventCreatesAnAnonymousPersonForItsDistinctID() throws {
        let harness = Harness()
        let outcome = try harness.send("pageview", "a")
        #expect(outcome.personsCreated == 1)
        #expect(harness.person("a")?.isIdentified == false)
        #expect(harness.ids(of: "a") == ["a"])
    }

    // MARK: step 5

    @Test func setOnceFillsOnlyMissingKeys() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set_once": ["k": 1]])
        try harness.send("e", "a", ["$set_once": ["k": 2, "m": 3]])
        #expect(harness.properties("a") == ["k": 1, "m": 3])
    }

    @Test func storedNullCountsAsPresentForSetOnce() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": nil]])
        try harness.send("e", "a", ["$set_once": ["k": "later"]])
        #expect(harness.properties("a") == ["k": nil])
    }

    @Test func setOverwritesDifferingValues() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": 1]])
        try harness.send("e", "a", ["$set": ["k": 2]])
        #expect(harness.properties("a") == ["k": 2])
    }

    /// "é" as one code point and as "e" + U+0301 are equal to Swift's `String ==` but two values to
    /// PostHog: a `$set` from one to the other is a change, and writing the same bytes is not.
    @Test func setComparesValuesExactlyNotByUnicodeEquivalence() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["name": "caf\u{E9}"]])
        let version = try #require(harness.person("a")?.version)
        try harness.send("e", "a", ["$set": ["name": "cafe\u{301}"]])
        let name = try #require(harness.properties("a")["name"]?.stringValue)
        #expect(Array(name.unicodeScalars) == Array("cafe\u{301}".unicodeScalars))
        #expect(harness.person("a")?.version == version + 1)
        try harness.send("e", "a", ["$set": ["name": "cafe\u{301}"]])
        #expect(harness.person("a")?.version == version + 1)
    }

    /// JSON (and PostHog, in JavaScript) has one kind of number: 1 and 1.0 are the same value.
    @Test func aNumberWrittenAgainInAnotherFormIsNoChange() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["n": 1, "b": true]])
        let version = try #require(harness.person("a")?.version)
        try harness.send("e", "a", ["$set": ["n": .double(1.0)]])
        #expect(harness.person("a")?.version == version)
        try harness.send("e", "a", ["$set": ["b": 1]])  // a boolean is not a number
        #expect(harness.properties("a") == ["n": 1, "b": 1])
        #expect(harness.person("a")?.version == version + 1)
    }

    @Test func setBeatsSetOnceOnTheSameKey() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": "set"], "$set_once": ["k": "once"]])
        #expect(harness.properties("a") == ["k": "set"], "on a new person")
        try harness.send("e", "b")
        try harness.send("e", "b", ["$set_once": ["k": "once"], "$set": ["k": "set"]])
        #expect(harness.properties("b") == ["k": "set"], "on an existing person")
    }

    @Test func unsetRemovesKeysThatExistedBeforeAfterTheSets() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["old": 1, "keep": 2]])
        try harness.send("e", "a", ["$set": ["old": 9, "fresh": 3], "$unset": ["old", "fresh", "never"]])
        #expect(harness.properties("a") == ["keep": 2, "fresh": 3],
                "old existed before: removed after the set; fresh did not: the set stays")
    }

    @Test func unsetAsObjectUsesItsKeys() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["x": 1, "y": 2]])
        try harness.send("e", "a", ["$unset": ["x": "whatever"]])
        #expect(harness.properties("a") == ["y": 2])
    }

    @Test func updatesAreEvaluatedAgainstThePropertiesBeforeTheEvent() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": "v"]])
        // $set_once on a key that $set of the same event adds: the key did not exist before,
        // but $set wins anyway; $set_once of a key absent before fills it.
        try harness.send("e", "a", ["$set": ["n": 1], "$set_once": ["n": 2, "m": 3], "$unset": ["m"]])
        #expect(harness.properties("a") == ["k": "v", "n": 1, "m": 3], "$unset ignores m: it did not exist before")
    }

    @Test func updateThatChangesNothingDoesNotBumpTheVersion() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": 1], "$set_once": ["o": 1]])
        let version = try #require(harness.person("a")?.version)
        try harness.send("e", "a", ["$set": ["k": 1], "$set_once": ["o": 2], "$unset": ["missing"]])
        try harness.send("e", "a")
        #expect(harness.person("a")?.version == version)
        try harness.send("e", "a", ["$set": ["k": 2]])
        #expect(harness.person("a")?.version == version + 1)
    }

    @Test func repeatedIdenticalIdentifyIsANoOp() throws {
        let harness = Harness()
        try harness.send("e", "anon")
        try harness.identify("user", anon: "anon", ["$set": ["email": "u@x"]])
        let after = try #require(harness.person("user"))
        try harness.identify("user", anon: "anon", ["$set": ["email": "u@x"]])
        try harness.identify("user", anon: "anon", ["$set": ["email": "u@x"]])
        #expect(harness.person("user") == after)
        #expect(harness.storage.actions.count == 0, "joined by adding an ID, never merged")
    }

    // MARK: step 6

    @Test func newPersonStartsWithSetOnceThenSetAndCreatorEventUUID() throws {
        let harness = Harness()
        let uuid = UUID()
        try harness.send(["event": "e", "distinct_id": "a", "uuid": .string(uuid.uuidString),
                          "properties": ["$set_once": ["a": 1, "b": 1], "$set": ["b": 2]]])
        let person = try #require(harness.person("a"))
        #expect(person.properties == ["a": 1, "b": 2, "$creator_event_uuid": .string(uuid.uuidString.lowercased())])
    }

    @Test func personIDIsUUIDv5OfProjectAndFirstDistinctID() throws {
        // RFC 9562 v5 in the PostHog namespace; the expected value is computed independently below.
        let harness = Harness()
        try harness.send("e", "user@example.com")
        let uuid = try #require(harness.person("user@example.com")?.uuid)
        #expect(uuid == PersonUUID.make(projectID: 1, distinctID: "user@example.com"))
        #expect(uuid == Self.referenceV5(name: "1:user@example.com"))
        #expect(uuid.uuidString.lowercased().dropFirst(14).first == "5", "version 5")

        let other = Harness(projectID: 7)
        try other.send("e", "user@example.com")
        #expect(other.person("user@example.com")?.uuid == Self.referenceV5(name: "7:user@example.com"))
    }

    @Test func personIDIsDeterministicAcrossStores() throws {
        let first = Harness(), second = Harness()
        for harness in [first, second] {
            try harness.send("e", "zz")
            try harness.send("e", "aa")
        }
        #expect(first.person("zz")?.uuid == second.person("zz")?.uuid)
        #expect(first.person("aa")?.uuid != first.person("zz")?.uuid)
    }

    /// A plain RFC 4122 §4.3 name-based SHA-1 uuid, written from the RFC, not from the core.
    static func referenceV5(name: String) -> UUID {
        let namespace = UUID(uuidString: "932979b4-65c3-4424-8467-0b66ec27bc22")!
        var data = withUnsafeBytes(of: namespace.uuid) { Array($0) }
        data.append(contentsOf: Array(name.utf8))
        var bytes = Array(SHA1Reference.hash(data).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    // MARK: step 7

    @Test func processPersonProfileFalseStoresTheEventButNoPerson() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$process_person_profile": false, "$set": ["k": 1]])
        #expect(harness.storage.events.count == 1)
        #expect(harness.personCount == 0)
        try harness.send("e", "b")
        let version = try #require(harness.person("b")?.version)
        try harness.send("e", "b", ["$process_person_profile": false, "$set": ["k": 1]])
        #expect(harness.properties("b") == [:])
        #expect(harness.person("b")?.version == version)
        #expect(harness.warningTypes.isEmpty)
    }

    @Test(arguments: ["$identify", "$create_alias", "$merge_dangerously", "$groupidentify"])
    func mergeEventWithProcessPersonProfileFalseIsDroppedIntoAWarning(_ name: String) throws {
        let harness = Harness()
        try harness.send("e", "o")
        try harness.send("e", "d")
        let key = name == "$identify" ? "$anon_distinct_id" : "alias"
        let outcome = try harness.send(name, "d", [key: "o", "$process_person_profile": false])
        #expect(outcome.status == .dropped)
        #expect(harness.warningTypes == [.invalidEventWhenProcessPersonProfileIsFalse])
        #expect(harness.personCount == 2)
        #expect(harness.person("d")?.isIdentified == false)
        #expect(harness.storage.events.count == 2, "not stored, not counted")
        let warning = try #require(harness.storage.warnings.first)
        #expect(warning.raw?.contains(name) == true, "the event is kept inside the warning")
    }

    @Test(arguments: [JSONValue.string("false"), .int(0), .null, .array([]), .object([:])])
    func nonBooleanProcessPersonProfileWarnsAndIsTreatedAsTrue(_ value: JSONValue) throws {
        let harness = Harness()
        try harness.send("e", "a", ["$process_person_profile": value, "$set": ["k": 1]])
        #expect(harness.warningTypes == [.invalidProcessPersonProfile])
        #expect(harness.properties("a") == ["k": 1])
    }

    @Test func processPersonProfileTrueIsNormal() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$process_person_profile": true, "$set": ["k": 1]])
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.properties("a") == ["k": 1])
    }

    @Test func groupIdentifyDoesNotTouchPersonProperties() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": 1]])
        let version = try #require(harness.person("a")?.version)
        try harness.send("$groupidentify", "a", ["$group_type": "company", "$group_key": "acme",
                                                 "$set": ["k": 2, "name": "Acme"], "$set_once": ["o": 1], "$unset": ["k"]],
                         extra: ["$set": ["top": 1]])
        #expect(harness.properties("a") == ["k": 1])
        #expect(harness.person("a")?.version == version)
        #expect(harness.storage.events.count == 2)
    }

    @Test(arguments: ["$exception", "$$heatmap"])
    func exceptionAndHeatmapNeverChangePersonProperties(_ name: String) throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k": 1]])
        try harness.send(name, "a", ["$set": ["k": 2], "$browser": "Firefox", "$unset": ["k"]])
        #expect(harness.properties("a") == ["k": 1])
        try harness.send(name, "fresh", ["$set": ["k": 2]])
        #expect(harness.properties("fresh") == [:])
        #expect(harness.storage.events.count == 3, "stored like any other event")
    }

    @Test func nulInPropertyKeysAndValuesBecomesTheReplacementCharacter() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["k\u{0}ey": "v\u{0}1", "nested": ["x": ["y\u{0}"]]],
                                    "$set_once": ["o\u{0}": "w\u{0}"]])
        #expect(harness.properties("a") == ["k\u{FFFD}ey": "v\u{FFFD}1", "nested": ["x": ["y\u{FFFD}"]], "o\u{FFFD}": "w\u{FFFD}"])
        try harness.send("e", "a", ["$unset": ["k\u{0}ey"]])
        #expect(harness.properties("a")["k\u{FFFD}ey"] == nil, "$unset keys are cleaned the same way")
    }

    // MARK: limits and idempotence

    @Test func propertiesMayNotGrowPast640KiB() throws {
        let harness = Harness()
        let big = String(repeating: "x", count: 400 * 1024)
        try harness.send("e", "a", ["$set": ["first": .string(big)]])
        let version = try #require(harness.person("a")?.version)
        let outcome = try harness.send("e", "a", ["$set": ["second": .string(big), "small": 1]])
        #expect(outcome.warnings == [.personPropertiesSizeViolation])
        #expect(harness.properties("a").keys.sorted() == ["first"], "the whole update is refused")
        #expect(harness.person("a")?.version == version)
        #expect(harness.storage.events.count == 2, "the event is kept")
        // Shrinking updates still go through.
        try harness.send("e", "a", ["$set": ["first": "short"]])
        #expect(harness.properties("a")["first"] == "short")
    }

    @Test func propertiesJustUnderTheLimitAreAccepted() throws {
        let harness = Harness()
        let value = String(repeating: "y", count: 640 * 1024 - 200)
        try harness.send("e", "a", ["$set": ["k": .string(value)]])
        #expect(harness.warningTypes.isEmpty)
        #expect(harness.properties("a")["k"] == .string(value))
    }

    @Test func reIngestingAnEventUUIDChangesNothing() throws {
        let harness = Harness()
        let uuid = UUID().uuidString
        let event: JSONValue = ["event": "e", "distinct_id": "a", "uuid": .string(uuid), "properties": ["$set": ["n": 1]]]
        try harness.send(event)
        let before = try #require(harness.person("a"))
        // Same uuid, different content: still a duplicate.
        let outcome = try harness.send(["event": "e", "distinct_id": "a", "uuid": .string(uuid),
                                        "properties": ["$set": ["n": 2]]])
        #expect(outcome.status == .duplicate)
        #expect(harness.storage.events.count == 1)
        #expect(harness.person("a") == before)
    }

    @Test func eventTimestampsNeverDecideWhoWins() throws {
        let harness = Harness()
        try harness.send(["event": "e", "distinct_id": "a", "uuid": .string(UUID().uuidString),
                          "timestamp": "2030-01-01T00:00:00Z", "properties": ["$set": ["k": "first"]]])
        try harness.send(["event": "e", "distinct_id": "a", "uuid": .string(UUID().uuidString),
                          "timestamp": "2000-01-01T00:00:00Z", "properties": ["$set": ["k": "second"]]])
        #expect(harness.properties("a")["k"] == "second")
    }

    @Test func provenanceRecordsWhichEventLastWroteEachKey() throws {
        let harness = Harness()
        let first = UUID(), second = UUID()
        try harness.send(["event": "one", "distinct_id": "a", "uuid": .string(first.uuidString),
                          "properties": ["$set": ["k": 1], "$set_once": ["o": 1]]])
        try harness.send(["event": "two", "distinct_id": "a", "uuid": .string(second.uuidString),
                          "properties": ["$set": ["k": 2], "$set_once": ["o": 2]]])
        let person = try #require(harness.person("a"))
        #expect(person.provenance["k"]?.eventUUID == second)
        #expect(person.provenance["k"]?.operation == .set)
        #expect(person.provenance["o"]?.eventUUID == first)
        #expect(person.provenance["o"]?.operation == .setOnce)
        #expect(person.provenance["o"]?.event == "one")
    }
}

/// SHA-1 (FIPS 180-4), only to check person uuids independently of the core's hashing.
enum SHA1Reference {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8((bitLength >> UInt64(shift)) & 0xFF)) }
        func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var w = [UInt32](repeating: 0, count: 80)
            for i in 0..<16 {
                w[i] = (0..<4).reduce(0) { $0 << 8 | UInt32(data[chunk + i * 4 + $1]) }
            }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32) = switch i {
                case 0..<20: ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (b ^ c ^ d, 0xCA62C1D6)
                }
                let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, temp)
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.flatMap { value in (0..<4).map { UInt8((value >> UInt32(24 - $0 * 8)) & 0xFF) } }
    }
}
