import Foundation
import IdentityCore
import Testing

/// Spec "Every event", step 2, and "Automatic person properties".
@Suite("Rule 2: normalization and automatic person properties")
struct NormalizationRuleTests {
    @Test func topLevelSetIsMergedIntoPropertiesSetAndWinsOnTheSameKey() throws {
        let event = try Harness.event([
            "event": "e", "distinct_id": "a",
            "$set": ["k": "top", "only_top": 1],
            "properties": ["$set": ["k": "nested", "only_nested": 2]],
        ])
        #expect(event.properties["$set"] == ["k": "top", "only_top": 1, "only_nested": 2])
    }

    @Test func topLevelSetOnceIsMergedIntoPropertiesSetOnceAndWinsOnTheSameKey() throws {
        let event = try Harness.event([
            "event": "e", "distinct_id": "a",
            "$set_once": ["k": "top"],
            "properties": ["$set_once": ["k": "nested", "n": 2]],
        ])
        #expect(event.properties["$set_once"] == ["k": "top", "n": 2])
    }

    @Test func setThatIsNotAnObjectCountsAsEmpty() throws {
        let harness = Harness()
        try harness.send(["event": "e", "distinct_id": "a", "properties": ["$set": "oops", "$set_once": [1, 2]]])
        #expect(harness.properties("a") == [:])
        #expect(harness.storage.events.count == 1)
        // A non-object top-level $set does not erase a nested object.
        let event = try Harness.event(["event": "e", "distinct_id": "a", "$set": 5, "properties": ["$set": ["k": 1]]])
        #expect(event.properties["$set"] == ["k": 1])
    }

