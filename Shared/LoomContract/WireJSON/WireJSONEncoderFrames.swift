import Foundation

/// One open container in the encoder's buffer.
struct WireEncodingFrame {
    enum Kind {
        case keyed, unkeyed
        /// Where a `superEncoder()` writes its value: `{}` if it writes nothing, as in Foundation.
        case slot
    }

    let kind: Kind
    let id: Int
    /// Offset of the `{` or `[`; for a slot, of its value.
    let start: Int
    /// Keyed: the index in `entries` of this container's first entry.
    let entryBase: Int
    var count = 0
    /// Whether the entries so far arrived in strictly increasing key order.
    var sorted = true
    /// A key with escapes or non-ASCII bytes: duplicates must then be found by String equality.
    var hasWideKey = false
    /// The entry this frame is the value of, when its parent is keyed.
    var parentEntry: WireKeyedEntry?
}

/// A `"key":value` run in the buffer. Plain integers only, so the stacks of entries and
/// frames are copied and dropped without reference counting.
struct WireKeyedEntry {
    /// Offset of the key's opening quote, and the offset just past the value.
    var start: Int
    var end = 0
    /// The key's UTF-8 length when it was written unescaped (its bytes follow `start`), else -1.
    var keyLength: Int
    /// For an escaped key, whose bytes in the buffer are not its UTF-8: its index in `escapedKeys`.
    var escapedKey: Int
    var isWide: Bool
}

/// Where an entry or element began, to close it or to take it back when its value throws.
struct WireWriteMark {
    let frameIndex: Int
    let rollbackOffset: Int
    let framesCount: Int
    let entriesCount: Int
    let depth: Int
    var entry: WireKeyedEntry?
}

extension WireJSONEncoderState {
    /// The index of frame `id` once every frame above it is closed; nil (and Foundation encodes
    /// instead) when that frame is closed already or belongs to a value encoding around this one.
    func makeTop(_ id: Int) -> Int? {
        var index = frames.count - 1
        while index >= scopeFrameBase, frames[index].id != id { index -= 1 }
        guard index >= scopeFrameBase, id >= 0 else {
            needsFoundation = true
            return nil
        }
        while frames.count - 1 > index { closeTopFrame() }
        return index
    }

    func openFrame(_ kind: WireEncodingFrame.Kind, parentEntry: WireKeyedEntry?) -> Int {
        switch kind {
        case .keyed: bytes.append(WireJSONText.openBrace)
        case .unkeyed: bytes.append(WireJSONText.openBracket)
        case .slot: break
        }
        if kind != .slot {
            containerDepth += 1
            if containerDepth >= 512 { depthExceeded = true }
        }
        let id = nextFrameID
        nextFrameID += 1
        let start = kind == .slot ? bytes.count : bytes.count - 1
        frames.append(WireEncodingFrame(
            kind: kind, id: id, start: start, entryBase: entries.count, parentEntry: parentEntry))
        return id
    }

    func closeTopFrame() {
        guard let frame = frames.popLast() else { return }
        switch frame.kind {
        case .keyed:
            bytes.append(WireJSONText.closeBrace)
            // The guard only keeps a broken stack from trapping; entries never fall below an open frame's.
            if entries.count >= frame.entryBase {
                if !frame.sorted || frame.hasWideKey { putInKeyOrder(frame) }
                entries.removeSubrange(frame.entryBase...)
            }
            containerDepth -= 1
        case .unkeyed:
            bytes.append(WireJSONText.closeBracket)
            containerDepth -= 1
        case .slot:
            if bytes.count == frame.start { bytes.append(contentsOf: WireJSONText.emptyObject) }
        }
        if var entry = frame.parentEntry, let parentIndex = frames.indices.last {
            entry.end = bytes.count
            appendEntry(entry, toFrameAt: parentIndex)
        }
    }

    /// The comma, key and colon of a new entry of keyed frame `id`.
    func beginEntry(in id: Int, key: String) -> WireWriteMark? {
        guard let index = makeTop(id) else { return nil }
        let rollback = bytes.count
        if frames[index].count > 0 { bytes.append(WireJSONText.comma) }
        frames[index].count += 1
        let start = bytes.count
        let written = WireJSONText.appendString(key, to: &bytes)
        bytes.append(WireJSONText.colon)
        var escapedKey = -1
        if !written.verbatim {
            escapedKey = escapedKeys.count
            escapedKeys.append(key)
        }
        let entry = WireKeyedEntry(
            start: start, keyLength: written.verbatim ? written.length : -1, escapedKey: escapedKey,
            isWide: !written.verbatim || !written.ascii)
        return WireWriteMark(
            frameIndex: index, rollbackOffset: rollback, framesCount: frames.count, entriesCount: entries.count,
            depth: containerDepth, entry: entry)
    }

