import Foundation
import LoomContract

/// The checks of providers: their type's required settings, limits and fallbacks.
extension MetadataValidator {
    func validateProviders() -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (name, provider) in metadata.providers.sorted(by: { $0.key < $1.key }) {
            let key = ["providers", name]
            for (index, rule) in provider.rules.enumerated() {
                if (try? NSRegularExpression(pattern: rule.when)) == nil {
                    issues.append(providersFile.issue(key: key + ["rules", "\(index)", "when"], "not a valid regular expression: \(rule.when)"))
                }
                if rule.reply == nil && rule.calls.isEmpty {
                    issues.append(providersFile.issue(key: key + ["rules", "\(index)"], "a rule needs a reply, a call, or both"))
                }
            }
            switch provider.type {
            case .scripted:
                if !provider.rules.isEmpty || provider.defaultReply != nil { break }
                issues.append(providersFile.issue(key: key, "a scripted provider needs rules or a defaultReply"))
            case .openai, .anthropic:
                if let baseURL = provider.baseURL, URL(string: baseURL)?.scheme.map({ ["http", "https"].contains($0) }) != true {
                    issues.append(providersFile.issue(key: key + ["baseURL"], "an absolute http(s) URL is required"))
                }
                if provider.apiKey == nil, provider.needsKey {
                    issues.append(providersFile.issue(key: key + ["apiKey"], "required: env:NAME or file:/path, read by the gateway only"))
                }
                if provider.moderationModel != nil, provider.type != .openai {
                    issues.append(providersFile.issue(key: key + ["moderationModel"], "only openai-style providers have a moderation endpoint"))
                }
            }
            if let reference = provider.apiKey, !reference.isIndirect {
                issues.append(providersFile.issue(
                    key: key + ["apiKey"], "a provider key must not be written into metadata; use env:NAME or file:/path, read by the gateway only"))
            }
            issues += validateProviderSettings(provider, key: key, name: name)
        }
        issues += providerKeysUsedElsewhere()
        return issues
    }

    func validateProviderSettings(_ provider: ProviderConfig, key: [String], name: String) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        if provider.timeouts.connectSeconds <= 0 || provider.timeouts.totalSeconds <= 0 {
            issues.append(providersFile.issue(key: key + ["timeouts"], "timeouts must be positive"))
        }
        if provider.retries.maxAttempts < 1 || provider.retries.maxAttempts > 10 {
            issues.append(providersFile.issue(key: key + ["retries", "maxAttempts"], "must be between 1 and 10"))
        }
        if provider.retries.baseDelayMilliseconds < 0 || provider.retries.maxDelayMilliseconds < provider.retries.baseDelayMilliseconds {
            issues.append(providersFile.issue(key: key + ["retries"], "delays must be non-negative, the maximum at least the base"))
        }
        let limits = [("concurrency", provider.limits.concurrency), ("requestsPerMinute", provider.limits.requestsPerMinute),
                      ("tokensPerMinute", provider.limits.tokensPerMinute)]
        for (field, value) in limits where (value ?? 1) < 1 {
            issues.append(providersFile.issue(key: key + ["limits", field], "must be at least 1"))
        }
        if provider.limits.queueTimeoutSeconds <= 0 {
            issues.append(providersFile.issue(key: key + ["limits", "queueTimeoutSeconds"], "must be positive"))
        }
        if let prices = provider.prices, prices.inputPerMillion < 0 || prices.outputPerMillion < 0 {
            issues.append(providersFile.issue(key: key + ["prices"], "prices must not be negative"))
        }
        for (index, fallback) in provider.fallback.enumerated() {
            if fallback == name {
                issues.append(providersFile.issue(key: key + ["fallback", "\(index)"], "a provider cannot be its own fallback"))
            } else if metadata.providers[fallback] == nil {
                issues.append(providersFile.issue(key: key + ["fallback", "\(index)"], "unknown provider '\(fallback)'"))
            }
        }
        return issues
    }
}
