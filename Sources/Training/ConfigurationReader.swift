import Support
import Yams

/// Reads the values of a configuration file's YAML nodes, with errors that name the file, the
/// line and the key.
struct ConfigurationReader {
    /// The file the nodes come from.
    let file: String
    /// What comes before a key's name in messages: "" at the top, "character_cnn." inside.
    let prefix: String

    /// Applies each key of the mapping at `node` to `root`; a key that is not one of `keys`
    /// is an error naming the closest valid key.
    func apply<Root>(_ node: Node, _ keys: [ConfigurationKey<Root>], to root: inout Root, what: String) throws {
        guard let mapping = node.mapping else { throw error(at: node, "expected \(what), a mapping of keys to values") }
        for (keyNode, value) in mapping {
            let name = try string(keyNode, "a key")
            guard let key = keys.first(where: { $0.name == name }) else {
                let closest = EditDistance.closest(to: name, among: keys.map(\.name)).map { "; the closest valid key is '\(prefix)\($0)'" }
                throw error(at: keyNode, "unknown key '\(prefix)\(name)'\(closest ?? "")")
            }
            try key.apply(&root, value, self)
        }
    }

    /// The reader of the mapping under `key`.
    func nested(_ key: String) -> ConfigurationReader { ConfigurationReader(file: file, prefix: prefix + key + ".") }

    /// An integer that `Value` holds.
    func integer<Value: FixedWidthInteger>(_ node: Node, _ key: String) throws -> Value {
        guard Self.node(node, isOneOf: .int), let value = node.int.flatMap(Value.init(exactly:)) else {
            throw wrongType(node, key, "an integer" + (Value.self == Int.self ? "" : " that fits \(Value.self)"))
        }
        return value
    }

    /// A number, integer or not, as a float.
    func number(_ node: Node, _ key: String) throws -> Float {
        guard Self.node(node, isOneOf: .float, .int), let value = node.float else {
            throw wrongType(node, key, "a number")
        }
        return Float(value)
    }

    /// true or false.
    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard Self.node(node, isOneOf: .bool), let value = node.bool else { throw wrongType(node, key, "true or false") }
        return value
    }

    /// A string.
    func string(_ node: Node, _ key: String) throws -> String {
        guard Self.node(node, isOneOf: .str), let value = node.string else { throw wrongType(node, key, "a string") }
        return value
    }

    /// A string, for a setting that may also be left unset.
    func optionalString(_ node: Node, _ key: String) throws -> String? { try string(node, key) }

    /// One of the named values of `Choice`.
    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _ key: String) throws -> Choice
    where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard let value = Choice(rawValue: try string(node, key)) else {
            throw wrongType(node, key, "one of " + names.joined(separator: ", "))
        }
        return value
    }

    /// A sequence, each element read by `element`.
    func sequence<Element>(_ node: Node, _ key: String, what: String, _ element: (Node) throws -> Element) throws -> [Element] {
        guard let sequence = node.sequence else { throw wrongType(node, key, what) }
        return try sequence.map(element)
    }

    /// Whether the resolved tag of `node` is one of `tags`.
    private static func node(_ node: Node, isOneOf tags: Tag.Name...) -> Bool {
        tags.contains { $0.rawValue == node.tag.rawValue }
    }

    /// An error at `node`'s line.
    func error(at node: Node, _ message: String) -> BERTKitError {
        BERTKitError(file: file, place: node.mark.map { "line \($0.line)" }, message)
    }

    /// The error of a value of the wrong type under `key`.
    func wrongType(_ node: Node, _ key: String, _ expected: String) -> BERTKitError {
        let found = node.scalar.map { "\"\($0.string)\"" } ?? (node.mapping != nil ? "a mapping" : "a sequence")
        return error(at: node, "\(prefix)\(key): expected \(expected), got \(found)")
    }

    /// The YAML (or JSON) document in `text`, read from `file`, nil when it is empty.
    /// - Throws: a syntax error as the CLI reports errors: file, line, problem.
    static func document(_ text: String, file: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> BERTKitError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return BERTKitError(file: file, place: "line \(mark.line)", "not valid YAML: \(context?.description ?? "")\(problem)")
        default:
            return BERTKitError(file: file, "not valid YAML: \(error)")
        }
    }
}
