import LoomConfig

extension TrustSettings.MaskingPreset {
    /// How strictly a preset masks: `off` < `standard` < `strict`.
    var strictness: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The stricter of two presets: what a child execution masks with under a parent, so that
    /// masking never weakens down a chain of agents.
    static func strictest(_ first: Self, _ second: Self) -> Self {
        first.strictness >= second.strictness ? first : second
    }
}
