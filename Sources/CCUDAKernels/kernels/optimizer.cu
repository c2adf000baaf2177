// The optimizer steps over a ParameterStore's flat buffers, every segment in one launch
// (CPUBackend+Optimizer.swift; apex's multi-tensor fused optimizers). The segments are cut
// into chunks of at most 16384 elements, one block per chunk; `chunks` holds for each chunk
// (segment, first element, end) as three int64. The moments and parameters are float32.
// Shapes: p, g (the update u for LAMB), m, v [N]; chunks int64 [3 · chunkCount];
// decays int32 [segments] (1 when weight decay applies).
#include "bertkit.cuh"

/// The scalars of one step (AdamStep): β and 1 − β each rounded from double, 1/c1 and 1/c2.
struct AdamScalars {
    float learningRate, beta1, beta2, firstWeight, secondWeight, epsilon, weightDecay, gradientScale,
        firstFactor, secondFactor;
};

/// Updates the moments of element i with its gradient and returns Adam's direction
/// (m / c1) / (√(v / c2) + ε).
__device__ __forceinline__ float bk_adam_direction(const AdamScalars& s, float gradient, float* m, float* v, i64 i) {
    const float g = gradient * s.gradientScale;
    const float first = s.beta1 * m[i] + s.firstWeight * g;
    const float second = s.beta2 * v[i] + s.secondWeight * (g * g);
    m[i] = first;
    v[i] = second;
    return first * s.firstFactor / (sqrtf(second * s.secondFactor) + s.epsilon);
}

/// AdamW (torch.optim.AdamW): p ← p·(1 − lr·wd) − lr · direction, wd 0 for segments that do
/// not decay. (The backward pass is what made g.)
extern "C" __global__ void adamw_step(float* p, const float* g, float* m, float* v, const i64* chunks,
                                      const int* decays, AdamScalars s) {
    const i64 segment = chunks[3 * blockIdx.x], start = chunks[3 * blockIdx.x + 1], end = chunks[3 * blockIdx.x + 2];
    const float decay = decays[segment] ? 1.0f - s.learningRate * s.weightDecay : 1.0f;
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) {
        const float direction = bk_adam_direction(s, g[i], m, v, i);
        p[i] = p[i] * decay - s.learningRate * direction;
    }
}

/// LAMB, first pass: the moments and the update u = direction + wd·p written over g, with the
/// chunk's Σp² and Σu² (in float per thread and block, stored in double) in squares[2·chunk].
extern "C" __global__ void lamb_update(const float* p, float* u, float* m, float* v, const i64* chunks,
                                       const int* decays, AdamScalars s, double* squares) {
    __shared__ float shared[32];
    const i64 segment = chunks[3 * blockIdx.x], start = chunks[3 * blockIdx.x + 1], end = chunks[3 * blockIdx.x + 2];
    const float decay = decays[segment] ? s.weightDecay : 0.0f;
    float parameterSquares = 0.0f, updateSquares = 0.0f;
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) {
        const float update = bk_adam_direction(s, u[i], m, v, i) + decay * p[i];
        u[i] = update;
        parameterSquares += p[i] * p[i];
        updateSquares += update * update;
    }
    const float parameterTotal = bk_block_sum(parameterSquares, shared);
    const float updateTotal = bk_block_sum(updateSquares, shared);
    if (threadIdx.x == 0) {
        squares[2 * blockIdx.x] = (double)parameterTotal;
        squares[2 * blockIdx.x + 1] = (double)updateTotal;
    }
}

/// LAMB, second pass, one thread per segment: its chunks' sums added in order, then the rate
/// lr·‖p‖/‖u‖ for segments that decay (when wd ≠ 0 and neither norm is 0), lr for the others.
/// Shapes: firstChunk, chunkCount int32 [segments]; rates float [segments].
extern "C" __global__ void lamb_rates(const double* squares, const int* firstChunk, const int* chunkCount,
                                      const int* decays, int segments, float learningRate, float weightDecay,
                                      float* rates) {
    const int segment = blockIdx.x * blockDim.x + threadIdx.x;
    if (segment >= segments) return;
    double parameterSquares = 0.0, updateSquares = 0.0;
    for (int k = firstChunk[segment]; k < firstChunk[segment] + chunkCount[segment]; k++) {
        parameterSquares += squares[2 * k];
        updateSquares += squares[2 * k + 1];
    }
    const bool adapts = decays[segment] && weightDecay != 0.0f && parameterSquares != 0.0 && updateSquares != 0.0;
    rates[segment] = adapts ? (float)((double)learningRate * sqrt(parameterSquares / updateSquares)) : learningRate;
}

/// LAMB, third pass: p ← p − rate[segment] · u.
extern "C" __global__ void lamb_apply(float* p, const float* u, const i64* chunks, const float* rates) {
    const i64 segment = chunks[3 * blockIdx.x], start = chunks[3 * blockIdx.x + 1], end = chunks[3 * blockIdx.x + 2];
    const float rate = rates[segment];
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) p[i] -= rate * u[i];
}
