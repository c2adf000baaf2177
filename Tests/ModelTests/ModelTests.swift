import Testing

/// The parent of every suite here, run one test at a time: they share one backend, whose
/// calls must come from one thread at a time.
@Suite(.serialized) struct ModelTests {}
