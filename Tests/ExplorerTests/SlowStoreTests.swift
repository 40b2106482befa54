import Foundation
import IdentityCore
import Testing
@testable import Explorer

/// A store that takes 600 ms per query (a database across a network): the UI loop never waits for it.
@Suite struct SlowStoreTests {
    /// Long enough that keys handled without waiting finish well inside it on a busy machine.
    static let delay = Duration.milliseconds(600)

    func selected(_ explorer: HeadlessExplorer) -> Int? {
        if case .persons(let p) = explorer.state.top { return p.cursor.selected }
        return nil
    }

    /// The row of the frame that has the selection marker.
    func markerRow(_ explorer: HeadlessExplorer) -> Int? {
        explorer.frame.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("▸") }
    }

    @Test func keysPressedDuringALoadMoveTheCursorWithinOneFrame() async throws {
        let store = try MemoryStore()
        let explorer = await Driver(client: store.client(delay: Self.delay)).explorer
        #expect(markerRow(explorer) == 2)

        explorer.step(.key(.char("r")))  // refresh: the counts and the list take 600 ms each
        #expect(explorer.isWorking)
        let started = ContinuousClock.now
        explorer.step(.key(.down))
        #expect(selected(explorer) == 1)
        #expect(markerRow(explorer) == 3)  // drawn in the very next frame
        explorer.step(.key(.down))
        #expect(markerRow(explorer) == 4)
        #expect(ContinuousClock.now - started < Self.delay / 2, "the keys waited for the query")
        #expect(explorer.isWorking)

        // Past 100 ms the title bar shows the loading mark, and keys still work.
        try await Task.sleep(for: .milliseconds(150))
        explorer.step()
        #expect(explorer.state.busy)
        #expect(explorer.frame.text.contains("loading"))
        explorer.step(.key(.down))
        #expect(markerRow(explorer) == 5)

        // The answer arrives: the mark goes, the selection stays where the keys put it.
        await explorer.settle()
        #expect(!explorer.state.busy)
        #expect(!explorer.frame.text.contains("loading"))
        #expect(selected(explorer) == 3)
        #expect(markerRow(explorer) == 5)
    }

    @Test func anAnswerArrivingAfterItsScreenWasLeftIsNotDrawn() async throws {
        let store = try MemoryStore()
        let explorer = await Driver(client: store.client(delay: Self.delay)).explorer
        guard case .persons(let p) = explorer.state.top, p.rows.count >= 2 else { Issue.record("no persons"); return }
        // Told apart by uuid: two persons may share a display name.
        let first = p.rows[0].uuid.lowercased, second = p.rows[1].uuid.lowercased

        explorer.step(.key(.enter))  // opens the first person; its detail takes 600 ms
        #expect(explorer.frame.text.contains("Loading…"))
        explorer.step(.key(.escape))  // gone before it answers
        explorer.step(.key(.down))
        explorer.step(.key(.enter))  // the second person instead

        var frames: [String] = []
        while explorer.isWorking {
            explorer.step()
            frames.append(explorer.frame.text)
            try await Task.sleep(for: .milliseconds(5))
        }
        explorer.step()
        frames.append(explorer.frame.text)
        #expect(store.calls.filter { $0.hasPrefix("detail ") }.count == 2)  // both were asked for...
        #expect(!frames.contains { $0.contains(first) })  // ...the first never drawn
        #expect(explorer.frame.text.contains(second))
    }
}
