import CUDA
import Model
import Support
import Tensor

/// One training step of a model on two backends from the same weights, batch and dropout
/// seed, compared: the self-test's end-to-end check of the CUDA backend against the CPU's.
///
/// The step is the benchmark's (`TrainStepBenchmark`): zero the gradients, forward with
/// dropout (the backends draw identical masks), backward. Tolerances: the loss within 1e-2 of
/// the reference's (relative), the whole gradient within 5e-2 in norm (‖g − g_ref‖ / ‖g_ref‖):
/// the products round their inputs to bfloat16, and the rounding accumulates through the
/// layers, most in the embeddings' and first layers' gradients.
public enum TrainingStepComparison {
    /// The loss tolerance (relative).
    public static let lossTolerance = 1e-2
    /// The gradient tolerance (relative, in L2 norm).
    public static let gradientTolerance = 5e-2

    /// Runs the step of `configuration` on batches of `batchSize` × `sequenceLength` on both
    /// backends and returns the checks of the loss and of the gradients, named after `name`;
    /// the gradient check names the parameter whose gradient differs most (with its part of
    /// the error).
    public static func compare(_ configuration: BertConfiguration, name: String, reference: Backend, candidate: Backend,
                               batchSize: Int = 2, sequenceLength: Int = 16, seed: UInt64 = 7) throws -> [KernelCheck] {
        let benchmark = try TrainStepBenchmark(configuration: configuration, batchSize: batchSize, sequenceLength: sequenceLength,
                                               steps: 1, warmupSteps: 0, seed: seed)
        var generator = SeededGenerator(seed: seed)
        let batch = benchmark.randomBatch(generator: &generator)
        let (referenceLoss, referenceGradients, parameters) = try step(configuration, batch, on: reference, seed: seed)
        let (loss, gradients, _) = try step(configuration, batch, on: candidate, seed: seed)
        // The parameter whose gradient differs most, by its share of the whole difference
        // (a relative error per parameter would single out gradients that are zero in theory,
        // such as the attention keys' bias).
        var worst = (name: "", difference: 0.0)
        var (difference, norm) = (0.0, 0.0)
        for parameter in parameters {
            var parameterDifference = 0.0
            for i in parameter.offset ..< parameter.offset + parameter.count {
                let (value, expected) = (Double(gradients[i]), Double(referenceGradients[i]))
                parameterDifference += (value - expected) * (value - expected)
                norm += expected * expected
            }
            difference += parameterDifference
            if !(parameterDifference <= worst.difference) { worst = (parameter.name, parameterDifference) }
        }
        return [
            KernelCheck(name: "\(name) step: loss \(loss) against \(referenceLoss)",
                        error: abs(Double(loss - referenceLoss)) / max(abs(Double(referenceLoss)), 1e-30), tolerance: lossTolerance),
            KernelCheck(name: "\(name) step: gradients, by L2 norm (most in \(worst.name): "
                        + "\((worst.difference / max(norm, 1e-30)).squareRoot()))",
                        error: (difference / max(norm, 1e-30)).squareRoot(), tolerance: gradientTolerance),
        ]
    }

    /// The loss and the flat gradients of one step, and the parameters' places in them.
    private static func step(_ configuration: BertConfiguration, _ batch: PretrainingInputs, on backend: Backend,
                             seed: UInt64) throws -> (Float, [Float], [Parameter]) {
        let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: seed)
        model.parameters.zeroGradients()
        let loss = try model.forward(batch, training: true).total
        model.backward()
        return (loss, backend.floats(model.parameters.gradients), model.parameters.parameters)
    }
}
