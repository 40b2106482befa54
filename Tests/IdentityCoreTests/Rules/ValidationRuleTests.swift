import Foundation
import IdentityCore
import Testing

/// Spec "Every event", step 1: validate.
@Suite("Rule 1: validation")
struct ValidationRuleTests {
    @Test func missingEventNameIsInvalidEvent() throws {
        let invalid = try #require(Harness.invalid(["distinct_id": "a", "properties": [:]]))
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "event")
    }

    @Test func emptyEventNameIsInvalidEvent() throws {
        let invalid = try #require(Harness.invalid(["event": "", "distinct_id": "a"]))
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "event")
    }

    @Test func nonStringEventNameIsInvalidEvent() throws {
        let invalid = try #require(Harness.invalid(["event": 12, "distinct_id": "a"]))
        #expect(invalid.type == .invalidEvent)
    }

    @Test func missingDistinctIDIsInvalidEvent() throws {
        let invalid = try #require(Harness.invalid(["event": "e"]))
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "distinct_id")
        let null = try #require(Harness.invalid(["event": "e", "distinct_id": nil]))
        #expect(null.type == .invalidEvent)
    }

    @Test func integerDistinctIDBecomesItsDecimalString() throws {
        #expect(try Harness.event(["event": "e", "distinct_id": 42]).distinctID == "42")
        #expect(try Harness.event(["event": "e", "distinct_id": -7]).distinctID == "-7")
    }

    @Test func floatingDistinctIDBecomesItsDecimalString() throws {
        #expect(try Harness.event(["event": "e", "distinct_id": .double(3.0)]).distinctID == "3")
        #expect(try Harness.event(["event": "e", "distinct_id": .double(1.5)]).distinctID == "1.5")
    }

    /// Past 2^63 a number is a double; its decimal string is JavaScript's (as PostHog's ingestion
    /// writes it), never an exponent below 1e21.
    @Test func largeNumericDistinctIDsStayDecimal() throws {
        let parsed = try JSONCoding.parse(Data(#"{"event":"e","distinct_id":12345678901234567890}"#.utf8))
        guard case .valid(let event) = Harness.validate(parsed) else { Issue.record("expected valid"); return }
        #expect(event.distinctID == "12345678901234567000")
        #expect(try Harness.event(["event": "e", "distinct_id": .double(1e20)]).distinctID == "100000000000000000000")
        #expect(try Harness.event(["event": "e", "distinct_id": .double(1e21)]).distinctID == "1e+21")
    }

    @Test(arguments: [JSONValue.object(["a": 1]), .array(["a"]), .bool(true), .bool(false)])
    func objectArrayOrBooleanDistinctIDIsInvalid(_ id: JSONValue) throws {
        let invalid = try #require(Harness.invalid(["event": "e", "distinct_id": id]))
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "distinct_id")
    }

    @Test func distinctIDOf400CharactersIsAccepted() throws {
        let id = String(repeating: "x", count: 400)
        #expect(try Harness.event(["event": "e", "distinct_id": .string(id)]).distinctID == id)
    }

    @Test func distinctIDLongerThan400CharactersIsSkippedWithWarning() throws {
        let id = String(repeating: "x", count: 401)
        let invalid = try #require(Harness.invalid(["event": "e", "distinct_id": .string(id)]))
        #expect(invalid.type == .skippingEventInvalidDistinctID)

        let harness = Harness()
        let outcome = try harness.send(["event": "e", "distinct_id": .string(id)])
        #expect(outcome.status == .invalid)
        #expect(harness.warningTypes == [.skippingEventInvalidDistinctID])
        #expect(harness.storage.events.isEmpty)
        #expect(harness.personCount == 0)
    }

    @Test func nulInDistinctIDBecomesReplacementCharacter() throws {
        let event = try Harness.event(["event": "e", "distinct_id": "a\u{0}b"])
        #expect(event.distinctID == "a\u{FFFD}b")
    }

    @Test func distinctIDIsNotTrimmed() throws {
        #expect(try Harness.event(["event": "e", "distinct_id": " a "]).distinctID == " a ")
    }

    @Test func distinctIDInsidePropertiesIsAccepted() throws {
        #expect(try Harness.event(["event": "e", "properties": ["distinct_id": "p"]]).distinctID == "p")
    }

    @Test func invalidEventIsKeptAsReceivedInsideWarningWithLine() throws {
        let harness = Harness()
        try harness.send(["event": "ok", "distinct_id": "a"])
        let raw: JSONValue = ["event": "", "distinct_id": "a", "properties": ["k": 1]]
        let outcome = try harness.send(raw)
        #expect(outcome.status == .invalid)
        let warning = try #require(harness.storage.warnings.first)
        #expect(warning.type == .invalidEvent)
        #expect(warning.raw == JSONCoding.string(raw))
        #expect(warning.source == "test:2")
        #expect(warning.details["reason"] != nil)
        #expect(harness.storage.events.count == 1, "an invalid event is not counted as ingested")
    }

    @Test func uuidInEitherCaseIsAccepted() throws {
        let upper = "0F8FAD5B-D9CB-469F-A165-70867728950E"
        #expect(try Harness.event(["event": "e", "distinct_id": "a", "uuid": .string(upper)]).uuid == UUID(uuidString: upper))
        #expect(try Harness.event(["event": "e", "distinct_id": "a", "uuid": .string(upper.lowercased())]).uuid
            == UUID(uuidString: upper))
    }

    @Test func malformedUUIDIsInvalidEvent() throws {
        let invalid = try #require(Harness.invalid(["event": "e", "distinct_id": "a", "uuid": "not-a-uuid"]))
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "uuid")
        #expect(Harness.invalid(["event": "e", "distinct_id": "a", "uuid": 5])?.field == "uuid")
    }

    @Test func propertiesThatAreNotAnObjectAreInvalid() throws {
        #expect(Harness.invalid(["event": "e", "distinct_id": "a", "properties": [1, 2]])?.field == "properties")
    }

    @Test func eventWithoutUUIDGetsAStableUUIDFromSourceAndPosition() throws {
        let value: JSONValue = ["event": "e", "distinct_id": "a"]
        let first = try Harness.event(value)
        let again = try Harness.event(value)
        #expect(first.uuid == again.uuid, "same source, line and text: same uuid")
        guard case .valid(let elsewhere) = Harness.validate(value, line: 2) else { Issue.record("invalid"); return }
        #expect(elsewhere.uuid != first.uuid, "the same text on another line is another event")
    }

    @Test func reIngestingAnEventWithoutUUIDChangesNothing() throws {
        let harness = Harness()
        let value: JSONValue = ["event": "e", "distinct_id": "a", "properties": ["$set": ["n": 1]]]
        let input = Harness.validate(value, line: 1)
        _ = try harness.engine.ingest(input, in: harness.storage, now: harness.now)
        let before = harness.outcome
        let second = try harness.engine.ingest(Harness.validate(value, line: 1), in: harness.storage, now: harness.now)
        #expect(second.status == .duplicate)
        #expect(harness.outcome == before)
    }
}
