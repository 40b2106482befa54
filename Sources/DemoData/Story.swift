import Foundation
import IdentityCore

/// One person's (or device's) events. Each kind of story exercises a rule of identity.
struct Story {
    let index: Int
    var random: SplitMix64
    var time: Date
    var events: [JSONValue] = []

    static let firstNames = ["Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken", "Frances", "Dennis", "Radia",
                             "Tim", "Hedy", "Guido", "Katherine", "Bjarne", "Anita", "Yukihiro", "Shafi", "Niklaus", "Sophie",
                             "José", "Zoë", "Łukasz", "Chen", "Aiko"]
    static let lastNames = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Thompson", "Allen", "Ritchie",
                            "Perlman", "Berners-Lee", "Lamarr", "van Rossum", "Johnson", "Stroustrup", "Borg", "Matsumoto",
                            "Goldwasser", "Wirth", "Wilson", "Núñez", "Müller", "Kowalski", "Wei", "Tanaka"]
    static let pages = ["/", "/pricing", "/docs", "/blog/identity", "/signup", "/login", "/settings", "/changelog"]
    static let browsers = ["Chrome", "Firefox", "Safari", "Edge"]
    static let oses = ["Mac OS X", "Windows", "Linux", "iOS", "Android"]
    static let plans = ["free", "pro", "team", "enterprise"]
    static let referrers = ["https://www.google.com/", "https://news.ycombinator.com/", "$direct", "https://twitter.com/"]
    static let genericIDs = ["null", "undefined", "anonymous", "guest", "0", "[object Object]", "NaN", "email"]

    init(index: Int, random: SplitMix64, time: Date) {
        self.index = index
        self.random = random
        self.time = time
    }

    mutating func tell() {
        let roll = Int.random(in: 0..<100, using: &random)
        switch roll {
        case 0..<42: anonymousVisitor()
        case 42..<70: signUp()
        case 70..<80: multiDevice()
        case 80..<86: backendFirst()
        case 86..<89: sharedDevice()
        case 89..<92: genericID()
        case 92..<95: alias()
        case 95..<96: forcedMerge()
        case 96..<99: duplicateSignUp()
        default: if index % 2 == 0 { brokenEvents() } else { newestRules() }
        }
    }

    // MARK: Stories

    mutating func anonymousVisitor() {
        let device = anonymousID()
        for _ in 0..<Int.random(in: 1...6, using: &random) { pageview(device) }
    }

    mutating func signUp() {
        let device = anonymousID()
        let user = userID()
        browse(device, pages: 1...4)
        identify(user, anonymous: device, set: profile(), setOnce: ["signup_date": .string(Timestamp.format(time))])
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            capture(user, Bool.random(using: &random) ? "$pageview" : "feature_used", ["$current_url": .string(page())])
        }
        if Int.random(in: 0..<4, using: &random) == 0 {
            capture(user, "plan_changed", ["$set": .object(["plan": .string(Self.plans.randomElement(using: &random)!)])])
        }
    }

    mutating func multiDevice() {
        let user = userID()
        let laptop = anonymousID(), phone = anonymousID(), tablet = anonymousID()
        browse(laptop, pages: 1...3)
        identify(user, anonymous: laptop, set: profile(), setOnce: [:])
        for device in [phone, tablet].prefix(Int.random(in: 1...2, using: &random)) {
            browse(device, pages: 1...3)
            identify(user, anonymous: device, set: ["last_device": .string(Self.oses.randomElement(using: &random)!)], setOnce: [:])
        }
        capture(user, "$pageview", ["$current_url": .string(page())])
    }

    /// The server saw the user first (backend `user_logged_in`), the browser later: identify merges two persons.
    mutating func backendFirst() {
        let user = userID()
        capture(user, "user_logged_in", ["$set": .object(["plan": .string(Self.plans.randomElement(using: &random)!)])], server: true)
        let device = anonymousID()
        browse(device, pages: 1...3)
        identify(user, anonymous: device, set: profile(), setOnce: [:])
    }

    /// Two people on one device without reset(): the second identify is refused.
    mutating func sharedDevice() {
        let device = anonymousID()
        let first = userID(), second = "u\(index)b-\(hex(4))"
        browse(device, pages: 1...2)
        identify(first, anonymous: device, set: profile(), setOnce: [:])
        capture(second, "$pageview", ["$current_url": .string("/login")])
        identify(second, anonymous: device, set: profile(), setOnce: [:])
    }

    /// A broken integration identifies with a generic ID: refused, with a warning.
    mutating func genericID() {
        let device = anonymousID()
        browse(device, pages: 1...2)
        identify(Self.genericIDs.randomElement(using: &random)!, anonymous: device, set: [:], setOnce: [:])
    }

    mutating func alias() {
        let user = userID()
        let device = anonymousID()
        browse(device, pages: 1...2)
        identify(user, anonymous: device, set: profile(), setOnce: [:])
        let legacy = "legacy-\(index)"
        capture(user, "$create_alias", ["alias": .string(legacy)])
        capture(legacy, "legacy_sync", [:])
    }

    /// Two identified accounts of one person, merged on purpose.
    mutating func forcedMerge() {
        let personal = userID(), work = "u\(index)-work"
        let profile = profile()
        identify(personal, anonymous: anonymousID(), set: profile, setOnce: [:])
        identify(work, anonymous: anonymousID(), set: ["company": .string("Acme")], setOnce: [:])
        capture(personal, "$merge_dangerously", ["alias": .string(work)])
    }

    /// The same email signs up twice under two user IDs: what the duplicates screen finds.
    mutating func duplicateSignUp() {
        let profile = profile()
        for suffix in ["", "-2"] {
            let device = anonymousID()
            browse(device, pages: 1...2)
            identify("u\(index)\(suffix)", anonymous: device, set: profile, setOnce: [:])
        }
    }

    /// What real pipelines send now and then: no distinct ID, no event name, an object as ID.
    mutating func brokenEvents() {
        let device = anonymousID()
        pageview(device)
        time.addTimeInterval(1)
        events.append(.object(["event": .string("$pageview"), "uuid": .string(uuid()),
                               "properties": .object(["$current_url": .string(page())]),
                               "timestamp": .string(Timestamp.format(time))]))
        events.append(.object(["distinct_id": .string(device), "uuid": .string(uuid()), "properties": .object([:])]))
        events.append(.object(["event": .string("$pageview"), "distinct_id": .object(["id": .string(device)]),
                               "uuid": .string(uuid())]))
    }

    /// A mobile user whose app sends `$os_name`, sees a survey, is identified once more with
    /// `$process_person_profile: false` (dropped), and whose upper-case twin ID gets a person of its
    /// own; the pageviews between only move `$current_url`, which the churn filter skips.
    mutating func newestRules() {
        let device = anonymousID()
        let user = userID()
        capture(device, "$screen", ["$os_name": .string("iOS"), "$app_version": .string("3.2.\(index % 10)")])
        identify(user, anonymous: device, set: profile(), setOnce: [:])
        for _ in 0..<3 { capture(user, "$pageview", ["$current_url": .string(page())]) }
        capture(user, "survey shown", ["$survey_id": .string("nps-\(index % 3)")])
        capture(user, "$identify", ["$anon_distinct_id": .string(anonymousID()), "$process_person_profile": .bool(false)])
        capture(user.uppercased(), "$pageview", ["$current_url": .string(page())])
    }

    // MARK: Pieces

    mutating func browse(_ device: String, pages: ClosedRange<Int>) {
        for _ in 0..<Int.random(in: pages, using: &random) { pageview(device) }
    }

    mutating func pageview(_ distinctID: String) {
        capture(distinctID, "$pageview", ["$current_url": .string(page()),
                                          "$browser": .string(Self.browsers.randomElement(using: &random)!),
                                          "$os": .string(Self.oses.randomElement(using: &random)!),
                                          "$referrer": .string(Self.referrers.randomElement(using: &random)!),
                                          "utm_source": Int.random(in: 0..<3, using: &random) == 0 ? .string("newsletter") : .null])
    }

    mutating func identify(_ user: String, anonymous: String, set: [String: JSONValue], setOnce: [String: JSONValue]) {
        var properties: [String: JSONValue] = ["$anon_distinct_id": .string(anonymous)]
        if !set.isEmpty { properties["$set"] = .object(set) }
        if !setOnce.isEmpty { properties["$set_once"] = .object(setOnce) }
        capture(user, "$identify", properties)
    }

    mutating func capture(_ distinctID: String, _ name: String, _ properties: [String: JSONValue], server: Bool = false) {
        time.addTimeInterval(Double(Int.random(in: 5...900, using: &random)))
        var properties = properties.filter { !$0.value.isNull }
        if server { properties["$lib"] = .string("posthog-python") } else { properties["$lib"] = .string("web") }
        events.append(.object([
            "event": .string(name), "distinct_id": .string(distinctID), "uuid": .string(uuid()),
            "timestamp": .string(Timestamp.format(time)), "properties": .object(properties),
        ]))
    }

    mutating func profile() -> [String: JSONValue] {
        let first = Self.firstNames.randomElement(using: &random)!, last = Self.lastNames.randomElement(using: &random)!
        let email = "\(first.lowercased()).\(last.lowercased().replacingOccurrences(of: " ", with: ""))\(index)@example.com"
        return ["name": .string("\(first) \(last)"), "email": .string(email),
                "plan": .string(Self.plans.randomElement(using: &random)!)]
    }

    mutating func anonymousID() -> String { "anon-\(hex(12))" }
    mutating func userID() -> String { "u\(index)" }
    mutating func page() -> String { Self.pages.randomElement(using: &random)! }

    mutating func hex(_ digits: Int) -> String {
        let value = random.next()
        let text = String(value, radix: 16)
        return String((String(repeating: "0", count: 16) + text).suffix(digits))
    }

    /// A version-4-shaped uuid from the generator, so the same seed gives the same events.
    mutating func uuid() -> String {
        let a = random.next(), b = random.next()
        var bytes = withUnsafeBytes(of: a.bigEndian, Array.init) + withUnsafeBytes(of: b.bigEndian, Array.init)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.lowercased
    }
}
