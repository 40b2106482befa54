import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// `t` on the Distinct IDs tab: a tree of how every ID joined the person, drawn with box characters.
@Suite struct IdentityGraphTests {
    static let lines = [
        #"{"event":"$pageview","distinct_id":"anon-1","timestamp":"2024-05-01T10:00:00Z"}"#,
        #"{"event":"$identify","distinct_id":"alice","timestamp":"2024-05-01T10:01:00Z","properties":{"$anon_distinct_id":"anon-1"}}"#,
        #"{"event":"$create_alias","distinct_id":"alice","timestamp":"2024-05-01T10:02:00Z","properties":{"alias":"alice-work\u001b[1m"}}"#,
        #"{"event":"$pageview","distinct_id":"anon-2","timestamp":"2024-05-01T10:03:00Z"}"#,
        #"{"event":"$identify","distinct_id":"alice","timestamp":"2024-05-01T10:04:00Z","properties":{"$anon_distinct_id":"anon-2"}}"#,
    ]

    @Test func tTogglesTheTreeOfHowEveryIDJoined() async throws {
        let store = try MemoryStore(lines: Self.lines)
        let driver = await Driver(store, width: 100, height: 30)
        await driver.press(.char(":"))
        await driver.type("person alice")
        await driver.press(.enter, .char("2"), .char("t"))
        guard case .detail(let detail) = driver.state.top, let graph = detail.graph else {
            Issue.record("t loaded no graph: \(driver.state.top)")
            return
        }
        #expect(detail.graphShown)
        #expect(graph.root == "anon-1")
        #expect(Set(graph.edges.map(\.id)) == ["alice", "alice-work\u{1B}[1m", "anon-2"])
        #expect(graph.edges.first { $0.id == "alice-work\u{1B}[1m" }?.parent == "alice")
        #expect(graph.unlinked.isEmpty)
        let lines = detail.graphLines
        #expect(lines[0] == "anon-1  (oldest ID)")
        #expect(lines[1].hasPrefix("└─ alice  "))
        #expect(lines.contains { $0.hasPrefix("   ├─ ") || $0.hasPrefix("   └─ ") })
        #expect(store.calls.contains { $0.hasPrefix("graph ") })
        #expect(driver.screen.contains("└─ alice"))
        #expect(driver.screen.contains(#"alice-work\e[1m"#), "an ID is drawn escaped")
        #expect(!driver.screen.contains("\u{1B}"))

        // Picking and splitting belong to the list, not the tree.
        await driver.press(.char("s"))
        #expect(driver.state.overlay == nil)
        #expect(driver.state.status?.text.contains("t goes back to the list") == true)

        await driver.press(.char("t"))
        guard case .detail(let back) = driver.state.top else { return }
        #expect(!back.graphShown)
        #expect(driver.screen.contains("Distinct ID"))
    }
}

@Suite struct IdentityGraphRuleTests {
    @Test func everyIDHangsUnderTheOneItWasLinkedTo() throws {
        let storage = InMemoryStorage()
        let engine = IdentityEngine()
        for (n, line) in IdentityGraphTests.lines.enumerated() {
            let input = EventValidator.validate(try JSONCoding.parse(Data(line.utf8)), rawText: line,
                                                location: InputLocation(source: "t", line: n + 1))
            _ = try engine.ingest(input, in: storage, now: Fixture.now)
        }
        let graph = try engine.identityGraph(of: "anon-2", in: storage)
        #expect(graph.root == "anon-1")
        #expect(graph.edges.map(\.parent).first == "anon-1", "breadth-first: the root's children first")
        for edge in graph.edges {
            // The why-linked chain of each ID ends with the very link the tree hangs it by.
            #expect(try engine.whyLinked(graph.root, edge.id, in: storage).last == edge.link)
        }
    }
}
