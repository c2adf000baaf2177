// The cross-entropy of softmax(logits) against labels, with its gradient, over the rows whose
// label is not ignored (CPUBackend+Loss.swift): one block per row, in float32.
// Shapes: logits, dLogits [rows, columns]; labels int32 [rows]; losses float [rows].
#include "bertkit.cuh"

/// Forward and backward in one pass (the gradient needs the forward's max and sum):
/// losses[r] = log Σ e^(z − max) + max − z[label], dLogits = rowScale · (softmax − onehot),
/// zero on ignored rows (loss 0). dLogits may be logits. The host has checked the labels and
/// computed rowScale = gradientScale / counted rows.
extern "C" __global__ void cross_entropy(const float* logits, const int* labels, int ignoreIndex, float rowScale,
                                         float* dLogits, float* losses, int columns) {
    __shared__ float shared[32];
    const i64 row = blockIdx.x;
    const float* in = logits + row * columns;
    float* out = dLogits + row * columns;
    const int label = labels[row];
    if (label == ignoreIndex) {
        for (int c = threadIdx.x; c < columns; c += blockDim.x) out[c] = 0.0f;
        if (threadIdx.x == 0) losses[row] = 0.0f;
        return;
    }
    const float target = in[label];
    float largest = -bk_infinity();
    for (int c = threadIdx.x; c < columns; c += blockDim.x) largest = fmaxf(largest, in[c]);
    const float maximum = bk_block_max(largest, shared);
    float sum = 0.0f;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) sum += expf(in[c] - maximum);
    const float total = bk_block_sum(sum, shared);
    const float factor = rowScale / total;
    for (int c = threadIdx.x; c < columns; c += blockDim.x) {
        out[c] = expf(in[c] - maximum) * factor - (c == label ? rowScale : 0.0f);
    }
    if (threadIdx.x == 0) losses[row] = logf(total) + maximum - target;
}