    func endEntry(_ mark: WireWriteMark) {
        guard var entry = mark.entry else { return }
        entry.end = bytes.count
        appendEntry(entry, toFrameAt: mark.frameIndex)
    }

    /// The comma before a new element of unkeyed frame `id`.
    func beginElement(in id: Int) -> WireWriteMark? {
        guard let index = makeTop(id) else { return nil }
        let rollback = bytes.count
        if frames[index].count > 0 { bytes.append(WireJSONText.comma) }
        frames[index].count += 1
        return WireWriteMark(
            frameIndex: index, rollbackOffset: rollback, framesCount: frames.count, entriesCount: entries.count,
            depth: containerDepth, entry: nil)
    }

    /// The current end of everything, for a single value that may throw.
    func markHere() -> WireWriteMark {
        WireWriteMark(
            frameIndex: -1, rollbackOffset: bytes.count, framesCount: frames.count, entriesCount: entries.count,
            depth: containerDepth, entry: nil)
    }

    /// Takes back an entry or element whose value threw, so a caller that catches the error
    /// leaves the container as Foundation's would be: without it.
    func rollBack(_ mark: WireWriteMark) {
        if frames.count > mark.framesCount { frames.removeSubrange(mark.framesCount...) }
        if entries.count > mark.entriesCount { entries.removeSubrange(mark.entriesCount...) }
        if bytes.count > mark.rollbackOffset { bytes.removeSubrange(mark.rollbackOffset...) }
        if mark.frameIndex >= 0, mark.frameIndex < frames.count { frames[mark.frameIndex].count -= 1 }
        containerDepth = mark.depth
    }

    private func appendEntry(_ entry: WireKeyedEntry, toFrameAt index: Int) {
        if entries.count > frames[index].entryBase, let last = entries.last, !keyPrecedes(last, entry) {
            frames[index].sorted = false
        }
        if entry.isWide { frames[index].hasWideKey = true }
        entries.append(entry)
    }

    /// Rewrites a closed keyed container's entries in sorted order, in place: the region
    /// between the braces holds exactly its entries and the commas between them.
    private func putInKeyOrder(_ frame: WireEncodingFrame) {
        var order = Array(entries[frame.entryBase...])
        if frame.hasWideKey {
            order.sort { keyPrecedes($0, $1) }
        } else {
            // Every key verbatim: compare in the buffer, with one access to it for the whole sort.
            bytes.withUnsafeBufferPointer { text in order.sort { Self.bytesPrecede(text, $0, $1) } }
        }
        for (lower, upper) in zip(order, order.dropFirst()) where !keyPrecedes(lower, upper) {
            needsFoundation = true  // the same key twice: Foundation keeps the last value
            return
        }
        if frame.hasWideKey {
            var seen = Set<String>()
            for entry in order where !seen.insert(keyText(entry)).inserted {
                needsFoundation = true  // canonically equal keys are one key to a Swift Dictionary
                return
            }
        }
        guard !frame.sorted else { return }
        let regionStart = frame.start + 1
        let regionEnd = bytes.count - 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[regionStart..<regionEnd])
        var cursor = regionStart
        for (position, entry) in order.enumerated() {
            if position > 0 {
                bytes[cursor] = WireJSONText.comma
                cursor += 1
            }
            let length = entry.end - entry.start
            let from = entry.start - regionStart
            bytes.replaceSubrange(cursor..<(cursor + length), with: scratch[from..<(from + length)])
            cursor += length
        }
    }

    /// `.sortedKeys` on Linux: the keys' UTF-8 bytes compared lexicographically.
    func keyPrecedes(_ lhs: WireKeyedEntry, _ rhs: WireKeyedEntry) -> Bool {
        if lhs.keyLength >= 0, rhs.keyLength >= 0 {
            return bytes.withUnsafeBufferPointer { Self.bytesPrecede($0, lhs, rhs) }
        }
        return keyText(lhs).utf8.lexicographicallyPrecedes(keyText(rhs).utf8)
    }

    /// Two verbatim keys compared where they were written (just after their opening quotes).
    private static func bytesPrecede(
        _ text: UnsafeBufferPointer<UInt8>, _ lhs: WireKeyedEntry, _ rhs: WireKeyedEntry
    ) -> Bool {
        guard let base = text.baseAddress else { return false }
        let order = memcmp(base + lhs.start + 1, base + rhs.start + 1, Swift.min(lhs.keyLength, rhs.keyLength))
        return order != 0 ? order < 0 : lhs.keyLength < rhs.keyLength
    }

    private func keyText(_ entry: WireKeyedEntry) -> String {
        if entry.escapedKey >= 0 { return escapedKeys[entry.escapedKey] }
        return String(decoding: bytes[(entry.start + 1)..<(entry.start + 1 + entry.keyLength)], as: UTF8.self)
    }
}
