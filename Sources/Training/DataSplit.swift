/// Which files of a directory of pre-training data a loader reads: those whose names say
/// they are of this split (`training.3.hdf5`, `validation.0.hdf5`), or every file when no
/// name does (NVIDIA's rule for training data).
public enum DataSplit: String, Sendable, CaseIterable {
    /// The files whose names contain "training".
    case training
    /// The files whose names contain "validation".
    case validation

    /// The names among `names` that belong to the split: those containing the split's name
    /// if any does, else all of them.
    public func select(_ names: [String]) -> [String] {
        let marked = names.filter { $0.contains(rawValue) }
        return marked.isEmpty ? names : marked
    }
}
