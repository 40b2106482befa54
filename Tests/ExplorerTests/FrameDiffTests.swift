import Testing
@testable import Explorer

/// The frame diff: a terminal writes only what changed, wide characters stay whole, a resize redraws.
@Suite struct FrameDiffTests {
    func grid(_ lines: [String], width: Int = 10) -> CellGrid {
        var grid = CellGrid(width: width, height: lines.count)
        for (y, line) in lines.enumerated() { grid.put(line, x: 0, y: y) }
        return grid
    }

    @Test func firstFrameIsDrawnInFull() {
        let diff = FrameDiff.between(nil, grid(["ab", "cd"]))
        #expect(diff.clear)
        #expect(diff.cellCount == 20)
    }

    @Test func onlyChangedCellsAreWritten() {
        let diff = FrameDiff.between(grid(["hello", "world"]), grid(["hallo", "world"]))
        #expect(!diff.clear)
        #expect(diff.runs == [FrameDiff.Run(y: 0, x: 1, cells: [Cell(text: "a", style: .normal)])])
    }

    @Test func identicalFramesWriteNothing() {
        #expect(FrameDiff.between(grid(["same"]), grid(["same"])).runs.isEmpty)
    }

    @Test func aStyleChangeIsAChange() {
        var selected = grid(["row"])
        selected.fill(y: 0, from: 0, width: 3, style: .selected)
        let diff = FrameDiff.between(grid(["row"]), selected)
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].cells.map(\.style) == [.selected, .selected, .selected])
    }

    @Test func separateChangesMakeSeparateRuns() {
        let diff = FrameDiff.between(grid(["abcdefgh"]), grid(["xbcdefgy"]))
        #expect(diff.runs.map(\.x) == [0, 7])
        #expect(diff.cellCount == 2)
    }

    @Test func aWideCharacterIsWrittenWithBothHalves() {
        let diff = FrameDiff.between(grid(["ab  "]), grid(["a愛 "]))
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].x == 1)
        #expect(diff.runs[0].cells.map(\.text) == ["愛", ""])
    }

    @Test func replacingAWideCharacterWithNarrowOnesWritesBothColumns() {
        let diff = FrameDiff.between(grid(["a愛b"]), grid(["axyb"]))
        #expect(diff.runs == [FrameDiff.Run(y: 0, x: 1, cells: [Cell(text: "x", style: .normal), Cell(text: "y", style: .normal)])])
        let backend = TestBackend(width: 10, height: 1)
        let writer = FrameWriter(backend)
        writer.draw(grid(["a愛b"]))
        writer.draw(grid(["axyb"]))
        #expect(backend.buffer.text == "axyb")
    }

    @Test func aChangeInTheRightHalfStartsAtTheLeftHalf() {
        var before = grid(["a愛b"])
        var after = before
        before.fill(y: 0, from: 0, width: 10, style: .normal)
        after.fill(y: 0, from: 2, width: 1, style: .selected)  // only the right half's style
        let diff = FrameDiff.between(before, after)
        #expect(diff.runs.count == 1)
        #expect(diff.runs[0].x == 1)
        #expect(diff.runs[0].cells.first?.text == "愛")
    }

    @Test func aResizeRedrawsEverything() {
        let diff = FrameDiff.between(grid(["ab"], width: 10), grid(["ab", "cd"], width: 12))
        #expect(diff.clear)
        #expect(diff.cellCount == 24)
        let backend = TestBackend(width: 10, height: 1)
        let writer = FrameWriter(backend)
        writer.draw(grid(["ab"], width: 10))
        backend.resize(width: 12, height: 2)
        writer.draw(grid(["ab", "cd"], width: 12))
        #expect(backend.buffer.text == "ab\ncd")
        #expect(backend.buffer.width == 12)
    }

    @Test func theTestBackendShowsWhatTheFramesSaid() {
        let backend = TestBackend(width: 10, height: 2)
        let writer = FrameWriter(backend)
        writer.draw(grid(["hello", "world"]))
        writer.draw(grid(["hello", "wörld"]))
        #expect(backend.lastWrite?.cellCount == 1)
        #expect(backend.cellsWritten == 20 + 1)
        #expect(backend.buffer == grid(["hello", "wörld"]))
    }

    @Test func movingTheSelectionRewritesOnlyTheTwoRowsItLeavesAndEnters() async throws {
        let driver = await Driver(try MemoryStore(), width: 80, height: 24)
        let before = driver.explorer.backend.cellsWritten
        await driver.press(.down)
        let written = driver.explorer.backend.cellsWritten - before
        #expect(written > 0)
        #expect(written <= 2 * 80)
        #expect(driver.explorer.backend.lastWrite?.runs.allSatisfy { [2, 3].contains($0.y) } == true)
    }
}
