import Yams

/// One key a configuration file's mapping may hold, and what its value does to the
/// configuration being read (`Root`).
struct ConfigurationKey<Root> {
    /// The name in the file.
    let name: String
    /// Reads the value and applies it.
    let apply: (inout Root, Node, ConfigurationReader) throws -> Void

    /// A key whose value, read by `read` (a `ConfigurationReader` method), sets `path`.
    static func value<Value>(_ name: String, _ path: WritableKeyPath<Root, Value>,
                             _ read: @escaping (ConfigurationReader) -> (Node, String) throws -> Value) -> Self {
        Self(name: name) { root, node, reader in root[keyPath: path] = try read(reader)(node, name) }
    }

    /// A key whose value, read by `read`, must be `expected`: a setting BERTKit has only one
    /// way of (Hugging Face's `hidden_act: gelu`).
    static func fixed<Value: Equatable>(_ name: String, _ expected: Value,
                                        _ read: @escaping (ConfigurationReader) -> (Node, String) throws -> Value) -> Self {
        Self(name: name) { _, node, reader in
            let value = try read(reader)(node, name)
            guard value == expected else {
                throw reader.error(at: node, "\(reader.prefix)\(name): only \(expected) is supported, not \(value)")
            }
        }
    }

    /// A key whose value, of any type, changes nothing that BERTKit trains (Hugging Face's
    /// `architectures`, `transformers_version`, …).
    static func ignored(_ name: String) -> Self { Self(name: name) { _, _, _ in } }
}
