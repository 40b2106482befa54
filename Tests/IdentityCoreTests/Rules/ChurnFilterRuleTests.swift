import Foundation
import IdentityCore
import Testing

/// Spec "Every event", step 5: the churn filter on often-changing automatic properties.
@Suite("Rule 5: the churn filter")
struct ChurnFilterRuleTests {
    /// A person with a URL and a browser, at version 1.
    func harnessWithAPerson() throws -> Harness {
        let harness = Harness()
        try harness.send("$pageview", "a", ["$current_url": "/old", "$browser": "Firefox"])
        return harness
    }

    @Test func onlyNewValuesOfFilteredKeysThePersonHasWriteNothing() throws {
        let harness = try harnessWithAPerson()
        let version = try #require(harness.person("a")?.version)
        try harness.send("$pageview", "a", ["$current_url": "/new", "$browser": "Chrome"])
        #expect(harness.properties("a")["$current_url"] == "/old")
        #expect(harness.properties("a")["$browser"] == "Firefox")
        #expect(harness.person("a")?.version == version, "no version bump")
    }

    @Test func theSkippedWriteIsRecordedWithItsValueAndEvent() throws {
        let harness = try harnessWithAPerson()
        let uuid = UUID()
        try harness.send(["event": "$pageview", "distinct_id": "a", "uuid": .string(uuid.uuidString),
                          "properties": ["$current_url": "/new"]])
        let skipped = try #require(harness.person("a")?.skippedWrites["$current_url"])
        #expect(skipped.value == "/new")
        #expect(skipped.source.eventUUID == uuid)
        #expect(skipped.reason == .filtered)
        // Written at last by an event that changes more: the record of the skip goes.
        try harness.send("$pageview", "a", ["$current_url": "/newer", "plan": 1, "$set": ["plan": "pro"]])
        #expect(harness.properties("a")["$current_url"] == "/newer")
        #expect(harness.person("a")?.skippedWrites["$current_url"] == nil)
    }

    @Test func aNewKeyWritesTheWholeUpdateFilteredKeysIncluded() throws {
        let harness = try harnessWithAPerson()
        try harness.send("$pageview", "a", ["$current_url": "/new", "$screen_width": 1280])
        #expect(harness.properties("a")["$current_url"] == "/new", "$screen_width is new to the person")
        #expect(harness.properties("a")["$screen_width"] == 1280)
    }

    @Test func aChangeOutsideTheListWritesTheWholeUpdate() throws {
        let harness = try harnessWithAPerson()
        try harness.send("$pageview", "a", ["$set": ["plan": "pro"]])
        try harness.send("$pageview", "a", ["$current_url": "/new", "$set": ["plan": "team"]])
        #expect(harness.properties("a")["$current_url"] == "/new")
        #expect(harness.properties("a")["plan"] == "team")
    }

    @Test func anUnsetWritesTheWholeUpdate() throws {
        let harness = try harnessWithAPerson()
        try harness.send("$pageview", "a", ["$set": ["plan": "pro"]])
        try harness.send("$pageview", "a", ["$current_url": "/new", "$unset": ["plan"]])
        #expect(harness.properties("a")["$current_url"] == "/new")
        #expect(harness.properties("a")["plan"] == nil)
    }

    @Test(arguments: ["$identify", "$create_alias", "$merge_dangerously", "$set"])
    func personEventsAreNeverFiltered(_ name: String) throws {
        let harness = try harnessWithAPerson()
        try harness.send(name, "a", ["$current_url": "/new"])
        #expect(harness.properties("a")["$current_url"] == "/new", "\(name)")
    }

    @Test func geoIPCountryAndCityNamesAreNotFiltered() throws {
        let harness = Harness()
        try harness.send("e", "a", ["$set": ["$geoip_city_name": "Paris", "$geoip_time_zone": "Europe/Paris"]])
        try harness.send("e", "a", ["$set": ["$geoip_time_zone": "Europe/Berlin"]])
        #expect(harness.properties("a")["$geoip_time_zone"] == "Europe/Paris", "filtered")
        try harness.send("e", "a", ["$set": ["$geoip_city_name": "Berlin", "$geoip_time_zone": "Europe/Berlin"]])
        #expect(harness.properties("a")["$geoip_city_name"] == "Berlin")
        #expect(harness.properties("a")["$geoip_time_zone"] == "Europe/Berlin", "written along with an unfiltered change")
    }

    @Test func filteredKeysSetExplicitlyOnAnOrdinaryEventAreFilteredToo() throws {
        let harness = try harnessWithAPerson()
        try harness.send("click", "a", ["$set": ["$os": "Linux"]])
        try harness.send("click", "a", ["$set": ["$os": "macOS"]])
        #expect(harness.properties("a")["$os"] == "Linux")
    }

    @Test func theFilterSurvivesTheStoredForm() throws {
        let harness = try harnessWithAPerson()
        try harness.send("$pageview", "a", ["$current_url": "/new"])
        let person = try #require(harness.person("a"))
        let text = ProvenanceCoding.string(person)
        let decoded = ProvenanceCoding.decodeAll(try JSONParser.parse(text))
        #expect(decoded.sources == person.provenance)
        #expect(decoded.skipped == person.skippedWrites)
        #expect(decoded.skipped["$current_url"]?.value == "/new")
    }

    @Test func theFilterListIsTheSpecs() {
        let spec = """
        $current_url $pathname $referring_domain $referrer $screen_height
        $screen_width $viewport_height $viewport_width $browser $browser_version
        $device_type $raw_user_agent $os $os_name $os_version $geoip_postal_code
        $geoip_time_zone $geoip_latitude $geoip_longitude $geoip_accuracy_radius
        $geoip_subdivision_1_code $geoip_subdivision_1_name
        $geoip_subdivision_2_code $geoip_subdivision_2_name
        $geoip_subdivision_3_code $geoip_subdivision_3_name
        $geoip_city_confidence $geoip_country_confidence
        $geoip_postal_code_confidence $geoip_subdivision_1_confidence
        $geoip_subdivision_2_confidence
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(ChurnFilter.keys == Set(spec))
    }
}
