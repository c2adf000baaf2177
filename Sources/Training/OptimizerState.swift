import Tensor

/// What an optimizer keeps between steps: the number of steps taken and named buffers of one
/// value per parameter element (Adam's moments), laid out like the store's flat buffers.
///
/// The buffers are allocated, zero-filled, for the store of the first `buffers(for:)` or
/// `tensors(for:)` (a step, or a checkpoint being read back), and belong to that store from
/// then on.
public final class OptimizerState {
    /// The prefixes of the checkpoint names, one per buffer (torch's "exp_avg" and "exp_avg_sq").
    public let bufferNames: [String]
    /// The number of steps taken. A checkpoint restores it; NVIDIA's phase 2 sets it back to 0,
    /// restarting the bias correction and the schedule with the moments kept.
    public var stepCount = 0
    private var allocated: (parameters: ParameterStore, buffers: [Tensor])?

    /// A state of zero steps with one buffer for each of `bufferNames`.
    public init(bufferNames: [String]) { self.bufferNames = bufferNames }

    /// The flat buffers, in the order of `bufferNames`, allocated on first use.
    public func buffers(for parameters: ParameterStore) -> [Tensor] {
        if let allocated {
            precondition(allocated.parameters === parameters, "optimizer state used with a second parameter store")
            return allocated.buffers
        }
        let buffers = bufferNames.map { _ in parameters.backend.allocate([parameters.count], dtype: .float32) }
        allocated = (parameters, buffers)
        return buffers
    }

    /// Every buffer's view of every parameter, in that parameter's shape, named
    /// "<buffer name>.<parameter name>" ("exp_avg.bert.pooler.dense.weight"): what a
    /// checkpoint writes, and what reading one back writes into. Buffers first, then parameters
    /// in registration order.
    public func tensors(for parameters: ParameterStore) -> [(name: String, tensor: Tensor)] {
        zip(bufferNames, buffers(for: parameters)).flatMap { name, buffer in
            parameters.parameters.map { parameter in
                (name + "." + parameter.name, buffer.view(at: parameter.offset, parameter.shape))
            }
        }
    }
}
