import Foundation
import IdentityCore
import Ingest
import Testing

/// Fields of the wrong type, through the decoder and the engine (no files, no SQLite): which ones
/// reject the event and which ones are ignored with a warning, as `shared/spec/identity-rules.md` says.
@Suite("fields of the wrong type")
struct WrongTypeTests {
    static func decode(_ line: String) -> ValidatedInput {
        let results = InputDecoder.decodeLine(Array(line.utf8)[...], location: InputLocation(source: "t.jsonl", line: 3))
        #expect(results.count == 1)
        return results[0]
    }

    @Test(arguments: [
        (#"{"a":1}"#, "object"), ("[1,2]", "array"), ("true", "boolean"), ("false", "boolean"),
    ])
    func aDistinctIDThatIsNotAStringOrNumberRejectsTheEventNamingTheField(value: String, type: String) {
        guard case .invalid(let invalid) = Self.decode(#"{"event":"e","distinct_id":\#(value)}"#) else {
            Issue.record("accepted a distinct_id that is \(type)")
            return
        }
        #expect(invalid.type == .invalidEvent)
        #expect(invalid.field == "distinct_id")
        #expect(invalid.reason == "distinct_id must be a string or a number, got \(type)")
        #expect(invalid.location.description == "t.jsonl:3")
        let warning = invalid.warning(at: Date())
        #expect(warning.raw == #"{"event":"e","distinct_id":\#(value)}"#, "the input is kept whole")
    }

    @Test(arguments: [#""x""#, "[1]", "7", "true"])
    func propertiesThatAreNotAnObjectRejectTheEvent(value: String) {
        guard case .invalid(let invalid) = Self.decode(#"{"event":"e","distinct_id":"d","properties":\#(value)}"#) else {
            Issue.record("accepted properties \(value)")
            return
        }
        #expect(invalid.field == "properties")
        #expect(invalid.reason.hasPrefix("properties must be an object, got "))
    }

    /// Step 2 of the rules: a `$set`/`$set_once` that is not an object counts as `{}`; the event is
    /// still ingested with no warning (the spec defines none), and the event names the ignored part
    /// so ingest can tell whoever sent it.
    @Test func aSetThatIsNotAnObjectIsIgnoredAndNamedAndTheRestApplies() throws {
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        let lines = [
            #"{"event":"e","distinct_id":"d","uuid":"00000000-0000-4000-8000-000000000001","$set":"oops","properties":{"$set":{"plan":"pro"}}}"#,
            #"{"event":"e","distinct_id":"d","uuid":"00000000-0000-4000-8000-000000000002","properties":{"$set_once":[1,2],"$set":{"seen":1}}}"#,
            #"{"event":"e","distinct_id":"d","uuid":"00000000-0000-4000-8000-000000000003","properties":{"$unset":"plan"}}"#,
            #"{"event":"e","distinct_id":"d","uuid":"00000000-0000-4000-8000-000000000004","$set":null,"properties":{"$unset":["seen"],"$set_once":null}}"#,
        ]
        var outcomes: [EventOutcome] = []
        var ignored: [[String]] = []
        for line in lines {
            let input = Self.decode(line)
            if case .valid(let event) = input { ignored.append(event.ignoredFields) }
            outcomes.append(try engine.ingest(input, in: storage, now: Date()))
        }
        #expect(outcomes.map(\.status) == [.ingested, .ingested, .ingested, .ingested])
        #expect(ignored == [["$set"], ["properties.$set_once"], ["properties.$unset"], []], "null counts as absent")
        #expect(storage.warnings.isEmpty, "the spec defines no warning for these")
        // The bad $unset removed nothing; the good one in the last event did.
        var properties = try #require(storage.persons.values.first).properties
        properties["$creator_event_uuid"] = nil
        #expect(properties == ["plan": "pro"])
        #expect(storage.events.count == 4)
    }

    @Test func aBadSetStaysInTheStoredEventSoAReplayNamesItAgain() throws {
        guard case .valid(let event) = Self.decode(#"{"event":"e","distinct_id":"d","$set_once":5}"#) else {
            Issue.record("rejected")
            return
        }
        #expect(event.properties["$set_once"] == .int(5))
        guard case .valid(let replayed) = Self.decode(JSONCoding.string(JSONValue.object([
            "event": "e", "distinct_id": "d", "properties": .object(event.properties),
        ]))) else {
            Issue.record("rejected on replay")
            return
        }
        #expect(replayed.ignoredFields == ["properties.$set_once"])
    }
}

/// PostHog's exports (Parquet, and JSON tools that re-encode) carry properties as JSON text.
@Suite("properties as JSON-encoded text")
struct EncodedPropertiesTests {
    @Test func propertiesGivenAsJSONTextAreReadAsTheObjectTheyEncode() throws {
        let line = #"{"event":"$identify","distinct_id":"ada","properties":"{\"$anon_distinct_id\":\"anon-1\",\"$set\":{\"plan\":\"pro\"}}","person_properties":"{\"plan\":\"old\"}"}"#
        guard case .valid(let event) = WrongTypeTests.decode(line) else {
            Issue.record("rejected properties given as JSON text")
            return
        }
        #expect(event.properties["$anon_distinct_id"] == "anon-1")
        #expect(event.properties["$set"] == ["plan": "pro"])
        #expect(event.mergeSourceID == "anon-1", "the merge it asks for is seen")
    }

    @Test(arguments: [#""[1,2]""#, #""not json""#, #""\"just a string\"""#])
    func textThatDoesNotEncodeAnObjectRejectsTheEvent(value: String) {
        guard case .invalid(let invalid) = WrongTypeTests.decode(#"{"event":"e","distinct_id":"d","properties":\#(value)}"#) else {
            Issue.record("accepted properties \(value)")
            return
        }
        #expect(invalid.field == "properties")
        #expect(invalid.reason == "properties must be an object, got string that is not a JSON-encoded object")
    }
}
