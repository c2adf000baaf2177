/* OpenBLAS's single-precision products on the shapes of a BERT-base training step, as
 * BERTKit's CPU backend calls them: each of the 2 pool threads multiplies its half of the
 * rows (or columns) with single-threaded OpenBLAS; also the full shapes with OpenBLAS's own
 * threads, and a 2048^3 square. Prints one line per shape: name, M, N, K, whether A and B
 * are transposed (0 or 1), threads, GFLOP/s (best of 7). Built and run by bench_sgemm.py. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

extern void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* C (M x N) = op(A) op(B), row-major, the best of 7 runs on `threads` OpenBLAS threads. */
static void run(const char *name, int m, int n, int k, int transposeA, int transposeB, int threads) {
    openblas_set_num_threads(threads);
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (float)(i % 7) * 0.1f;
    for (long i = 0; i < (long)k * n; i++) b[i] = (float)(i % 5) * 0.1f;
    double best = 1e30;
    for (int round = 0; round < 7; round++) {
        double start = now();
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    m, n, k, 1.0f, a, transposeA ? m : k, b, transposeB ? k : n, 0.0f, c, n);
        double elapsed = now() - start;
        if (elapsed < best) best = elapsed;
    }
    printf("%s %d %d %d %d %d %d %.1f\n", name, m, n, k, transposeA, transposeB, threads, 2.0 * m * n * k / best / 1e9);
    free(a);
    free(b);
    free(c);
}

int main(void) {
    run("square", 2048, 2048, 2048, 0, 0, 1);
    run("square", 2048, 2048, 2048, 0, 0, 2);
    /* Tokens 1024 (batch 8 x 128), hidden 768, intermediate 3072; weights [out, in]. */
    run("hidden_forward", 512, 768, 768, 0, 1, 1);
    run("up_forward", 512, 3072, 768, 0, 1, 1);
    run("down_forward", 512, 768, 3072, 0, 1, 1);
    run("hidden_input_gradient", 512, 768, 768, 0, 0, 1);
    run("down_input_gradient", 512, 768, 3072, 0, 0, 1);
    run("hidden_weight_gradient", 384, 768, 1024, 1, 0, 1);
    run("up_weight_gradient", 1536, 768, 1024, 1, 0, 1);
    run("down_weight_gradient", 768, 1536, 1024, 1, 0, 1);
    run("hidden_forward", 1024, 768, 768, 0, 1, 2);
    run("up_forward", 1024, 3072, 768, 0, 1, 2);
    return 0;
}
