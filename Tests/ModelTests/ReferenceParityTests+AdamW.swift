import Interop
import Model
import Support
import Testing
import Training

extension ModelTests.ReferenceParityTests {
    // Worst relative errors measured: BERT 9.6e-8, CharacterBERT 1.0e-7 (float32 steps against
    // float64 ones; the reference losses are stored rounded to float32).

    /// A few AdamW steps against PyTorch's, as llm.c's test_gpt2.c checks its training loop:
    /// from the fixture's weights, on its batch, the steps of torch.optim.AdamW that the
    /// fixture's metadata records; the loss before each step within 1e-5 of `adamw.losses`,
    /// relative to it.
    @Test(arguments: ["bert.safetensors", "character_bert.safetensors"])
    func adamWStepsFollowPyTorch(_ name: String) throws {
        let (file, model, inputs) = try Self.open(name, ModelTestSupport.backend)
        let recorded = try Self.recordedAdamW(file)
        // PyTorch's two parameter groups are the model's own decay flags.
        for parameter in model.parameters.parameters {
            #expect(parameter.decays == !recorded.noDecay.contains { parameter.name.contains($0) }, "\(parameter.name)")
        }
        let optimizer = AdamW(recorded.hyperparameters)
        var losses: [Float] = []
        for _ in 0..<recorded.steps {
            model.parameters.zeroGradients()
            losses.append(try model.forward(inputs, training: true).total)
            model.backward()
            optimizer.step(parameters: model.parameters, learningRate: recorded.learningRate, gradientScale: 1)
        }
        let reference = try file.doubles("adamw.losses")
        #expect(losses.count == reference.count)
        let errors = zip(losses, reference).map { abs(Double($0) - $1) / abs($1) }
        let worst = errors.max() ?? .nan
        print("\(name): AdamW losses \(losses), worst relative error \(worst)")
        #expect(worst <= 1e-5, "\(name): losses \(losses) against \(reference)")
    }

    /// The optimizer of a fixture's "optimizer" metadata (torch.optim.AdamW): its steps,
    /// learning rate, settings, and the name parts of the parameters without weight decay.
    static func recordedAdamW(_ file: SafeTensorsFile) throws
        -> (steps: Int, learningRate: Float, hyperparameters: AdamHyperparameters, noDecay: [String]) {
        var (steps, learningRate, betas, epsilon, weightDecay) = (0, 0.0, [Double](), 0.0, 0.0)
        var (optimizerName, noDecay) = ("", [String]())
        var text = file.metadata["optimizer"] ?? ""
        try text.withUTF8 { bytes in
            var scanner = JSONScanner(bytes)
            try scanner.object { scanner, key in
                switch String(decoding: key, as: UTF8.self) {
                case "name": optimizerName = String(decoding: try scanner.string(), as: UTF8.self)
                case "steps": steps = try scanner.integer()
                case "lr": learningRate = try scanner.number()
                case "betas": try scanner.array { betas.append(try $0.number()) }
                case "eps": epsilon = try scanner.number()
                case "weight_decay": weightDecay = try scanner.number()
                case "no_decay_names_containing": noDecay = try scanner.strings()
                default: try scanner.skipValue()
                }
            }
        }
        #expect(optimizerName == "torch.optim.AdamW" && betas.count == 2 && steps > 0)
        let hyperparameters = AdamHyperparameters(beta1: betas.first ?? .nan, beta2: betas.last ?? .nan,
                                                  epsilon: Float(epsilon), weightDecay: Float(weightDecay))
        return (steps, Float(learningRate), hyperparameters, noDecay)
    }
}
