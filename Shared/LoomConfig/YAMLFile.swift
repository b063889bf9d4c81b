import Foundation
import LoomContract
import Yams

/// A metadata file read from disk: its text, its node tree (for line numbers) and a decoder.
struct YAMLFile {
    let path: String
    let displayName: String
    let text: String
    let root: Node?

    init(path: String, displayName: String) throws(ConfigError) {
        self.path = path
        self.displayName = displayName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(issues: [ConfigIssue(file: displayName, key: "", message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(file: displayName, key: "", message: "not UTF-8 text")])
        }
        self.text = text
        if let violation = YAMLLimits().check(text) {
            let issue = ConfigIssue(file: displayName, key: "", line: violation.line, message: violation.message)
            throw ConfigError(issues: [issue])
        }
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(issues: [ConfigIssue(file: displayName, key: "", line: Self.line(of: error), message: "not valid YAML: \(Self.brief(error))")])
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: displayName, key: "", message: "not valid YAML: \(Self.brief(error))")])
        }
    }

    func decode<T: Decodable>(_ type: T.Type) throws(ConfigError) -> T {
        do {
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as DecodingError {
            throw ConfigError(issues: [issue(for: error)])
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: displayName, key: "", message: "\(error)")])
        }
    }

    func issue(key: [String], _ message: String) -> ConfigIssue {
        ConfigIssue(file: displayName, key: key.joined(separator: "."), line: line(at: key), message: message)
    }

    private func issue(for error: DecodingError) -> ConfigIssue {
        switch error {
        case .keyNotFound(let key, let context):
            let path = Self.keys(context.codingPath)
            return ConfigIssue(
                file: displayName, key: (path + [key.stringValue]).joined(separator: "."), line: line(at: path),
                message: "required key is missing")
        case .typeMismatch(let type, let context):
            return issue(key: Self.keys(context.codingPath), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return issue(key: Self.keys(context.codingPath), "expected \(Self.describe(type)), found nothing")
        case .dataCorrupted(let context):
            return issue(key: Self.keys(context.codingPath), Self.explain(context.debugDescription))
        @unknown default:
            return ConfigIssue(file: displayName, key: "", message: "\(error)")
        }
    }

    /// The 1-based line of the node at `path`, or of its nearest existing ancestor.
    func line(at path: [String]) -> Int? {
        var node = root
        var lastLine = root?.mark?.line
        for component in path {
            guard let current = node else { break }
            if let mapping = current.mapping, let child = mapping[component] {
                let keyLine = mapping.first(where: { $0.key.string == component })?.key.mark?.line
                node = child
                lastLine = keyLine ?? child.mark?.line ?? lastLine
            } else if let sequence = current.sequence, let index = Int(component), index < sequence.count {
                node = sequence[index]
                lastLine = sequence[index].mark?.line ?? lastLine
            } else {
                break
            }
        }
        return lastLine
    }

    static func keys(_ path: [any CodingKey]) -> [String] {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a \(String(describing: type).lowercased())"
        }
    }

    /// Turns Swift's "Cannot initialize X from invalid String value y" into something an operator reads.
    static func explain(_ message: String) -> String {
        if let range = message.range(of: "from invalid String value ") {
            let value = message[range.upperBound...].trimmingCharacters(in: .whitespaces)
            let typeName = message.components(separatedBy: " ").dropFirst(2).first ?? ""
            if let allowed = allowedValues[typeName] {
                return "unknown value '\(value)' (expected one of: \(allowed.joined(separator: ", ")))"
            }
            return "unknown value '\(value)'"
        }
        return message
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    /// Allowed values of the configuration's enumerations, for error messages.
    static let allowedValues: [String: [String]] = [
        "Channel": Channel.allCases.map(\.rawValue),
        "RuntimeStrategy": RuntimeStrategy.allCases.map(\.rawValue),
        "Strategy": MemoryPolicy.Strategy.allCases.map(\.rawValue),
        "MaskingPreset": TrustSettings.MaskingPreset.allCases.map(\.rawValue),
        "ProviderType": ProviderConfig.ProviderType.allCases.map(\.rawValue),
        "DeliveryPolicy": ChannelEndpoint.DeliveryPolicy.allCases.map(\.rawValue),
        "Role": ClientToken.Role.allCases.map(\.rawValue),
    ]

    /// The parser's own words without the file excerpt it appends (the line is reported apart).
    static func brief(_ error: any Error) -> String {
        let text = "\(error)"
        return (text.components(separatedBy: "\nContext:").first ?? text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
