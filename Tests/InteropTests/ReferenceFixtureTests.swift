import Testing
import Interop
import Support

/// Opens the PyTorch reference fixtures (written by the safetensors package, see
/// Tests/Fixtures/reference/README.md) and checks their names, shapes and dtypes.
@Suite struct ReferenceFixtureTests {
    static let directory = FileSystem.split(FileSystem.split(#filePath).directory).directory
        + "/Fixtures/reference"
    static let (batch, sequence, predictions, hidden, intermediate, positions) = (3, 16, 4, 64, 128, 32)

    /// The parameters both models share past the word embeddings, with their shapes.
    static func encoderAndHeads(vocabulary: Int) -> [String: [Int]] {
        var shapes: [String: [Int]] = [
            "bert.embeddings.position_embeddings.weight": [positions, hidden],
            "bert.embeddings.token_type_embeddings.weight": [2, hidden],
            "bert.embeddings.LayerNorm.weight": [hidden], "bert.embeddings.LayerNorm.bias": [hidden],
            "bert.pooler.dense.weight": [hidden, hidden], "bert.pooler.dense.bias": [hidden],
            "cls.predictions.transform.dense.weight": [hidden, hidden], "cls.predictions.transform.dense.bias": [hidden],
            "cls.predictions.transform.LayerNorm.weight": [hidden], "cls.predictions.transform.LayerNorm.bias": [hidden],
            "cls.predictions.bias": [vocabulary],
            "cls.seq_relationship.weight": [2, hidden], "cls.seq_relationship.bias": [2],
        ]
        for layer in 0..<2 {
            let prefix = "bert.encoder.layer.\(layer)."
            for projection in ["query", "key", "value"] {
                shapes[prefix + "attention.self.\(projection).weight"] = [hidden, hidden]
                shapes[prefix + "attention.self.\(projection).bias"] = [hidden]
            }
            shapes[prefix + "attention.output.dense.weight"] = [hidden, hidden]
            shapes[prefix + "intermediate.dense.weight"] = [intermediate, hidden]
            shapes[prefix + "output.dense.weight"] = [hidden, intermediate]
            for (name, size) in [("attention.output.dense", hidden), ("intermediate.dense", intermediate), ("output.dense", hidden)] {
                shapes[prefix + name + ".bias"] = [size]
            }
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                shapes[prefix + norm + ".weight"] = [hidden]
                shapes[prefix + norm + ".bias"] = [hidden]
            }
        }
        return shapes
    }

    /// Checks every key of a fixture against the parameter shapes and the vocabulary size,
    /// and the values that tie the keys together.
    static func check(_ file: SafeTensorsFile, parameters: [String: [Int]], vocabulary: Int, inputShape: [Int]) throws {
        var expected: [String: (SafeTensorsDType, [Int])] = [
            "input.input_ids": (.i32, inputShape),
            "input.token_type_ids": (.i32, [batch, sequence]), "input.attention_mask": (.i32, [batch, sequence]),
            "input.masked_lm_positions": (.i32, [batch, predictions]), "input.masked_lm_labels": (.i32, [batch, predictions]),
            "input.next_sentence_label": (.i32, [batch]),
            "output.mlm_logits": (.f32, [batch, predictions, vocabulary]), "output.nsp_logits": (.f32, [batch, 2]),
            "output.mlm_loss": (.f32, [1]), "output.nsp_loss": (.f32, [1]), "output.loss": (.f32, [1]),
            "adamw.losses": (.f32, [5]),
        ]
        for (name, shape) in parameters {
            expected["param." + name] = (.f32, shape)
            expected["grad." + name] = (.f32, shape)
        }
        #expect(Set(file.names) == Set(expected.keys))
        for (name, (dtype, shape)) in expected where file.contains(name) {
            #expect(try file.dtype(name) == dtype, "\(name)")
            #expect(try file.shape(name) == shape, "\(name)")
        }
        #expect(file.metadata["format"] == "bertkit-reference-fixture")
        let loss = try file.floats("output.loss")[0]
        #expect(abs(try file.floats("output.mlm_loss")[0] + file.floats("output.nsp_loss")[0] - loss) <= 1e-6)
        #expect(abs(try file.floats("adamw.losses")[0] - loss) <= 1e-6)
        let labels = try file.int32s("input.masked_lm_labels")
        #expect(labels.allSatisfy { $0 == -100 || (0..<Int32(vocabulary)).contains($0) })
        #expect(labels.filter { $0 == -100 }.count == 3)
        #expect(try file.int32s("input.next_sentence_label") == [0, 1, 0])
        #expect(try file.int32s("input.attention_mask").reduce(0, +) == 16 + 11 + 7)
    }

    @Test func bert() throws {
        let file = try SafeTensorsFile(path: Self.directory + "/bert.safetensors")
        var parameters = Self.encoderAndHeads(vocabulary: 120)
        parameters["bert.embeddings.word_embeddings.weight"] = [120, Self.hidden]
        try Self.check(file, parameters: parameters, vocabulary: 120, inputShape: [Self.batch, Self.sequence])
        #expect(file.metadata["model"] == "transformers.BertForPreTraining")
        #expect(try file.floats("param.bert.embeddings.word_embeddings.weight").prefix(Self.hidden).allSatisfy { $0 == 0 })
    }

    @Test func characterBert() throws {
        let file = try SafeTensorsFile(path: Self.directory + "/character_bert.safetensors")
        var parameters = Self.encoderAndHeads(vocabulary: 60)
        let cnn = "bert.embeddings.word_embeddings."
        parameters[cnn + "_char_embedding_weights"] = [263, 16]
        for (index, (width, count)) in [(1, 8), (2, 8), (3, 16), (4, 16), (5, 16), (6, 16), (7, 16)].enumerated() {
            parameters[cnn + "char_conv_\(index).weight"] = [count, 16, width]
            parameters[cnn + "char_conv_\(index).bias"] = [count]
        }
        for layer in 0..<2 {
            parameters[cnn + "_highways._layers.\(layer).weight"] = [192, 96]
            parameters[cnn + "_highways._layers.\(layer).bias"] = [192]
        }
        parameters[cnn + "_projection.weight"] = [Self.hidden, 96]
        parameters[cnn + "_projection.bias"] = [Self.hidden]
        parameters["cls.predictions.decoder.weight"] = [60, Self.hidden]
        try Self.check(file, parameters: parameters, vocabulary: 60, inputShape: [Self.batch, Self.sequence, 50])
        let characters = try file.int32s("input.input_ids")
        #expect(Array(characters.prefix(4)) == [259, 257, 260, 261])
        #expect(characters.allSatisfy { (0...262).contains($0) })
    }
}
