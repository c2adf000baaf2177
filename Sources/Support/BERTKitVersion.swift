/// The version printed by `--version` and written into outputs that record their maker.
public enum BERTKitVersion {
    /// The version, "major.minor.patch".
    public static let string = "0.1.0"
}
