// LayerNorm over the rows of a matrix (CPUBackend+LayerNorm.swift): one block per row, warp
// shuffles for the sums, statistics in float32 whatever the storage.
// Shapes: x, y, dy, dx [rows, columns]; gamma, beta [columns]; mean, rstd [rows].
// The parameter gradients dGamma, dBeta are column sums: `column_sums` in reductions.cu.
#include "bertkit.cuh"

/// Forward: y = (x − mean) · rstd · gamma + beta, saving mean and rstd = 1/√(var + ε); the
/// variance from the centred values (two passes over the row, as the CPU does).
extern "C" __global__ void layer_norm_forward(const float* x, const float* gamma, const float* beta, float epsilon,
                                              float* y, float* mean, float* rstd, int columns) {
    __shared__ float shared[32];
    const i64 row = blockIdx.x;
    const float* in = x + row * columns;
    float* out = y + row * columns;
    float sum = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) sum += in[c];
    const float average = bk_block_sum(sum, shared) / columns;
    float squares = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        const float centred = in[c] - average;
        squares += centred * centred;
    }
    const float inverse = 1.0f / sqrtf(bk_block_sum(squares, shared) / columns + epsilon);
    for (int c = threadIdx.x; c < columns; c += blockDim.x) out[c] = (in[c] - average) * inverse * gamma[c] + beta[c];
    if (threadIdx.x == 0) {
        mean[row] = average;
        rstd[row] = inverse;
    }
}

/// Backward of `layer_norm_forward`, the input's part:
/// dx = rstd · (dŷ − mean(dŷ) − x̂ · mean(dŷ · x̂)) with dŷ = dy · gamma, x̂ = (x − mean) · rstd.
/// dx may be dy: every element is read before it is written, by the same thread.
extern "C" __global__ void layer_norm_backward(const float* dy, const float* x, const float* gamma, const float* mean,
                                               const float* rstd, float* dx, int columns) {
    __shared__ float shared[32];
    const i64 row = blockIdx.x;
    const float* gradient = dy + row * columns;
    const float* in = x + row * columns;
    const float average = mean[row], inverse = rstd[row];
    float sum = 0.0f, sumTimesNormal = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        const float dNormal = gradient[c] * gamma[c];
        sum += dNormal;
        sumTimesNormal += dNormal * ((in[c] - average) * inverse);
    }
    const float meanDNormal = bk_block_sum(sum, shared) / columns;
    const float meanDNormalTimesNormal = bk_block_sum(sumTimesNormal, shared) / columns;
    float* out = dx + row * columns;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        const float normal = (in[c] - average) * inverse;
        const float dNormal = gradient[c] * gamma[c];
        out[c] = (dNormal - meanDNormal - normal * meanDNormalTimesNormal) * inverse;
    }
}
