import Foundation

/// Runs the identity rules. Everything that changes persons goes through
/// here: ingestion, the capture server, and the manual merge, undo and split.
public struct IdentityEngine: Sendable {
    /// Part of every person uuid, as in PostHog.
    public var projectID: Int
    /// Whether each ingested event's effect is stored with it. Always on but in the benchmark,
    /// which turns it off to measure what recording costs.
    public var recordsEffects = true

    public init(projectID: Int = 1, recordsEffects: Bool = true) {
        self.projectID = projectID
        self.recordsEffects = recordsEffects
    }

    /// Ingests one valid event. Call it inside the store's transaction.
    public func process(_ event: Event, in storage: some IdentityStorage, now: Date) throws -> EventOutcome {
        guard try storage.insertEvent(event) else {
            try storage.recordDuplicate(ofEvent: event)
            return EventOutcome(status: .duplicate)
        }
        var run = EventRun(engine: self, event: event, storage: storage, now: now)
        try run.execute()
        try storage.recordEffect(recordsEffects ? run.effect : nil, ofEvent: event)
        run.outcome.effect = run.effect
        return run.outcome
    }

    /// Keeps an input that failed validation as a warning; nothing else changes.
    public func record(_ invalid: InvalidEvent, in storage: some IdentityStorage, now: Date) throws -> EventOutcome {
        let stored = try storage.insertWarning(invalid.warning(at: now))
        let status: EventOutcome.Status = invalid.type == .invalidEventWhenProcessPersonProfileIsFalse ? .dropped : .invalid
        return EventOutcome(status: status, warnings: stored ? [invalid.type] : [])
    }

    /// Validates and ingests, or records the input as invalid.
    public func ingest(_ input: ValidatedInput, in storage: some IdentityStorage, now: Date) throws -> EventOutcome {
        switch input {
        case .valid(let event): try process(event, in: storage, now: now)
        case .invalid(let invalid): try record(invalid, in: storage, now: now)
        case .action(let action): try replay(action, in: storage, now: now)
        }
    }

    func personUUID(for distinctID: String, in storage: some IdentityStorage) throws -> UUID {
        let uuid = PersonUUID.make(projectID: projectID, distinctID: distinctID)
        if try storage.personID(forUUID: uuid) == nil { return uuid }
        // The ID's natural uuid is taken (a split or undo brought back its old person):
        // derive another one, still deterministic.
        var attempt = 1
        while true {
            let candidate = PersonUUID.make(projectID: projectID, distinctID: "\(distinctID)#\(attempt)")
            if try storage.personID(forUUID: candidate) == nil { return candidate }
            attempt += 1
        }
    }
}

/// What ingesting one input did.
public struct EventOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case ingested
        /// Its uuid was ingested before: nothing changed.
        case duplicate
        /// It failed validation and was kept as a warning.
        case invalid
        /// A merge event sent personless: not stored, kept only inside its warning.
        case dropped
        /// A replayed manual merge, undo or split was applied.
        case action
    }

    public var status: Status
    public var personsCreated = 0
    public var merges = 0
    public var warnings: [WarningType] = []
    /// What an ingested event did, as stored with it (nil for every other status).
    public var effect: EventEffect?

    public init(status: Status, personsCreated: Int = 0, merges: Int = 0, warnings: [WarningType] = [], effect: EventEffect? = nil) {
        self.effect = effect
        self.status = status
        self.personsCreated = personsCreated
        self.merges = merges
        self.warnings = warnings
    }
}

/// A `$identify`, `$create_alias` or `$merge_dangerously` event's request to join two IDs.
struct MergeRequest: Sendable, Equatable {
    var kind: ActionKind
    /// O: the ID to fold into the event's own distinct ID (NUL already replaced).
    var source: String
    /// O as sent held a NUL or is longer than a distinct ID may be: never used to merge.
    var sourceIsUnmergeable: Bool

    init?(_ event: Event) {
        self.init(name: event.name, properties: event.properties)
    }

    init?(name: String, properties: [String: JSONValue]) {
        let sent: String
        switch name {
        case "$identify":
            // The key must be present; its value becomes a string, so null is the illegal "null".
            guard let anon = properties["$anon_distinct_id"] else { return nil }
            kind = .identify
            sent = anon.javaScriptString
        case "$create_alias", "$merge_dangerously":
            guard let alias = properties["alias"], !alias.isNull else { return nil }
            let text = alias.javaScriptString
            guard !text.isEmpty else { return nil }
            kind = name == "$create_alias" ? .createAlias : .mergeDangerously
            sent = text
        default:
            return nil
        }
        source = EventValidator.withoutNUL(sent)
        sourceIsUnmergeable = source != sent || sent.utf16.count > EventValidator.maxDistinctIDLength
    }
}