    @Test func automaticPropertiesAreLiftedIntoSetAndInitialSetOnce() throws {
        let harness = Harness()
        try harness.send("pageview", "a", ["$browser": "Firefox", "utm_source": "news", "$pathname": "/x", "other": 1])
        #expect(harness.properties("a") == [
            "$browser": "Firefox", "$initial_browser": "Firefox",
            "utm_source": "news", "$initial_utm_source": "news",
            "$pathname": "/x", "$initial_pathname": "/x",
        ])
        // Later: the latest value with $set, the first one kept as $initial_ (a new key comes along,
        // so the churn filter lets the browser change through).
        try harness.send("pageview", "a", ["$browser": "Chrome", "$set": ["plan": "pro"]])
        #expect(harness.properties("a")["$browser"] == "Chrome")
        #expect(harness.properties("a")["$initial_browser"] == "Firefox")
    }

    @Test(arguments: AutomaticProperties.keys)
    func everyAutomaticKeyIsLifted(_ key: String) throws {
        let event = try Harness.event(["event": "e", "distinct_id": "a", "properties": [key: "v"]])
        #expect(event.properties["$set"]?[key] == "v")
        #expect(event.properties["$set_once"]?[AutomaticProperties.initialKey(for: key)] == "v")
    }

    @Test func automaticKeyListMatchesTheSpec() {
        // The spec's list, with utm_name, which the issue on PostHog's newest rules adds (PostHog lifts it).
        let spec = """
        $app_build $app_name $app_namespace $app_version $browser $browser_version
        $device_type $current_url $pathname $os $os_version
        $referring_domain $referrer $screen_height $screen_width $viewport_height
        $viewport_width $raw_user_agent utm_source utm_medium utm_campaign
        utm_content utm_name utm_term gclid gad_source gclsrc dclid gbraid wbraid fbclid
        msclkid twclid li_fat_id mc_cid igshid ttclid rdt_cid irclid _kx epik qclid
        sccid
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(Set(AutomaticProperties.keys) == Set(spec))
        #expect(AutomaticProperties.keys.count == spec.count)
    }

    @Test func explicitSetAndSetOnceAreNotOverriddenByLiftedValues() throws {
        let event = try Harness.event([
            "event": "e", "distinct_id": "a",
            "properties": ["$browser": "Auto", "$set": ["$browser": "Explicit"],
                           "$set_once": ["$initial_browser": nil]],
        ])
        #expect(event.properties["$set"]?["$browser"] == "Explicit")
        #expect(event.properties["$set_once"]?["$initial_browser"] == .null, "present there (even as null): not replaced")
    }

    @Test func serverEventsDoNotLiftOSOrOSVersion() throws {
        let event = try Harness.event([
            "event": "e", "distinct_id": "a",
            "properties": ["$is_server": true, "$os": "Linux", "$os_version": "6.1", "$browser": "curl"],
        ])
        #expect(event.properties["$set"] == ["$browser": "curl"])
        #expect(event.properties["$set_once"] == ["$initial_browser": "curl"])

        let client = try Harness.event([
            "event": "e", "distinct_id": "a", "properties": ["$is_server": false, "$os": "Linux"],
        ])
        #expect(client.properties["$set"]?["$os"] == "Linux")
    }

    @Test func utmParametersBecomeInitialUTMProperties() throws {
        let harness = Harness()
        try harness.send("e", "a", ["utm_campaign": "spring", "gclid": "g1"])
        try harness.send("e", "a", ["utm_campaign": "summer"])
        #expect(harness.properties("a")["utm_campaign"] == "summer")
        #expect(harness.properties("a")["$initial_utm_campaign"] == "spring")
        #expect(harness.properties("a")["$initial_gclid"] == "g1")
    }

    // MARK: PostHog's newest lifting rules

    @Test func osNameStandsInForAnAbsentOSAndIsNeverLiftedUnderItsOwnName() throws {
        let event = try Harness.event(["event": "e", "distinct_id": "a", "properties": ["$os_name": "iOS"]])
        #expect(event.properties["$set"] == ["$os": "iOS"])
        #expect(event.properties["$set_once"] == ["$initial_os": "iOS"])
        let both = try Harness.event(["event": "e", "distinct_id": "a", "properties": ["$os_name": "iOS", "$os": "Android"]])
        #expect(both.properties["$set"] == ["$os": "Android"], "$os present: $os_name is ignored")
        #expect(both.properties["$set_once"] == ["$initial_os": "Android"])
        let server = try Harness.event(["event": "e", "distinct_id": "a", "properties": ["$os_name": "Linux", "$is_server": true]])
        #expect(server.properties["$set"] == nil, "a server's OS says nothing about the person, by either name")
    }

    @Test(arguments: ["utm_source", "utm_name", "gclid", "fbclid", "sccid"])
    func emptyCampaignKeysAreNotLifted(_ key: String) throws {
        for empty in [JSONValue.null, .string("")] {
            let event = try Harness.event(["event": "e", "distinct_id": "a", "properties": [key: empty]])
            #expect(event.properties["$set"] == nil, "\(key) = \(empty)")
            #expect(event.properties["$set_once"] == nil, "\(key) = \(empty)")
        }
        let real = try Harness.event(["event": "e", "distinct_id": "a", "properties": [key: "x"]])
        #expect(real.properties["$set"]?[key] == "x")
        #expect(real.properties["$set_once"]?[AutomaticProperties.initialKey(for: key)] == "x")
    }

    @Test func aNullAutomaticValueIsSetButNeverSetOnce() throws {
        let event = try Harness.event(["event": "e", "distinct_id": "a", "properties": ["$browser": nil, "$pathname": ""]])
        #expect(event.properties["$set"] == ["$browser": nil, "$pathname": ""], "not a campaign key: empty values are lifted")
        #expect(event.properties["$set_once"] == ["$initial_pathname": ""], "a null would block the real first value")
    }

    @Test func surveyShownRecordsTheEventTimestampUnlessSetExplicitly() throws {
        let harness = Harness()
        try harness.send(["event": "survey shown", "distinct_id": "a", "timestamp": "2026-11-02T08:30:00Z",
                          "uuid": .string(UUID().uuidString)])
        #expect(harness.properties("a")["$survey_last_seen_date"] == "2026-11-02T08:30:00Z")
        try harness.send(["event": "survey shown", "distinct_id": "a", "timestamp": "2026-11-03T08:30:00Z",
                          "properties": ["$set": ["$survey_last_seen_date": "explicit"]], "uuid": .string(UUID().uuidString)])
        #expect(harness.properties("a")["$survey_last_seen_date"] == "explicit")
        try harness.send("survey sent", "b", [:], extra: ["timestamp": "2026-11-02T08:30:00Z"])
        #expect(harness.properties("b")["$survey_last_seen_date"] == nil, "only survey shown")
        try harness.send("survey shown", "c")
        #expect(harness.properties("c")["$survey_last_seen_date"] == .string(Timestamp.format(harness.now)),
                "no timestamp: the ingestion time")
    }
}
