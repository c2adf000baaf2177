import Model
import Support
import Tensor

/// Times full training steps of a model on random batches: zero the gradients, forward with
/// dropout, backward, clip the global norm to 1, one AdamW step (torch.optim.AdamW's
/// defaults: lr 1e-3, β (0.9, 0.999), ε 1e-8, weight decay 0.01 except biases and LayerNorm).
///
/// The batches are random but valid, drawn from the seed, one per step: every position a real
/// token (neither BERTKit nor Hugging Face skips padding, so padding would only change the
/// loss, not the work), token type 0 in the first half of a row and 1 in the second, `⌈0.15·S⌉`
/// masked slots capped at 20 (NVIDIA's phase-1 `max_predictions_per_seq`: 20 at S = 128),
/// each labelled, at distinct positions other than the first and last, and random
/// next-sentence labels. Word ids avoid the padding id; CharacterBERT's character ids are
/// drawn from the whole character vocabulary but the padding id 0.
public struct TrainStepBenchmark: Sendable {
    /// The model trained.
    public let configuration: BertConfiguration
    /// The size of every batch.
    public let shape: BatchShape
    /// The timed steps.
    public let steps: Int
    /// The steps before the timed ones (the first allocates the activations and the moments).
    public let warmupSteps: Int
    /// The seed of the model's initial weights, its dropout and the batches.
    public let seed: UInt64

    /// The learning rate of every step, torch.optim.AdamW's default.
    public static let learningRate: Float = 1e-3
    /// The most masked slots per sequence unless a benchmark names its own cap (NVIDIA's
    /// phase 1; phase 2 has 80 at 512 tokens).
    public static let maxPredictions = 20

    /// What a run measured.
    public struct Result: Sendable {
        /// The batch size the rates are of.
        public var shape: BatchShape
        /// The mean wall time of a timed step.
        public var secondsPerStep: Double
        /// The floating-point operations of one step, as `flopsPerStep` counts them.
        public var flopsPerStep: Double
        /// The process's peak resident set at the end, nil where it cannot be read.
        public var peakResidentBytes: Int?
        /// The loss (MLM + NSP) of the last step.
        public var lastLoss: Float

        /// Tokens (padding included: B·S per step) per second.
        public var tokensPerSecond: Double { Double(shape.tokens) / secondsPerStep }
        /// The operations counted per second, in units of 10⁹.
        public var gigaflopsPerSecond: Double { flopsPerStep / secondsPerStep / 1e9 }
    }

    /// A benchmark of `steps` timed steps after `warmupSteps`, on batches of `batchSize`
    /// sequences of `sequenceLength` tokens with at most `maxPredictions` masked slots each.
    public init(configuration: BertConfiguration, batchSize: Int, sequenceLength: Int, steps: Int, warmupSteps: Int = 1,
                seed: UInt64 = 12345, maxPredictions: Int = maxPredictions) throws {
        guard batchSize >= 1, sequenceLength >= 1, steps >= 1, warmupSteps >= 0, maxPredictions >= 1 else {
            throw BERTKitError("a benchmark needs a batch, a sequence and a timed step: got batch \(batchSize), "
                               + "sequence \(sequenceLength), \(steps) steps after \(warmupSteps), "
                               + "at most \(maxPredictions) masked slots")
        }
        self.configuration = configuration
        shape = BatchShape(batchSize: batchSize, sequenceLength: sequenceLength,
                           maxPredictions: Self.maskedSlots(sequenceLength: sequenceLength, cap: maxPredictions))
        self.steps = steps
        self.warmupSteps = warmupSteps
        self.seed = seed
    }

    /// Masked slots per sequence of `sequenceLength` tokens: ⌈0.15·S⌉ capped at `cap` and at
    /// the positions other than the first and last (all positions below 3 tokens), at least 1.
    public static func maskedSlots(sequenceLength: Int, cap: Int = maxPredictions) -> Int {
        let candidates = sequenceLength >= 3 ? sequenceLength - 2 : sequenceLength
        let share = Int((0.15 * Double(sequenceLength)).rounded(.up))
        return max(1, min(cap, share, candidates))
    }

