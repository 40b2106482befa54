import Foundation

/// How every distinct ID of a person joined it: a tree over the links in force, grown breadth-first
/// from the person's oldest ID, each ID under the one it was linked to (the why-linked chains of all
/// of its IDs at once).
public struct IdentityGraph: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        public var parent: String
        public var id: String
        public var link: Link
    }

    public var root: String
    /// In breadth-first order: a parent always comes before its children.
    public var edges: [Edge]
    /// IDs of the person no link in force reaches (stored before links were kept, say).
    public var unlinked: [String]

    public func children(of id: String) -> [Edge] { edges.filter { $0.parent == id } }
}

extension IdentityEngine {
    /// The chain of events and actions that joined two distinct IDs of one
    /// person: the shortest path over the links still in force.
    public func whyLinked(_ a: String, _ b: String, in storage: some IdentityStorage) throws -> [Link] {
        guard let personA = try storage.personID(forDistinctID: a) else { throw IdentityError.unknownDistinctID(a) }
        guard let personB = try storage.personID(forDistinctID: b) else { throw IdentityError.unknownDistinctID(b) }
        guard personA == personB else { throw IdentityError.differentPersons(a, b) }
        if a == b { return [] }
        let members = Set(try storage.distinctIDs(ofPerson: personA).map(\.distinctID))
        let reachedBy = try reach(from: a, until: b, members: members, in: storage)
        guard reachedBy[b] != nil else { return [] }
        var path: [Link] = []
        var current = b
        while current != a, let (parent, link) = reachedBy[current] {
            path.append(link)
            current = parent
        }
        return path.reversed()
    }

    /// The identity graph of the person a distinct ID or uuid names.
    public func identityGraph(of person: String, in storage: some IdentityStorage) throws -> IdentityGraph {
        let rowID = try resolvePerson(person, in: storage)
        let records = try storage.distinctIDs(ofPerson: rowID).sorted { ($0.joinedAt, $0.distinctID) < ($1.joinedAt, $1.distinctID) }
        guard let root = records.first?.distinctID else { throw IdentityError.unknownPerson(person) }
        var order: [String] = []
        let reachedBy = try reach(from: root, until: nil, members: Set(records.map(\.distinctID)), in: storage) { order.append($0) }
        let edges = order.compactMap { id in reachedBy[id].map { IdentityGraph.Edge(parent: $0.parent, id: id, link: $0.link) } }
        return IdentityGraph(root: root, edges: edges,
                             unlinked: records.map(\.distinctID).filter { $0 != root && reachedBy[$0] == nil })
    }

    /// Breadth-first from `start` over the links in force between `members`, until `target` is
    /// reached (nil: all of them); each ID reached remembers the ID and the link it was reached by.
    private func reach(from start: String, until target: String?, members: Set<String>, in storage: some IdentityStorage,
                       reached: (String) -> Void = { _ in }) throws -> [String: (parent: String, link: Link)] {
        var reachedBy: [String: (parent: String, link: Link)] = [:]
        var visited: Set<String> = [start]
        var frontier = [start]
        while !frontier.isEmpty, target.map({ reachedBy[$0] == nil }) ?? true {
            var next: [String] = []
            // Links in a stable order, so the same store always draws the same tree.
            let links = try storage.activeLinks(touching: frontier).sorted { ($0.at, $0.a, $0.b) < ($1.at, $1.a, $1.b) }
            for link in links {
                for (from, to) in [(link.a, link.b), (link.b, link.a)]
                where visited.contains(from) && !visited.contains(to) && members.contains(to) {
                    visited.insert(to)
                    reachedBy[to] = (from, link)
                    next.append(to)
                    reached(to)
                }
            }
            frontier = next
        }
        return reachedBy
    }
}
