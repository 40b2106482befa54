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

    /// Adds the automatic keys present in `properties` to its `$set` and `$set_once`
    /// without overriding anything already there.
    static func lift(into properties: inout [String: JSONValue]) {
        let isServer = properties["$is_server"] == .bool(true)
        var set = properties["$set"]?.objectValue ?? [:]
        var setOnce = properties["$set_once"]?.objectValue ?? [:]
        var lifted = false
        for key in keys {
            guard let value = properties[key] else { continue }
            if isServer, notLiftedFromServers.contains(key) { continue }
            lifted = true
            if set[key] == nil { set[key] = value }
            let initial = initialKey(for: key)
            if setOnce[initial] == nil { setOnce[initial] = value }
        }
        if lifted {
            properties["$set"] = .object(set)
            properties["$set_once"] = .object(setOnce)
        }
    }
}