/// The processing of one event, step by step as the rules list them.
struct EventRun<Storage: IdentityStorage> {
    let engine: IdentityEngine
    let event: Event
    let storage: Storage
    let now: Date
    var outcome = EventOutcome(status: .ingested)
    /// Filled in step by step; the engine stores it with the event.
    var effect = EventEffect(kind: .existingPerson)

    /// The person the event lands on, once loaded or merged; `versionBumped` when this event already bumped it.
    private var target: (rowID: Int64, person: Person, versionBumped: Bool)?
    /// When no person owns the event's ID yet: the IDs the new person starts with.
    private var newPersonIDs: [(id: String, how: JoinKind)] = []
    private var markIdentified = false

    init(engine: IdentityEngine, event: Event, storage: Storage, now: Date) {
        self.engine = engine
        self.event = event
        self.storage = storage
        self.now = now
    }

    private var eventTime: Date { event.timestamp ?? now }

    mutating func execute() throws {
        var processPerson = true
        if let flag = event.properties["$process_person_profile"] {
            if case .bool(let value) = flag {
                processPerson = value
            } else {
                try warn(.invalidProcessPersonProfile, ids: [event.distinctID], details: ["value": flag])
            }
        }
        // Personless merge events never get here: validation drops them (`PersonlessDrop`).
        guard processPerson else {
            effect.kind = .personless
            return
        }
        if let request = event.mergeRequest {
            try handle(request)
        }
        try attribute()
    }

    // MARK: Step 3: identify, alias, merge

    private mutating func handle(_ request: MergeRequest) throws {
        let d = event.distinctID
        let o = request.source
        var targetID: Int64?
        var sourceID: Int64?
        var sourcePerson: Person?
        let decision = try MergeDecision.decide(target: d, source: o, sourceIsUnmergeable: request.sourceIsUnmergeable,
                                                forced: request.kind == .mergeDangerously) {
            targetID = try storage.personID(forDistinctID: d)
            sourceID = try storage.personID(forDistinctID: o)
            if let sourceID, sourceID != targetID { sourcePerson = try storage.person(sourceID) }
            return .init(target: targetID, source: sourceID, sourceIsIdentified: sourcePerson?.isIdentified ?? false)
        }
        let how: JoinKind = switch request.kind {
        case .identify: .identify
        case .createAlias: .alias
        default: .mergeDangerously
        }
        switch decision {
        case .nothing:
            return
        case .refuseIllegal(let illegal, let other):
            effect.kind = .illegalID
            try warn(.cannotMergeWithIllegalDistinctID, ids: [illegal, other],
                     details: ["illegal_distinct_id": .string(illegal), "other_distinct_id": .string(other),
                               "event": .string(event.name)])
        case .createPersonWithBoth:
            newPersonIDs = [(d, how), (o, how)]
            effect.kind = .newPerson
            effect.linkedID = o
            markIdentified = true
        case .addSourceToTarget:
            try storage.upsertDistinctID(DistinctIDRecord(distinctID: o, personID: targetID!, joinedAt: eventTime, how: how, eventUUID: event.uuid))
            try storage.insertLink(Link(a: d, b: o, kind: how, eventUUID: event.uuid, actionID: nil, at: eventTime))
            effect.kind = .linkedID
            effect.linkedID = o
            markIdentified = true
        case .addTargetToSource:
            try storage.upsertDistinctID(DistinctIDRecord(distinctID: d, personID: sourceID!, joinedAt: eventTime, how: how, eventUUID: event.uuid))
            try storage.insertLink(Link(a: d, b: o, kind: how, eventUUID: event.uuid, actionID: nil, at: eventTime))
            effect.kind = .linkedID
            effect.linkedID = d
            markIdentified = true
        case .alreadyOnePerson:
            markIdentified = true
        case .refuseAlreadyIdentified:
            effect.kind = .refused
            try warn(.cannotMergeAlreadyIdentified, ids: [o, d],
                     details: ["source_distinct_id": .string(o), "target_distinct_id": .string(d),
                               "event": .string(event.name)])
            markIdentified = true
        case .merge:
            guard let targetID, let sourceID, let sourcePerson, let targetPerson = try storage.person(targetID) else {
                throw IdentityError.storeInconsistent("a person owning \(d) or \(o) vanished during a merge")
            }
            let (merged, actionID) = try MergeOperation(engine: engine, storage: storage)
                .merge(source: (sourceID, sourcePerson), into: (targetID, targetPerson), kind: request.kind,
                       targetDistinctID: d, sourceDistinctID: o, eventUUID: event.uuid, at: eventTime, now: now)
            target = (targetID, merged, true)
            effect.kind = .merged
            effect.merge = EventEffect.Merge(how: request.kind, actionID: actionID, target: targetPerson.uuid, source: sourcePerson.uuid)
            outcome.merges += 1
            markIdentified = true
        }
    }

