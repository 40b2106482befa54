import DemoData
import Foundation
@testable import IdentityCore
import Testing

/// The stored forms the store writes: compact provenance (and the older per-key form it still
/// reads), and an event's stored text prepared ahead of the writer.
@Suite("Stored forms")
struct StoredFormTests {
    static func randomProvenance(_ random: inout SplitMix64) -> [String: PropertySource] {
        let events = (0..<Int.random(in: 1...4, using: &random)).map { index in
            (uuid: Bool.random(using: &random) ? UUID() : nil, name: ["$pageview", "$identify", "sign up", "$set"][index],
             at: Date(timeIntervalSince1970: Double(Int.random(in: 1_600_000_000...1_800_000_000, using: &random)) + 0.25))
        }
        var provenance: [String: PropertySource] = [:]
        for key in 0..<Int.random(in: 0...20, using: &random) {
            let event = events.randomElement(using: &random)!
            provenance["key \(key) \"é\""] = PropertySource(eventUUID: event.uuid, event: event.name,
                                                         operation: Bool.random(using: &random) ? .set : .setOnce, at: event.at)
        }
        return provenance
    }

    @Test func compactProvenanceReadsBackTheSame() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let provenance = Self.randomProvenance(&random)
            let text = ProvenanceCoding.string(provenance)
            #expect(ProvenanceCoding.decode(try JSONParser.parse(text)) == provenance, "\(text)")
        }
    }

    @Test func compactProvenanceNamesEachEventOnce() throws {
        let uuid = UUID(uuidString: "A3693D31-EFD8-4460-9947-76588EED85DB")!
        let at = Date(timeIntervalSince1970: 1_790_005_572)
        let set = PropertySource(eventUUID: uuid, event: "$pageview", operation: .set, at: at)
        let once = PropertySource(eventUUID: uuid, event: "$pageview", operation: .setOnce, at: at)
        let provenance = ["$browser": set, "$os": set, "$initial_os": once]
        let text = ProvenanceCoding.string(provenance)
        #expect(text == #"[{"at":1790005572.0,"event":"$pageview","event_uuid":"a3693d31-efd8-4460-9947-76588eed85db","set":["$browser","$os"],"set_once":["$initial_os"]}]"#)
        let perKey = JSONWriter.string(.object(provenance.mapValues(\.jsonValue)))
        #expect(text.utf8.count * 2 < perKey.utf8.count, "compact \(text.utf8.count) bytes, per key \(perKey.utf8.count)")
    }

    @Test func perKeyProvenanceOfOlderStoresIsStillRead() throws {
        let old = #"{"email":{"at":1790005947.0,"event":"$identify","event_uuid":"6dd69755-2d26-4dd0-9c69-107406c649b8","op":"$set"},"plan":{"at":"2026-09-21T10:32:27Z","event":"sign up","event_uuid":null,"op":"$set_once"}}"#
        let provenance = ProvenanceCoding.decode(try JSONParser.parse(old))
        #expect(provenance["email"] == PropertySource(eventUUID: UUID(uuidString: "6dd69755-2d26-4dd0-9c69-107406c649b8"),
                                                      event: "$identify", operation: .set,
                                                      at: Date(timeIntervalSince1970: 1_790_005_947)))
        #expect(provenance["plan"]?.operation == .setOnce)
        #expect(provenance["plan"]?.eventUUID == nil)
        #expect(provenance.count == 2)
        #expect(ProvenanceCoding.decode(.string("garbage")).isEmpty)
    }

    @Test func preparedEventTextFollowsLaterChanges() {
        var event = Event(uuid: UUID(), name: "$pageview", distinctID: "d", properties: ["a": .int(1)])
        event.prepareForStorage()
        #expect(event.storedProperties == #"{"a":1}"#)
        #expect(event.storedUUID == event.uuid.uuidString.lowercased())
        event.properties["b"] = .string("x")
        #expect(event.storedProperties == #"{"a":1,"b":"x"}"#)
        event.uuid = UUID()
        #expect(event.storedUUID == event.uuid.uuidString.lowercased())
        // The rules' reading of it follows too: renamed to $exception, it updates no person.
        event.properties["$set"] = ["plan": "pro"]
        event.prepareForStorage()
        #expect(event.updates.set == ["plan": "pro"])
        event.name = "$exception"
        #expect(event.updates.isEmpty)
        // The prepared text is a cache: it does not make equal events unequal.
        var prepared = event
        prepared.prepareForStorage()
        #expect(prepared == event)
    }
}
