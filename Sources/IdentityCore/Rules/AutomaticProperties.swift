/// Event properties that PostHog copies onto the person: the latest value
/// with `$set`, the first one as `$initial_<name>` with `$set_once`.
public enum AutomaticProperties {
    public static let keys: [String] = [
        "$app_build", "$app_name", "$app_namespace", "$app_version", "$browser", "$browser_version",
        "$device_type", "$current_url", "$pathname", "$os", "$os_version",
        "$referring_domain", "$referrer", "$screen_height", "$screen_width", "$viewport_height",
        "$viewport_width", "$raw_user_agent",
    ] + campaignKeys

    /// Campaign parameters: browser SDKs send each one absent from the URL as null, so an empty one
    /// says nothing about the person and is not lifted at all.
    public static let campaignKeys: [String] = [
        "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_name", "utm_term", "gclid", "gad_source",
        "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "twclid", "li_fat_id", "mc_cid", "igshid",
        "ttclid", "rdt_cid", "irclid", "_kx", "epik", "qclid", "sccid",
    ]
    private static let campaignKeySet = Set(campaignKeys)

    /// Some SDKs name the OS `$os_name`: it stands in for an absent `$os`, never lifted under its own name.
    static let osAlias = "$os_name"

    /// Server-side SDKs report the server's OS, which says nothing about the person.
    static let notLiftedFromServers: Set<String> = ["$os", "$os_version"]

    /// `$browser` -> `$initial_browser`, `utm_source` -> `$initial_utm_source`.
    public static func initialKey(for key: String) -> String {
        "$initial_" + (key.hasPrefix("$") ? String(key.dropFirst()) : key)
    }

    /// Each automatic key with its `$initial_` key, built once.
    private static let initialKeys: [String: String] = Dictionary(uniqueKeysWithValues: keys.map { ($0, initialKey(for: $0)) })

    /// Adds the automatic keys present in `properties` to its `$set` and `$set_once`
    /// without overriding anything already there. A null never goes to `$set_once`: it would
    /// hold the `$initial_` key against the real first value.
    static func lift(into properties: inout [String: JSONValue]) {
        // Walks the event's keys (a handful) rather than probing for all 43 automatic ones.
        let isServer = properties["$is_server"] == .bool(true)
        var set: [String: JSONValue]?
        var setOnce: [String: JSONValue]?
        func lift(_ key: String, _ initial: String, _ value: JSONValue) {
            if set == nil {
                set = properties["$set"]?.objectValue ?? [:]
                setOnce = properties["$set_once"]?.objectValue ?? [:]
            }
            if set![key] == nil { set![key] = value }
            if !value.isNull, setOnce![initial] == nil { setOnce![initial] = value }
        }
        for (key, value) in properties {
            let automatic: (key: String, initial: String)
            if let initial = initialKeys[key] {
                automatic = (key, initial)
            } else if key == osAlias, properties["$os"] == nil {
                automatic = ("$os", initialKeys["$os"]!)
            } else {
                continue
            }
            if isServer, notLiftedFromServers.contains(automatic.key) { continue }
            if campaignKeySet.contains(key), value.isNull || value == .string("") { continue }
            lift(automatic.key, automatic.initial, value)
        }
        if let set, let setOnce {
            properties["$set"] = .object(set)
            properties["$set_once"] = .object(setOnce)
        }
    }

    /// `survey shown` records when the person last saw a survey (the event's timestamp), unless
    /// the event sets it itself.
    static let surveyShown = "survey shown"
    static let surveyLastSeenKey = "$survey_last_seen_date"

    static func addSurveyLastSeen(_ timestamp: String, into properties: inout [String: JSONValue]) {
        var set = properties["$set"]?.objectValue ?? [:]
        guard set[surveyLastSeenKey] == nil else { return }
        set[surveyLastSeenKey] = .string(timestamp)
        properties["$set"] = .object(set)
    }
}
