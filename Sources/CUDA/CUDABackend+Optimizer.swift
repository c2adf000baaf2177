import Tensor

extension CUDABackend {
    // Kernels: optimizer.cu. Shapes: parameters, gradients, firstMoments, secondMoments [N];
    // segments within 0..<N, in order. One block per chunk (see `OptimizerPlan`).

    public func adamW(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                      firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let plan = checkedPlan(segments, [parameters, gradients, firstMoments, secondMoments], "adamW")
        device.launch("adamw_step", blocks: plan.chunkCount, threads: 256,
                      [.address(parameters.address), .address(gradients.address), .address(firstMoments.address),
                       .address(secondMoments.address), .address(plan.chunks.address), .address(plan.decays.address),
                       Self.scalars(step)])
    }

    public func lamb(_ step: AdamStep, parameters: Tensor, gradients: Tensor,
                     firstMoments: Tensor, secondMoments: Tensor, segments: [ParameterSegment]) {
        let plan = checkedPlan(segments, [parameters, gradients, firstMoments, secondMoments], "lamb")
        device.launch("lamb_update", blocks: plan.chunkCount, threads: 256,
                      [.address(parameters.address), .address(gradients.address), .address(firstMoments.address),
                       .address(secondMoments.address), .address(plan.chunks.address), .address(plan.decays.address),
                       Self.scalars(step), .address(plan.squares.address)])
        device.launch("lamb_rates", blocks: (segments.count + 255) / 256, threads: 256,
                      [.address(plan.squares.address), .address(plan.firstChunk.address), .address(plan.chunkCounts.address),
                       .address(plan.decays.address), .int(segments.count), .float(step.learningRate), .float(step.weightDecay),
                       .address(plan.rates.address)])
        device.launch("lamb_apply", blocks: plan.chunkCount, threads: 256,
                      [.address(parameters.address), .address(gradients.address), .address(plan.chunks.address),
                       .address(plan.rates.address)])
    }

    /// The plan of `segments`, checking that the four buffers have equal float32 counts.
    private func checkedPlan(_ segments: [ParameterSegment], _ buffers: [Tensor], _ role: StaticString) -> OptimizerPlan {
        for buffer in buffers {
            expectCount(buffer, buffers[0].count, role)
            precondition(buffer.dtype == .float32, "\(role): expected float32 buffers")
        }
        return optimizerPlan(segments, count: buffers[0].count)
    }

    /// optimizer.cu's `AdamScalars` of a step: β and 1 − β each rounded from double, 1/c1, 1/c2.
    private static func scalars(_ step: AdamStep) -> KernelArgument {
        .floats([step.learningRate, Float(step.beta1), Float(step.beta2), Float(1 - step.beta1), Float(1 - step.beta2),
                 step.epsilon, step.weightDecay, step.gradientScale, 1 / step.firstCorrection, 1 / step.secondCorrection])
    }
}