    /// The floating-point operations of one training step on a batch of `shape`, counting the
    /// matrix products only (gathers, normalisations, activations, softmax, the loss and the
    /// optimizer are left out), each weight used on n rows costing 2·n·weights forward and
    /// 4·n·weights backward (the input's and the weight's gradient):
    ///
    ///     6·(B·S·(Wₑ + W_c) + B·P·W_m + B·W_n) + 3·L·4·B·h·S²·d
    ///
    /// with B sequences of S tokens, P masked slots each, L layers of h heads of width d,
    /// hidden size H, feed-forward size I, vocabulary V and
    /// - Wₑ = L·(4·H² + 2·H·I): the query, key, value, attention-output, intermediate and
    ///   output weights of every layer, used at every token;
    /// - W_m = H² + V·H: the MLM transform and decoder, used at the masked slots only;
    /// - W_n = H² + 2·H: the pooler and the next-sentence classifier, at each [CLS] (0 for an
    ///   MLM-only model);
    /// - W_c = 0 for BERT; for CharacterBERT, per token, Σᵢ (C − wᵢ + 1)·E·wᵢ·fᵢ for the
    ///   convolutions (C characters of embedding E, filters fᵢ of width wᵢ, each a product
    ///   over its C − wᵢ + 1 windows) + k·D·2D for k highway layers + D·H for the projection
    ///   (D = Σᵢ fᵢ);
    /// - 4·B·h·S²·d: attention's two batched products (scores QKᵀ and probabilities·V) forward,
    ///   tripled for forward and backward.
    ///
    /// This is the model's nominal count, as REFERENCE.md §8's ~70 GFLOP a BERT-base sequence:
    /// the rows of the last layer that BertForPreTraining skips when the heads read only some
    /// rows are counted, so GFLOP/s is the rate of the model, above the products' own rate.
    public static func flopsPerStep(_ configuration: BertConfiguration, _ shape: BatchShape) -> Double {
        let (h, i, v) = (Double(configuration.hiddenSize), Double(configuration.intermediateSize),
                         Double(configuration.vocabularySize))
        let layers = Double(configuration.layers)
        let (b, s, p) = (Double(shape.batchSize), Double(shape.sequenceLength), Double(shape.maxPredictions))
        let encoder = layers * (4 * h * h + 2 * h * i)
        let maskedLanguageModel = h * h + v * h
        let nextSentence = configuration.nextSentencePrediction ? h * h + 2 * h : 0
        var characterCNN = 0.0
        if let cnn = configuration.characterCNN {
            let (c, e, d) = (Double(cnn.charactersPerToken), Double(cnn.characterEmbeddingSize), Double(cnn.filterCount))
            let convolutions = cnn.filters.reduce(0.0) { total, filter in
                let (w, f) = (Double(filter.width), Double(filter.count))
                return total + (c - w + 1) * e * w * f
            }
            characterCNN = convolutions + Double(cnn.highwayLayers) * d * 2 * d + d * h
        }
        let attention = 3 * layers * 4 * b * Double(configuration.attentionHeads) * s * s * Double(configuration.headSize)
        return 6 * (b * s * (encoder + characterCNN) + b * p * maskedLanguageModel + b * nextSentence) + attention
    }

    /// Makes the model on `backend`, runs the warm-up and timed steps, and reports.
    public func run(on backend: Backend) throws -> Result {
        let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: seed)
        let optimizer = AdamW()
        let clipping = GradientClipping(maxNorm: 1)
        var generator = SeededGenerator(seed: seed ^ 0xBA7C_4E5B_A7C4_E5BA)
        var (seconds, loss) = (0.0, Float.nan)
        for step in 0..<warmupSteps + steps {
            let batch = randomBatch(generator: &generator)
            let start = MonotonicClock.now()
            model.parameters.zeroGradients()
            loss = try model.forward(batch, training: true).total
            model.backward()
            let (_, scale) = clipping.measure(model.parameters)
            optimizer.step(parameters: model.parameters, learningRate: Self.learningRate, gradientScale: scale)
            if step >= warmupSteps { seconds += MonotonicClock.now() - start }
        }
        return Result(shape: shape, secondsPerStep: seconds / Double(steps), flopsPerStep: Self.flopsPerStep(configuration, shape),
                      peakResidentBytes: ProcessMemory.peakResidentBytes, lastLoss: loss)
    }

    /// One random batch of `shape`, as the type's summary describes it.
    public func randomBatch(generator: inout SeededGenerator) -> PretrainingInputs {
        let (b, s, p) = (shape.batchSize, shape.sequenceLength, shape.maxPredictions)
        let vocabulary = configuration.vocabularySize
        var tokenIDs: [Int32]
        if let cnn = configuration.characterCNN {
            tokenIDs = (0..<shape.tokens * cnn.charactersPerToken).map { _ in
                Int32(1 + generator.next() % UInt64(max(cnn.characterVocabularySize - 1, 1)))
            }
        } else {
            let padding = Int(configuration.paddingTokenID)
            tokenIDs = (0..<shape.tokens).map { _ in
                let id = Int(generator.next() % UInt64(max(vocabulary - 1, 1)))
                return Int32(vocabulary > 1 && id >= padding ? id + 1 : id)
            }
        }
        let secondSegment: Int32 = configuration.typeVocabularySize > 1 ? 1 : 0
        let tokenTypeIDs = (0..<shape.tokens).map { $0 % s < s / 2 ? 0 : secondSegment }
        let candidates = s >= 3 ? Array(1..<s - 1) : Array(0..<s)
        var maskedPositions: [Int32] = []
        for _ in 0..<b {
            var positions = candidates
            for slot in 0..<p {
                positions.swapAt(slot, slot + Int(generator.next() % UInt64(positions.count - slot)))
            }
            maskedPositions += positions[..<p].sorted().map { Int32($0) }
        }
        let maskedLabels = (0..<shape.predictions).map { _ in Int32(generator.next() % UInt64(vocabulary)) }
        let nextSentenceLabels = (0..<b).map { _ in
            configuration.nextSentencePrediction ? Int32(generator.next() % 2) : PretrainingInputs.ignoredLabel
        }
        return PretrainingInputs(shape: shape, tokenIDs: tokenIDs, tokenTypeIDs: tokenTypeIDs,
                                 attentionMask: [Int32](repeating: 1, count: shape.tokens), maskedPositions: maskedPositions,
                                 maskedLabels: maskedLabels, nextSentenceLabels: nextSentenceLabels)
    }
}
