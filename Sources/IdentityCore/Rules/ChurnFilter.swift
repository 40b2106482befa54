/// Automatic person properties that change on nearly every event (the page, the screen, the
/// browser build, GeoIP details). Rewriting a person for each new value is what PostHog's churn
/// filter avoids: on an ordinary event, an update whose only changes are new values of these keys,
/// for keys the person already has, writes nothing (spec step 5).
public enum ChurnFilter {
    public static let keys: Set<String> = [
        "$current_url", "$pathname", "$referring_domain", "$referrer", "$screen_height", "$screen_width",
        "$viewport_height", "$viewport_width", "$browser", "$browser_version", "$device_type", "$raw_user_agent",
        "$os", "$os_name", "$os_version", "$geoip_postal_code", "$geoip_time_zone", "$geoip_latitude",
        "$geoip_longitude", "$geoip_accuracy_radius", "$geoip_subdivision_1_code", "$geoip_subdivision_1_name",
        "$geoip_subdivision_2_code", "$geoip_subdivision_2_name", "$geoip_subdivision_3_code",
        "$geoip_subdivision_3_name", "$geoip_city_confidence", "$geoip_country_confidence",
        "$geoip_postal_code_confidence", "$geoip_subdivision_1_confidence", "$geoip_subdivision_2_confidence",
    ]

    /// Events whose updates are always written whole: they exist to change persons.
    public static let exemptEvents: Set<String> = ["$identify", "$create_alias", "$merge_dangerously", "$set"]

    public static func applies(toEvent name: String) -> Bool { !exemptEvents.contains(name) }
}
