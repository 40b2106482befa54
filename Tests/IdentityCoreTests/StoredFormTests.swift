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

    @Test func skippedWritesOfOneEventShareAnEntryAndReadBackTheSame() throws {
        let uuid = UUID(uuidString: "B1C2D3E4-0000-4000-8000-000000000001")!
        let later = PropertySource(eventUUID: uuid, event: "$pageview", operation: .set, at: Date(timeIntervalSince1970: 1_790_005_580))
        let earlier = PropertySource(eventUUID: nil, event: "click", operation: .set, at: Date(timeIntervalSince1970: 1_790_005_000))
        let skipped = ["$os": SkippedWrite(value: "Linux", source: later), "$current_url": SkippedWrite(value: "/new", source: later),
                       "$browser": SkippedWrite(value: "Safari", source: earlier)]
        let text = ProvenanceCoding.string([:], skipped: skipped)
        #expect(text == #"[{"at":1790005000.0,"event":"click","event_uuid":null,"reason":"filtered","skipped":{"$browser":"Safari"}},"#
            + #"{"at":1790005580.0,"event":"$pageview","event_uuid":"b1c2d3e4-0000-4000-8000-000000000001","reason":"filtered","skipped":{"$current_url":"/new","$os":"Linux"}}]"#)
        #expect(ProvenanceCoding.decodeAll(try JSONParser.parse(text)).skipped == skipped)
        // The form before grouping (one entry per key) is still read.
        let perKey = #"[{"at":1790005580.0,"event":"$pageview","event_uuid":"b1c2d3e4-0000-4000-8000-000000000001","reason":"filtered","skipped":{"$os":"Linux"}},"#
            + #"{"at":1790005580.0,"event":"$pageview","event_uuid":"b1c2d3e4-0000-4000-8000-000000000001","reason":"filtered","skipped":{"$current_url":"/new"}}]"#
        #expect(ProvenanceCoding.decodeAll(try JSONParser.parse(perKey)).skipped == skipped.filter { $0.key != "$browser" })
    }

    @Test func provenanceWithSkippedWritesReadsBackTheSame() throws {
        var random = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let provenance = Self.randomProvenance(&random)
            let sources = Array(provenance.values) + [PropertySource(eventUUID: UUID(), event: "$pageview", operation: .set, at: Date(timeIntervalSince1970: 1_700_000_000))]
            var skipped: [String: SkippedWrite] = [:]
            for key in 0..<Int.random(in: 0...6, using: &random) {
                skipped["$skipped \(key)"] = SkippedWrite(value: .int(Int64(key)), source: sources.randomElement(using: &random)!)
            }
            let text = ProvenanceCoding.string(provenance, skipped: skipped)
            let decoded = ProvenanceCoding.decodeAll(try JSONParser.parse(text))
            #expect(decoded.sources == provenance, "\(text)")
            #expect(decoded.skipped.mapValues(\.value) == skipped.mapValues(\.value), "\(text)")
            #expect(decoded.skipped.mapValues(\.source.at) == skipped.mapValues(\.source.at), "\(text)")
            #expect(decoded.skipped.mapValues(\.source.eventUUID) == skipped.mapValues(\.source.eventUUID), "\(text)")
        }
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
