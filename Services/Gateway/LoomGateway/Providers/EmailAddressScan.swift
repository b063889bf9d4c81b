/// Finds the first e-mail address, or the token masking stands in for one (`[EMAIL_3]`), in one
/// pass over the text.
///
/// This replaces the pattern `\[\s*EMAIL\s*_\s*\d+\s*\]|[^\s@]+@[^\s@]+\.[A-Za-z]{2,}`, which
/// gives the same answers but backtracks: on a long run of text without spaces or `@` it tried
/// every start position against the whole run, and 200,000 such characters held a thread for
/// minutes. Here every character is looked at a bounded number of times.
enum EmailAddressScan {
    static func first(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        let token = firstToken(in: scalars)
        let address = firstAddress(in: scalars, before: token?.lowerBound ?? scalars.count)
        // Leftmost wins; at the same start the token wins, as the first alternative did.
        guard let range = address ?? token else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }

    /// `[`, optional spaces, `EMAIL` (any case), `_`, digits, `]`, with spaces allowed between.
    /// An attempt never reads past the next `[`, so all attempts together read the text once.
    private static func firstToken(in scalars: [Unicode.Scalar]) -> Range<Int>? {
        var start = 0
        while start < scalars.count {
            guard scalars[start] == "[" else {
                start += 1
                continue
            }
            if let end = tokenEnd(in: scalars, from: start + 1) { return start..<end }
            start += 1
        }
        return nil
    }

    private static func tokenEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = skipSpaces(scalars, from: start)
        for letter in "email".unicodeScalars {
            guard index < scalars.count, scalars[index].properties.lowercaseMapping == String(letter) else {
                return nil
            }
            index += 1
        }
        index = skipSpaces(scalars, from: index)
        guard index < scalars.count, scalars[index] == "_" else { return nil }
        index = skipSpaces(scalars, from: index + 1)
        let digits = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index > digits else { return nil }
        index = skipSpaces(scalars, from: index)
        guard index < scalars.count, scalars[index] == "]" else { return nil }
        return index + 1
    }

    /// `local@domain.tld`: within one run of non-space characters, split at `@`, the first
    /// non-empty segment followed by a segment with a qualifying dot. Only starts before `limit`
    /// matter, since a token found earlier wins.
    private static func firstAddress(in scalars: [Unicode.Scalar], before limit: Int) -> Range<Int>? {
        var runStart = 0
        while runStart < min(limit, scalars.count) {
            if scalars[runStart].properties.isWhitespace {
                runStart += 1
                continue
            }
            var runEnd = runStart
            while runEnd < scalars.count, !scalars[runEnd].properties.isWhitespace { runEnd += 1 }
            if let found = address(in: scalars, run: runStart..<runEnd), found.lowerBound < limit { return found }
            runStart = runEnd
        }
        return nil
    }

    private static func address(in scalars: [Unicode.Scalar], run: Range<Int>) -> Range<Int>? {
        var segments: [Range<Int>] = []
        var segmentStart = run.lowerBound
        for index in run where scalars[index] == "@" {
            segments.append(segmentStart..<index)
            segmentStart = index + 1
        }
        segments.append(segmentStart..<run.upperBound)
        for (local, domain) in zip(segments, segments.dropFirst()) where !local.isEmpty {
            if let end = domainEnd(in: scalars, domain) { return local.lowerBound..<end }
        }
        return nil
    }

    /// Where `[^\s@]+\.[A-Za-z]{2,}` matching greedily from the segment's start ends: at the
    /// letters after the last dot that has something before it and two letters after it.
    private static func domainEnd(in scalars: [Unicode.Scalar], _ domain: Range<Int>) -> Int? {
        var dot = domain.upperBound - 3
        while dot > domain.lowerBound {
            if scalars[dot] == ".", isLetter(scalars[dot + 1]), isLetter(scalars[dot + 2]) {
                var end = dot + 3
                while end < domain.upperBound, isLetter(scalars[end]) { end += 1 }
                return end
            }
            dot -= 1
        }
        return nil
    }

    private static func skipSpaces(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        return index
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
