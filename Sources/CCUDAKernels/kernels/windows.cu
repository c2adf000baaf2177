// CharacterBERT's character CNN (CPUBackend+Windows.swift): the windows of a 1-D convolution
// unfolded into a matrix (so the convolution is one matmul) and folded back, and the max over
// positions. One thread per output element, no atomics.
#include "bertkit.cuh"

/// Forward: columns[item, p, c·W + k] = x[item, p + k, c].
/// Shapes: x [n, length, channels]; columns [n, P = length − W + 1, channels·W].
extern "C" __global__ void unfold_windows(const float* x, float* columns, i64 n, int length, int channels, int width) {
    const int positions = length - width + 1;
    BK_FOR_EACH(i, n * positions * channels * width) {
        const int k = i % width;
        const int c = (i / width) % channels;
        const i64 window = i / ((i64)width * channels);  // item · P + p
        const i64 item = window / positions;
        const int p = window % positions;
        columns[i] = x[(item * length + p + k) * channels + c];
    }
}

/// Backward of `unfold_windows`: dx[item, l, c] += Σ_k dColumns[item, l − k, c·W + k] over the
/// windows that hold position l.  Shapes: dColumns [n, P, channels·W]; dx [n, length, channels].
extern "C" __global__ void fold_windows(const float* dColumns, float* dx, i64 n, int length, int channels, int width) {
    const int positions = length - width + 1;
    BK_FOR_EACH(i, n * length * channels) {
        const int c = i % channels;
        const i64 place = i / channels;  // item · length + l
        const i64 item = place / length;
        const int l = place % length;
        float sum = 0.0f;
        for (int k = 0; k < width; k++) {
            const int p = l - k;
            if (p >= 0 && p < positions) sum += dColumns[((item * positions + p) * channels + c) * width + k];
        }
        dx[i] += sum;
    }
}

/// Forward: y[item, f] = max over p of x[item, p, f], argmax the first position of it.
/// Shapes: x [n, positions, filters]; y, argmax int32 [n, filters].
extern "C" __global__ void max_pool(const float* x, float* y, int* argmax, i64 n, int positions, int filters) {
    BK_FOR_EACH(i, n * filters) {
        const i64 item = i / filters;
        const int f = i % filters;
        const float* block = x + item * positions * filters + f;
        float best = block[0];
        int bestPosition = 0;
        for (int p = 1; p < positions; p++) {
            const float value = block[(i64)p * filters];
            if (value > best) {
                best = value;
                bestPosition = p;
            }
        }
        y[i] = best;
        argmax[i] = bestPosition;
    }
}

/// Backward of `max_pool`: dx[item, p, f] = dy[item, f] where p = argmax[item, f], else 0.
/// Shapes: dy, argmax int32 [n, filters]; dx [n, positions, filters].
extern "C" __global__ void max_pool_backward(const float* dy, const int* argmax, float* dx, i64 n, int positions,
                                             int filters) {
    BK_FOR_EACH(i, n * positions * filters) {
        const int f = i % filters;
        const i64 item = i / ((i64)positions * filters);
        const int p = (i / filters) % positions;
        const i64 pooled = item * filters + f;
        dx[i] = argmax[pooled] == p ? dy[pooled] : 0.0f;
    }
}
