/// One named parameter: where it lies in a `ParameterStore`'s flat buffers, and how it is
/// treated.
public struct Parameter: Sendable, Hashable {
    /// The Hugging Face state-dict name, such as "bert.encoder.layer.0.output.dense.weight".
    public let name: String
    /// The Hugging Face shape ([out, in] for a linear layer's weight).
    public let shape: Shape
    /// The position of the first element in the flat buffers, in elements (a multiple of 16).
    public let offset: Int
    /// How its values start.
    public let initializer: Initializer

    /// The number of elements.
    public var count: Int { shape.count }

    /// Whether weight decay applies: not to biases and LayerNorm parameters, recognised as
    /// NVIDIA's BERT recipe does, by a name containing "bias", "gamma", "beta" or "LayerNorm".
    public var decays: Bool {
        !["bias", "gamma", "beta", "LayerNorm"].contains { name.contains($0) }
    }
}

/// A handle on a parameter registered in a `ParameterStore`.
public struct ParameterID: Sendable, Hashable {
    /// The parameter's position in registration order.
    public let index: Int
}
