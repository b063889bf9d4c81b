/// The header row of delimited tables (CSV, TSV, semicolon-separated, Markdown): a value alone
/// in a cell is described by its column's name, however far below the header it stands, where
/// a word within a few characters before it may name a different column or nothing at all.
///
/// A table is a run of consecutive lines that split into the same number (two or more) of cells
/// at the same delimiter; its first line is taken as the header. A line with a different count
/// ends the table. Quoted cells (`"Halonen, Mira"`) may hold the delimiter, except in Markdown.
struct TableColumns {
    static let delimiters: [Character] = [",", "\t", ";", "|"]

    private let text: String
    /// Each line's range and, per delimiter, its cell count and the first line of its table.
    private var lines: [(range: Range<String.Index>, cells: [Int], header: [Int])] = []

    /// Reads the line structure once, so asking about many cells costs one pass over the text.
    init(_ text: String) {
        self.text = text
        var start = text.startIndex
        while start <= text.endIndex {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            let counts = Self.delimiters.map { Self.cells(of: text[start..<end], at: $0).count }
            let header = counts.indices.map { index in
                guard let previous = lines.last, counts[index] >= 2, previous.cells[index] == counts[index] else {
                    return lines.count
                }
                return previous.header[index]
            }
            lines.append((start..<end, counts, header))
            guard end < text.endIndex else { break }
            start = text.index(after: end)
        }
    }

    /// The header cell of the column whose cell is exactly `range` (spaces and one pair of
    /// quotes around it aside), when that cell lies in a table below its header.
    func header(ofCell range: Range<String.Index>) -> Substring? {
        guard let line = lineIndex(of: range.lowerBound), lines[line].range.upperBound >= range.upperBound else {
            return nil
        }
        for (index, delimiter) in Self.delimiters.enumerated() where lines[line].cells[index] >= 2 {
            let header = lines[line].header[index]
            guard header < line else { continue }
            let row = Self.cells(of: text[lines[line].range], at: delimiter).map(Self.content(of:))
            guard let column = row.firstIndex(where: { $0.startIndex..<$0.endIndex == range }) else { continue }
            let names = Self.cells(of: text[lines[header].range], at: delimiter)
            if column < names.count { return Self.content(of: names[column]) }
        }
        return nil
    }

    /// The line holding `index`, by binary search over the line starts.
    private func lineIndex(of index: String.Index) -> Int? {
        var low = 0, high = lines.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if lines[middle].range.lowerBound > index {
                high = middle - 1
            } else if lines[middle].range.upperBound < index {
                low = middle + 1
            } else {
                return middle
            }
        }
        return nil
    }

    /// The cells of one line, a delimiter inside double quotes not splitting (outside Markdown).
    static func cells(of line: Substring, at delimiter: Character) -> [Substring] {
        var cells: [Substring] = []
        var start = line.startIndex, quoted = false
        for index in line.indices {
            let character = line[index]
            if character == "\"", delimiter != "|" {
                quoted.toggle()
            } else if character == delimiter, !quoted {
                cells.append(line[start..<index])
                start = line.index(after: index)
            }
        }
        cells.append(line[start...])
        return cells
    }

    /// A cell without the spaces around it and one pair of enclosing double quotes.
    static func content(of cell: Substring) -> Substring {
        var content = cell.drop(while: \.isWhitespace)
        while let last = content.last, last.isWhitespace { content = content.dropLast() }
        if content.count >= 2, content.first == "\"", content.last == "\"" {
            content = content.dropFirst().dropLast()
        }
        return content
    }
}
