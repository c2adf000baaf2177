/// A built-in starting point for a pre-training configuration: one of the recipes of the
/// reference trainers, scaled for one process.
///
/// NVIDIA's BERT recipe (../shared/REFERENCE.md §5) runs on 8 GPUs, each with a batch of
/// 8,192 sequences per step in phase 1 (4,096 in phase 2) made of micro-batches by gradient
/// accumulation; a recipe here is one of those processes: the same per-process batch,
/// learning rate, warm-up and step count. CharacterBERT's pre-training repository uses
/// NVIDIA's recipe with its own model.
public struct PretrainingRecipe: Sendable {
    /// The name a configuration's `preset` key gives.
    public let name: String
    /// The configuration the recipe starts from.
    public let configuration: PretrainingConfiguration

    /// Every recipe.
    public static let all: [PretrainingRecipe] = [bertBasePhase1, bertBasePhase2, characterBERTPhase1, characterBERTPhase2]

    /// NVIDIA's phase 1: sequences of 128 with 20 masked slots, LAMB at 6e-3, warm-up 0.2843,
    /// 7,038 steps of 8,192 sequences in 128 micro-batches of 64.
    public static let bertBasePhase1 = PretrainingRecipe(name: "bert-base-phase1", characterBERT: false, phase: 1)
    /// NVIDIA's phase 2: sequences of 512 with 80 masked slots, LAMB at 4e-3, warm-up 0.128,
    /// 1,563 steps of 4,096 sequences in 256 micro-batches of 16.
    public static let bertBasePhase2 = PretrainingRecipe(name: "bert-base-phase2", characterBERT: false, phase: 2)
    /// Phase 1 of CharacterBERT (base size, the paper's character CNN).
    public static let characterBERTPhase1 = PretrainingRecipe(name: "character-bert-phase1", characterBERT: true, phase: 1)
    /// Phase 2 of CharacterBERT.
    public static let characterBERTPhase2 = PretrainingRecipe(name: "character-bert-phase2", characterBERT: true, phase: 2)

    /// The recipe of a model kind and phase.
    public static func recipe(characterBERT: Bool, phase: Int) -> PretrainingRecipe {
        switch (characterBERT, phase) {
        case (false, 2): return bertBasePhase2
        case (true, 1): return characterBERTPhase1
        case (true, 2): return characterBERTPhase2
        default: return bertBasePhase1
        }
    }

    private init(name: String, characterBERT: Bool, phase: Int) {
        self.name = name
        var configuration = PretrainingConfiguration()
        configuration.preset = name
        configuration.model = "base"
        configuration.characterBERT = characterBERT
        configuration.phase = phase
        if phase == 2 {
            configuration.sequenceLength = 512
            configuration.maxPredictions = 80
            configuration.learningRate = 4e-3
            configuration.warmupProportion = 0.128
            configuration.maxSteps = 1563
            configuration.targetBatchSize = 4096
            configuration.accumulationSteps = 256
        }
        self.configuration = configuration
    }
}
