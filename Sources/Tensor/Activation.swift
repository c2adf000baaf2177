/// An elementwise nonlinearity with its derivative.
public enum Activation: Sendable, Hashable {
    /// The exact GELU, x·Φ(x) with Φ the standard normal distribution function (erf form).
    case gelu
    /// The hyperbolic tangent (BERT's pooler).
    case tanh
    /// max(x, 0) (CharacterBERT's CNN and highway layers).
    case relu
    /// 1 / (1 + e^-x) (the highway gates).
    case sigmoid
}
