// A stand-in libcuda.so.1 for machines without a GPU: "device" memory is host memory, the
// stream runs everything at once, modules are ignored and kernels run, by name, on the CPU
// emulator (../emulator.h) compiled from the same sources NVRTC compiles. With it (and the
// stand-in cuBLASLt) `bertkit selftest --device cuda` drives CUDABackend end to end: argument
// lists, grids, memory and copies, the products' layouts. NVRTC looks libcuda up too (cuInit,
// cuGetExportTable): the export table is refused, which NVRTC accepts.
#include "emulator.h"  // tests/kernels
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <type_traits>
#include "elementwise.cu"
#include "dropout.cu"
#include "layernorm.cu"
#include "softmax.cu"
#include "loss.cu"
#include "reductions.cu"
#include "rows.cu"
#include "windows.cu"
#include "optimizer.cu"

using Entry = std::function<void(dim3, dim3, void**)>;
template <typename... Args, size_t... I>
void launchFrom(void (*f)(Args...), dim3 g, dim3 b, void** p, std::index_sequence<I...>) {
    launch(f, g, b, *static_cast<std::remove_cv_t<std::remove_reference_t<Args>>*>(p[I])...);
}
template <typename... Args> Entry make(void (*f)(Args...)) {
    return [f](dim3 g, dim3 b, void** p) { launchFrom(f, g, b, p, std::index_sequence_for<Args...>{}); };
}
static std::map<std::string, Entry>& registry() {
    static std::map<std::string, Entry> r = {
#define K(name) {#name, make(name)},
        K(add) K(scale) K(add_bias) K(activate) K(activate_backward) K(gated_mix) K(gated_mix_backward)
        K(dropout_forward) K(dropout_backward) K(layer_norm_forward) K(layer_norm_backward) K(softmax_forward)
        K(softmax_backward) K(cross_entropy) K(column_sums) K(sum_blocks) K(sum_doubles) K(gather_rows)
        K(scatter_add_rows) K(copy_columns) K(swap_middle_axes) K(unfold_windows) K(fold_windows) K(max_pool)
        K(max_pool_backward) K(adamw_step) K(lamb_update) K(lamb_rates) K(lamb_apply)
    };
    return r;
}
extern "C" {
int cuInit(unsigned) { return 0; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuDeviceGetCount(int* c) { *c = 1; return 0; }
int cuDeviceGet(int* d, int) { *d = 0; return 0; }
int cuDeviceGetName(char* n, int len, int) { snprintf(n, len, "Emulated GPU"); return 0; }
int cuDeviceGetAttribute(int* v, int attribute, int) { *v = attribute == 75 ? 9 : attribute == 76 ? 0 : 1; return 0; }
int cuDevicePrimaryCtxRetain(void** c, int) { *c = (void*)1; return 0; }
int cuCtxSetCurrent(void*) { return 0; }
int cuStreamCreate(void** s, unsigned) { *s = (void*)1; return 0; }
int cuStreamSynchronize(void*) { return 0; }
int cuDeviceGetDefaultMemPool(void** p, int) { *p = (void*)1; return 0; }
int cuMemPoolSetAttribute(void*, int, void*) { return 0; }
int cuMemAllocAsync(uint64_t* p, size_t n, void*) { *p = (uint64_t)aligned_alloc(256, (n + 255) / 256 * 256); return 0; }
int cuMemFreeAsync(uint64_t p, void*) { free((void*)p); return 0; }
int cuMemGetInfo_v2(size_t* f, size_t* t) { *f = 1ul << 30; *t = 1ul << 31; return 0; }
int cuMemcpyHtoDAsync_v2(uint64_t d, const void* s, size_t n, void*) { memcpy((void*)d, s, n); return 0; }
int cuMemcpyDtoHAsync_v2(void* d, uint64_t s, size_t n, void*) { memcpy(d, (void*)s, n); return 0; }
int cuMemcpyDtoDAsync_v2(uint64_t d, uint64_t s, size_t n, void*) { memmove((void*)d, (void*)s, n); return 0; }
int cuMemsetD8Async(uint64_t d, unsigned char v, size_t n, void*) { memset((void*)d, v, n); return 0; }
int cuMemsetD32Async(uint64_t d, unsigned v, size_t n, void*) { for (size_t i = 0; i < n; i++) ((unsigned*)d)[i] = v; return 0; }
int cuModuleLoadData(void** m, const void*) { *m = (void*)1; return 0; }
int cuModuleGetFunction(void** f, void*, const char* name) {
    auto it = registry().find(name);
    if (it == registry().end()) return 500;
    *f = &it->second; return 0;
}
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned, void*, void** params, void**) {
    if (gz != 1 || bz != 1 || bx * by > 1024 || (bx * by) % 32 != 0) return 1;
    // Grid-stride kernels do the same work on fewer blocks: two, for the emulator's speed.
    static const std::set<std::string> strided = {"add", "scale", "add_bias", "activate", "activate_backward", "gated_mix",
        "gated_mix_backward", "dropout_forward", "dropout_backward", "gather_rows", "scatter_add_rows", "copy_columns",
        "swap_middle_axes", "unfold_windows", "fold_windows", "max_pool", "max_pool_backward"};
    std::string name;
    for (auto& [key, value] : registry()) if (&value == f) name = key;
    if (strided.count(name) && gx > 2) gx = 2;
    (*(Entry*)f)(dim3{gx, gy, 1}, dim3{bx, by, 1}, params);
    return 0;
}
int cuGetErrorName(int, const char** s) { *s = "CUDA_ERROR_EMULATED"; return 0; }
int cuGetErrorString(int, const char** s) { *s = "emulated failure"; return 0; }
}
extern "C" int cuGetExportTable(const void** table, const void*) { *table = nullptr; return 500; }
