/// Writes a JSON object member by member in the order they are added, as the configuration
/// files of Hugging Face directories are laid out: one member per line, indented by two
/// spaces. A nested value is added as JSON text (another writer's `compact`).
public struct JSONObjectWriter: Sendable {
    private var members: [(key: String, json: String)] = []

    /// An object with no members yet.
    public init() {}

    /// Adds a member whose value is the JSON text `json`, taken as it is.
    public mutating func add(_ key: String, json: String) {
        members.append((key, json))
    }

    /// Adds a string member.
    public mutating func add(_ key: String, _ value: String) {
        add(key, json: Self.quoted(value))
    }

    /// Adds an integer member.
    public mutating func add(_ key: String, _ value: Int) {
        add(key, json: String(value))
    }

    /// Adds a number member, written as the shortest decimal that reads back to `value`
    /// (0.1, 1e-12), which must be finite.
    public mutating func add(_ key: String, _ value: Float) {
        precondition(value.isFinite, "JSON has no number for \(value) (member \(key))")
        add(key, json: "\(value)")
    }

    /// Adds a `true` or `false` member.
    public mutating func add(_ key: String, _ value: Bool) {
        add(key, json: value ? "true" : "false")
    }

    /// Adds a list of strings.
    public mutating func add(_ key: String, _ values: [String]) {
        add(key, json: "[" + values.map(Self.quoted).joined(separator: ", ") + "]")
    }

    /// Adds the members of `other` after these.
    public mutating func add(contentsOf other: JSONObjectWriter) {
        members += other.members
    }

    /// The object, one member per line, with a final newline.
    public var text: String {
        guard !members.isEmpty else { return "{}\n" }
        return "{\n" + members.map { "  \(Self.quoted($0.key)): \($0.json)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// The object on one line, to nest in another.
    public var compact: String {
        "{" + members.map { "\(Self.quoted($0.key)): \($0.json)" }.joined(separator: ", ") + "}"
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONString.append(text.utf8, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
