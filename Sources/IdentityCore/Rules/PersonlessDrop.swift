/// `$process_person_profile: false` on an event that exists only to change persons (spec step 7):
/// the event is dropped, not stored and not counted, and kept only inside an
/// `invalid_event_when_process_person_profile_is_false` warning. Decided by the name alone.
enum PersonlessDrop {
    static let eventNames: Set<String> = ["$identify", "$create_alias", "$merge_dangerously", "$groupidentify"]

    static func applies(name: String, properties: [String: JSONValue]) -> Bool {
        eventNames.contains(name) && properties["$process_person_profile"] == .bool(false)
    }
}
