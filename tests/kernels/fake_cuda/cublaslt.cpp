// A stand-in libcublasLt.so.13 for machines without a GPU: naive column-major products of the
// layouts and transposes CUBLASLt.swift describes (strided batches included), inputs rounded to
// bfloat16 (to nearest even) as CUBLAS_COMPUTE_32F_FAST_16BF may, float32 accumulation. It
// refuses what BERTKit should never ask for (other types, compute types, attributes, C ≠ D).
#include <cstdint>
#include <cstring>
#include <cmath>
struct Desc { int transa = 0, transb = 0; };
struct Layout { uint64_t rows, cols; int64_t ld; int batch = 1; int64_t stride = 0; };
static float bf16(float x) { uint32_t u; memcpy(&u, &x, 4); u += 0x7FFF + ((u >> 16) & 1); u &= 0xFFFF0000u; float r; memcpy(&r, &u, 4); return r; }
extern "C" {
int cublasLtCreate(void** h) { *h = (void*)1; return 0; }
size_t cublasLtGetVersion() { return 130000; }
int cublasLtMatmulDescCreate(void** d, int compute, int scale) { if (compute != 75 || scale != 0) return 7; *d = new Desc; return 0; }
int cublasLtMatmulDescSetAttribute(void* d, int a, const void* b, size_t n) {
    if (n != 4) return 7; if (a == 3) ((Desc*)d)->transa = *(int*)b; else if (a == 4) ((Desc*)d)->transb = *(int*)b; else return 7; return 0; }
int cublasLtMatmulDescDestroy(void* d) { delete (Desc*)d; return 0; }
int cublasLtMatrixLayoutCreate(void** l, int type, uint64_t rows, uint64_t cols, int64_t ld) {
    if (type != 0 || ld < (int64_t)rows) return 7; *l = new Layout{rows, cols, ld}; return 0; }
int cublasLtMatrixLayoutSetAttribute(void* l, int a, const void* b, size_t n) {
    if (a == 5 && n == 4) ((Layout*)l)->batch = *(int*)b; else if (a == 6 && n == 8) ((Layout*)l)->stride = *(int64_t*)b; else return 7; return 0; }
int cublasLtMatrixLayoutDestroy(void* l) { delete (Layout*)l; return 0; }
int cublasLtMatmulPreferenceCreate(void** p) { *p = (void*)1; return 0; }
int cublasLtMatmulPreferenceSetAttribute(void*, int a, const void*, size_t n) { return (a == 1 && n == 8) || (a >= 5 && a <= 8 && n == 4) ? 0 : 7; }
int cublasLtMatmulPreferenceDestroy(void*) { return 0; }
int cublasLtMatmulAlgoGetHeuristic(void*, void*, void*, void*, void*, void*, void*, int, void* results, int* found) { memset(results, 0, 96); *found = 1; return 0; }
int cublasLtMatmul(void*, void* desc, const float* alpha, const float* A, void* ad, const float* B, void* bd, const float* beta,
                   const float* C, void* cd, float* D, void* dd, const void*, void*, size_t, void*) {
    Desc* o = (Desc*)desc; Layout *a = (Layout*)ad, *b = (Layout*)bd, *c = (Layout*)cd, *d = (Layout*)dd;
    if (C != D || c != d) return 7;
    int64_t m = d->rows, n = d->cols, k = o->transa ? a->rows : a->cols;
    if ((o->transa ? a->cols : a->rows) != (uint64_t)m || (o->transb ? b->rows : b->cols) != (uint64_t)n || (o->transb ? b->cols : b->rows) != (uint64_t)k) return 7;
    if (a->batch != d->batch || b->batch != d->batch) return 7;
    for (int t = 0; t < d->batch; t++) {
        const float *At = A + t * a->stride, *Bt = B + t * b->stride; float* Dt = D + t * d->stride;
        for (int64_t j = 0; j < n; j++) for (int64_t i = 0; i < m; i++) {
            float s = 0;
            for (int64_t l = 0; l < k; l++) {
                float x = o->transa ? At[l + i * a->ld] : At[i + l * a->ld];
                float y = o->transb ? Bt[j + l * b->ld] : Bt[l + j * b->ld];
                s += bf16(x) * bf16(y);
            }
            float& out = Dt[i + j * d->ld];
            out = *alpha * s + (*beta == 0 ? 0 : *beta * out);
        }
    }
    return 0;
}
}