    // MARK: Steps 4 to 6: attribute the event and apply its property updates

    private mutating func attribute() throws {
        var updates = event.updates
        if event.name == AutomaticProperties.surveyShown, updates.set[AutomaticProperties.surveyLastSeenKey] == nil {
            // The event had no readable timestamp for validation to use: it happened at ingestion.
            updates.set[AutomaticProperties.surveyLastSeenKey] = .string(Timestamp.format(eventTime))
        }
        if target == nil, let rowID = try storage.personID(forDistinctID: event.distinctID) {
            guard let person = try storage.person(rowID) else {
                throw IdentityError.storeInconsistent("distinct ID \(event.distinctID) points at a missing person")
            }
            target = (rowID, person, false)
        }
        guard var current = target else {
            try createPerson(updates: updates)
            return
        }
        let wasIdentified = current.person.isIdentified
        if markIdentified { current.person.isIdentified = true }
        let result = try applyUpdates(updates, to: &current.person)
        effect.person = current.person.uuid
        if result == .changed || current.person.isIdentified != wasIdentified || current.versionBumped {
            if !current.versionBumped { current.person.version += 1 }
            try storage.updatePerson(current.person)
        } else if result == .skipped {
            // Only the record of skipped writes changed: stored, but not a new version of the person.
            try storage.updatePerson(current.person)
        }
        target = current
    }

    /// A brand-new person: `$set_once` then `$set` applied, plus `$creator_event_uuid`.
    private mutating func createPerson(updates: PropertyUpdates) throws {
        let ids = newPersonIDs.isEmpty ? [(event.distinctID, JoinKind.firstEvent)] : newPersonIDs
        try warnOfCaseCollision()
        var person = Person(uuid: try engine.personUUID(for: event.distinctID, in: storage), createdAt: eventTime,
                            isIdentified: markIdentified)
        try applyUpdates(updates, to: &person)
        person.properties["$creator_event_uuid"] = .string(event.uuid.lowercased)
        let rowID = try storage.insertPerson(person)
        person.rowID = rowID
        for (id, how) in ids {
            try storage.upsertDistinctID(DistinctIDRecord(distinctID: id, personID: rowID, joinedAt: eventTime, how: how,
                                                          eventUUID: event.uuid))
        }
        if ids.count == 2 {
            try storage.insertLink(Link(a: ids[0].id, b: ids[1].id, kind: ids[1].how, eventUUID: event.uuid, actionID: nil, at: eventTime))
        }
        outcome.personsCreated += 1
        if effect.kind == .existingPerson { effect.kind = .newPerson }
        effect.person = person.uuid
        target = (rowID, person, true)
    }

    /// A new person for an ID whose all-lower-case form already has one: IDs are never merged by
    /// case, but such twins are usually one user sent two ways, so say so.
    private mutating func warnOfCaseCollision() throws {
        let id = event.distinctID
        let lower = id.lowercased()
        guard !lower.isExactly(id), try storage.personID(forDistinctID: lower) != nil else { return }
        try warn(.distinctIDCaseCollision, ids: [id, lower],
                 details: ["distinct_id": .string(id), "colliding_distinct_id": .string(lower)])
    }

    @discardableResult
    private mutating func applyUpdates(_ updates: PropertyUpdates, to person: inout Person) throws -> PropertyUpdates.Result {
        let uuid = event.uuid, name = event.name, at = eventTime
        let result = updates.apply(to: &person, source: { PropertySource(eventUUID: uuid, event: name, operation: $0, at: at) },
                                   effect: &effect)
        if case .tooLarge(let bytes) = result {
            try warn(.personPropertiesSizeViolation, ids: [event.distinctID],
                     details: ["bytes": .int(Int64(bytes)), "limit": .int(Int64(PropertyUpdates.maxPropertiesBytes))])
        }
        return result
    }

    private mutating func warn(_ type: WarningType, ids: [String], details: [String: JSONValue]) throws {
        let warning = IngestionWarning(type: type, createdAt: now, eventUUID: event.uuid, distinctIDs: ids,
                                       details: details, source: event.source)
        if try storage.insertWarning(warning) { outcome.warnings.append(type) }
        effect.warnings.append(type)
    }
}
