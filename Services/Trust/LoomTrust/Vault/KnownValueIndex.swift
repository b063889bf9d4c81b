/// The values one vault scope holds, keyed by their compared form, and where they occur in a
/// text: the known-value half of masking, which finds a value again whatever detectors make of
/// it (a case id echoed by a tool, a card number without its spaces, an address in capitals).
///
/// A match must stand alone: the characters just before and after it do not continue it (no
/// digit next to a digit value, no letter or digit next to the others), so `1280603269` does not
/// hide a known `280603269`.
struct KnownValueIndex: Sendable {
    /// A value the scope holds; `token` is nil for a value first found in the call being planned.
    struct Entry: Sendable, Hashable {
        var kind: String
        var original: String
        var token: String?
    }

    struct Match: Equatable {
        /// Unicode scalar offsets in the text.
        var range: Range<Int>
        var entry: Entry
    }

    /// Where national phone numbers are read, for the other layouts of a held phone number.
    let region: String
    private var tables: [KnownValueForm: [String: Entry]] = [:]
    /// Per form, the key lengths present: a text is only looked up at those lengths.
    private var lengths: [KnownValueForm: Set<Int>] = [:]
    private var longest: [KnownValueForm: Int] = [:]

    var isEmpty: Bool { tables.isEmpty }

    init(region: String? = nil) {
        self.region = PIIDetector.normalizedRegion(region)
    }

    /// Adds `entry` under its compared form, and a phone number under its other layouts too
    /// (``KnownPhoneForms``). The first value with a key keeps it: a later layout of the same
    /// value is the same value and gets the same token.
    mutating func add(_ entry: Entry) {
        let form = KnownValueForm.of(kind: entry.kind, original: entry.original)
        guard let key = form.key(of: entry.original), tables[form]?[key] == nil else { return }
        insert(entry, key: key, form: form)
        guard form == .digits, entry.kind.uppercased() == "PHONE" else { return }
        for other in KnownPhoneForms.keys(of: entry.original, region: region) where tables[form]?[other] == nil {
            insert(entry, key: other, form: form)
        }
    }

    private mutating func insert(_ entry: Entry, key: String, form: KnownValueForm) {
        tables[form, default: [:]][key] = entry
        let length = key.unicodeScalars.count
        lengths[form, default: []].insert(length)
        longest[form] = max(longest[form] ?? 0, length)
    }

    /// The value already held that `original` (found as `kind`) is a layout of, if any.
    func entry(kind: String, original: String) -> Entry? {
        let form = KnownValueForm.of(kind: kind, original: original)
        return form.key(of: original).flatMap { tables[form]?[$0] }
    }

    /// Every held value in `text`, left to right, none overlapping another or `excluded`
    /// (tokens already in the text, values detectors claimed). At one place the longest wins.
    func matches(in text: [Unicode.Scalar], excluding excluded: [Range<Int>] = []) -> [Match] {
        guard !tables.isEmpty else { return [] }
        let text = text.map(ScannedScalar.init)
        var found: [Match] = []
        var start = 0
        while start < text.count {
            let previous = start > 0 ? text[start - 1] : nil
            var best: Match?
            for form in KnownValueForm.allCases where tables[form] != nil {
                // A match begins where the run it belongs to begins.
                if let previous, form.counts(previous) { continue }
                guard let match = self.match(form, at: start, in: text),
                    !excluded.contains(where: { $0.overlaps(match.range) }),
                    match.range.count > (best?.range.count ?? 0)
                else { continue }
                best = match
            }
            if let best {
                found.append(Self.widened(best, in: text, excluded: excluded))
                start = best.range.upperBound
            } else {
                start += 1
            }
        }
        return found
    }

    /// The longest held value of `form` starting at `start`.
    private func match(_ form: KnownValueForm, at start: Int, in text: [ScannedScalar]) -> Match? {
        guard form.counts(text[start]), let table = tables[form], let lengths = lengths[form],
            let longest = longest[form]
        else { return nil }
        var key = String.UnicodeScalarView()
        var count = 0
        var gap = 0
        var best: Match?
        var index = start
        while index < text.count, count < longest {
            let scalar = text[index]
            if form.counts(scalar) {
                key.append(form.normalized(scalar))
                count += 1
                gap = 0
                let ends = index + 1 == text.count || !form.counts(text[index + 1])
                if ends, lengths.contains(count), let entry = table[String(key)] {
                    best = Match(range: start..<(index + 1), entry: entry)
                }
            } else if form != .exact, scalar.isLayout, gap < KnownValueForm.maximumGap {
                gap += 1
            } else if form == .exact, !scalar.isWhitespace {
                // Structure (the `@` and dots of an address) is compared like any character.
                key.append(scalar.scalar)
                count += 1
                let ends = index + 1 == text.count || !form.counts(text[index + 1])
                if ends, lengths.contains(count), let entry = table[String(key)] {
                    best = Match(range: start..<(index + 1), entry: entry)
                }
            } else {
                break
            }
            index += 1
        }
        return best
    }

    /// A `+` or `(` that opens the stored value opens the match too, so `+[PHONE_1]` does not
    /// keep half of the number's layout; before a phone number, whatever its stored layout.
    private static func widened(_ match: Match, in text: [ScannedScalar], excluded: [Range<Int>]) -> Match {
        let stored = match.entry.original.unicodeScalars.prefix { $0 == "+" || $0 == "(" }.count
        let opening = match.entry.kind.uppercased() == "PHONE" ? max(stored, 2) : stored
        var lower = match.range.lowerBound
        while lower > 0, match.range.lowerBound - lower < opening, text[lower - 1].scalar == "+" || text[lower - 1].scalar == "(" {
            lower -= 1
        }
        let range = lower..<match.range.upperBound
        return excluded.contains(where: { $0.overlaps(range) }) ? match : Match(range: range, entry: match.entry)
    }
}
