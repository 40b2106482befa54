import IdentityCore
import Testing
@testable import Explorer

@Suite struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("愛麗絲") == 6)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("👩‍💻") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("❤️") == 2)
    }

    @Test func truncationEndsInEllipsisAndNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("abcd", to: 4) == "abcd")
        #expect(DisplayWidth.truncate("愛麗絲愛", to: 6) == "愛麗…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("愛麗絲愛", to: 5)) <= 5)
        #expect(DisplayWidth.pad("🎉x", to: 5) == "🎉x  ")
    }

    @Test func gridEscapesEverythingItIsGiven() {
        var grid = CellGrid(width: 40, height: 1)
        grid.put("a\u{1B}[31mb\u{202E}c\u{7F}\u{9B}", x: 0, y: 0)
        #expect(grid.text == #"a\e[31mb\u202ec\x7f\x9b"#)
        #expect(!grid.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
    }

    @Test func wideCharactersTakeTwoCells() {
        var grid = CellGrid(width: 6, height: 1)
        let end = grid.put("愛x🎉", x: 0, y: 0)
        #expect(end == 5)
        #expect(grid.rows[0][1].text == "")
        #expect(grid.text == "愛x🎉")
    }
}

@Suite struct ListCursorTests {
    @Test func movesAndScrolls() {
        var cursor = ListCursor()
        let moved = cursor.handle(.down, count: 50, visible: 10)
        #expect(moved)
        #expect(cursor.selected == 1)
        _ = cursor.handle(.pageDown, count: 50, visible: 10)
        #expect(cursor.selected == 10 && cursor.offset == 1)
        _ = cursor.handle(.char("G"), count: 50, visible: 10)
        #expect(cursor.selected == 49 && cursor.offset == 40)
        _ = cursor.handle(.char("g"), count: 50, visible: 10)
        #expect(cursor.selected == 0 && cursor.offset == 0)
        _ = cursor.handle(.up, count: 50, visible: 10)
        #expect(cursor.selected == 0)
        let enterMoves = cursor.handle(.enter, count: 50, visible: 10)
        #expect(!enterMoves)
    }
}
