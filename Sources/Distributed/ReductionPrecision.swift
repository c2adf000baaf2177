/// The number format gradients travel in when they are summed over the processes.
///
/// bf16 halves the bytes an all-reduce moves: each process rounds its values to bfloat16,
/// every partial sum is taken in fp32 and rounded back to bfloat16 (as NCCL's bfloat16 sum
/// does), and the result is widened to fp32 again. The sums then carry bfloat16's 8 bits of
/// precision: fine for gradients that LAMB or Adam normalise, not for exact reproduction.
public enum ReductionPrecision: String, Sendable, CaseIterable {
    /// 32-bit floats: exact sums up to their order.
    case fp32
    /// bfloat16: half the bytes.
    case bf16
}
