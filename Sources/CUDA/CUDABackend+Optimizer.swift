import Tensor

extension CUDABackend {
    // Kernels: optimizer.cu. Shapes: parameters, gradients, firstMoments, secondMoments [N];
    // segments within 0..<N, in order. One block per chunk (see `OptimizerPlan`).

    public func adamW(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                      firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let (plan, arguments) = stepArguments(step, [parameters, gradients, firstMoments, secondMoments], segments, "adamW")
        device.launch("adamw_step", blocks: plan.chunkCount, threads: 256, arguments)
    }

    public func lamb(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                     firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let (plan, arguments) = stepArguments(step, [parameters, gradients, firstMoments, secondMoments], segments, "lamb")
        device.launch("lamb_update", blocks: plan.chunkCount, threads: 256, arguments + [.address(plan.squares.address)])
        device.launch("lamb_rates", blocks: (segments.count + 255) / 256, threads: 256,
                      [.address(plan.squares.address), .address(plan.firstChunk.address), .address(plan.chunkCounts.address),
                       .address(plan.decays.address), .int(segments.count), .float(step.learningRate), .float(step.weightDecay),
                       .address(plan.rates.address)])
        device.launch("lamb_apply", blocks: plan.chunkCount, threads: 256,
                      [.address(parameters.address), .address(gradients.address), .address(plan.chunks.address),
                       .address(plan.rates.address)])
    }

    /// The plan of `segments` and the arguments the step kernels begin with (p, g, m, v, the
    /// chunk table, the decay flags, the scalars), checking that the buffers (parameters,
    /// gradients, first and second moments) have equal float32 counts.
    private func stepArguments(_ step: AdamStep, _ buffers: [Tensor], _ segments: [ParameterSegment],
                               _ role: StaticString) -> (OptimizerPlan, [KernelArgument]) {
        for buffer in buffers {
            expectCount(buffer, buffers[0].count, role)
            precondition(buffer.dtype == .float32, "\(role): expected float32 buffers")
        }
        let plan = optimizerPlan(segments, count: buffers[0].count)
        return (plan, buffers.map { .address($0.address) } + [.address(plan.chunks.address), .address(plan.decays.address),
                                                               Self.scalars(step)])
    }

    /// optimizer.cu's `AdamScalars` of a step: β and 1 − β each rounded from double, 1/c1, 1/c2.
    private static func scalars(_ step: AdamStep) -> KernelArgument {
        .floats([step.learningRate, Float(step.beta1), Float(step.beta2), Float(1 - step.beta1), Float(1 - step.beta2),
                 step.epsilon, step.weightDecay, step.gradientScale, 1 / step.firstCorrection, 1 / step.secondCorrection])
    }
}
