import Support

/// All of a model's parameters in one flat float32 buffer, and their gradients in a second
/// buffer of the same layout, each parameter a named view.
///
/// A model registers its parameters in order (the Hugging Face state-dict order), then the
/// store is allocated once; optimizers, gradient clipping, all-reduce and checkpoints work on
/// the flat buffers, layers on the views. Each parameter starts at a multiple of 16 elements;
/// the gaps between them are zero in both buffers.
public final class ParameterStore {
    /// The parameters in registration order.
    public private(set) var parameters: [Parameter] = []
    /// The length of each flat buffer in elements, gaps included.
    public private(set) var count = 0
    private var indexByName: [String: Int] = [:]
    private var buffers: (backend: Backend, values: Tensor, gradients: Tensor)?

    public init() {}

    /// Adds a parameter at the end of the layout and returns its handle.
    /// Names must be unique, and registration must come before `allocate`.
    @discardableResult
    public func register(_ name: String, _ shape: Shape, initializer: Initializer) -> ParameterID {
        precondition(buffers == nil, "register \(name) after allocate")
        precondition(indexByName[name] == nil, "parameter \(name) registered twice")
        let offset = (count + 15) / 16 * 16
        parameters.append(Parameter(name: name, shape: shape, offset: offset, initializer: initializer))
        indexByName[name] = parameters.count - 1
        count = offset + shape.count
        return ParameterID(index: parameters.count - 1)
    }

    /// Allocates the two flat buffers (zero-filled) on `backend`; after this no parameter can
    /// be added.
    public func allocate(on backend: Backend) {
        precondition(buffers == nil, "parameter store allocated twice")
        buffers = (backend, backend.allocate([count], dtype: .float32), backend.allocate([count], dtype: .float32))
    }

    /// The backend the buffers live on.
    public var backend: Backend { allocated.backend }
    /// The flat buffer of every parameter's values.
    public var values: Tensor { allocated.values }
    /// The flat buffer of every parameter's gradient, laid out like `values`.
    public var gradients: Tensor { allocated.gradients }

    /// Every parameter's place in the flat buffers and whether it decays, in registration
    /// order: what the optimizer steps of a `Backend` take.
    public var segments: [ParameterSegment] {
        parameters.map { ParameterSegment(offset: $0.offset, count: $0.count, decays: $0.decays) }
    }

    /// The handle of the parameter called `name`, if there is one.
    public func id(named name: String) -> ParameterID? { indexByName[name].map(ParameterID.init) }

    /// The parameter behind a handle.
    public subscript(id: ParameterID) -> Parameter { parameters[id.index] }

    /// The view of a parameter's values, in its own shape.
    public func value(_ id: ParameterID) -> Tensor { view(of: values, id) }

    /// Every parameter's view of `values` under its name, in registration order: what a
    /// checkpoint writes, and what reading one back writes into.
    public var namedValues: [(name: String, tensor: Tensor)] {
        parameters.map { ($0.name, values.view(at: $0.offset, $0.shape)) }
    }

    /// The view of a parameter's gradient, in its own shape.
    public func gradient(_ id: ParameterID) -> Tensor { view(of: gradients, id) }

    /// Sets every parameter to its initial values, in registration order; the normal draws
    /// come from `generator`, so equal seeds give equal models.
    public func initialize(generator: inout SeededGenerator) {
        for (index, parameter) in parameters.enumerated() {
            backend.write(parameter.initializer.values(count: parameter.count, generator: &generator),
                          to: value(ParameterID(index: index)))
        }
    }

    /// Sets every gradient to zero, before a step's first micro-batch.
    public func zeroGradients() { backend.fill(gradients, with: 0) }

    private var allocated: (backend: Backend, values: Tensor, gradients: Tensor) {
        guard let buffers else { preconditionFailure("parameter store used before allocate") }
        return buffers
    }

    private func view(of buffer: Tensor, _ id: ParameterID) -> Tensor {
        let parameter = parameters[id.index]
        return buffer.view(at: parameter.offset, parameter.shape)
    }
}
