/// Event properties that PostHog copies onto the person: the latest value
/// with `$set`, the first one as `$initial_<name>` with `$set_once`.
public enum AutomaticProperties {
    public static let keys: [String] = [
        "$app_build", "$app_name", "$app_namespace", "$app_version", "$browser", "$browser_version",
        "$device_type", "$current_url", "$pathname", "$os", "$os_name", "$os_version",
        "$referring_domain", "$referrer", "$screen_height", "$screen_width", "$viewport_height",
        "$viewport_width", "$raw_user_agent", "utm_source", "utm_medium", "utm_campaign",
        "utm_content", "utm_term", "gclid", "gad_source", "gclsrc", "dclid", "gbraid", "wbraid",
        "fbclid", "msclkid", "twclid", "li_fat_id", "mc_cid", "igshid", "ttclid", "rdt_cid",
        "irclid", "_kx", "epik", "qclid", "sccid",
    ]

    /// Server-side SDKs report the server's OS, which says nothing about the person.
    static let notLiftedFromServers: Set<String> = ["$os", "$os_version"]

    /// `$browser` -> `$initial_browser`, `utm_source` -> `$initial_utm_source`.
    public static func initialKey(for key: String) -> String {
        "$initial_" + (key.hasPrefix("$") ? String(key.dropFirst()) : key)
    }

    /// Each automatic key with its `$initial_` key, built once.
    private static let initialKeys: [String: String] = Dictionary(uniqueKeysWithValues: keys.map { ($0, initialKey(for: $0)) })

    /// Adds the automatic keys present in `properties` to its `$set` and `$set_once`
    /// without overriding anything already there.
    static func lift(into properties: inout [String: JSONValue]) {
        // Walks the event's keys (a handful) rather than probing for all 44 automatic ones.
        let isServer = properties["$is_server"] == .bool(true)
        var set: [String: JSONValue]?
        var setOnce: [String: JSONValue]?
        for (key, value) in properties {
            guard let initial = initialKeys[key] else { continue }
            if isServer, notLiftedFromServers.contains(key) { continue }
            if set == nil {
                set = properties["$set"]?.objectValue ?? [:]
                setOnce = properties["$set_once"]?.objectValue ?? [:]
            }
            if set![key] == nil { set![key] = value }
            if setOnce![initial] == nil { setOnce![initial] = value }
        }
        if let set, let setOnce {
            properties["$set"] = .object(set)
            properties["$set_once"] = .object(setOnce)
        }
    }
}
