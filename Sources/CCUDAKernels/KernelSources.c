#include "CCUDAKernels.h"

// The kernels' CUDA C++ sources, embedded with C23 #embed; NVRTC compiles them at run time.
#pragma clang diagnostic ignored "-Wc23-extensions"
static const unsigned char bertkit_cuh[] = {
#embed "kernels/bertkit.cuh"
};
static const unsigned char dropout_cu[] = {
#embed "kernels/dropout.cu"
};
static const unsigned char elementwise_cu[] = {
#embed "kernels/elementwise.cu"
};
static const unsigned char layernorm_cu[] = {
#embed "kernels/layernorm.cu"
};
static const unsigned char loss_cu[] = {
#embed "kernels/loss.cu"
};
static const unsigned char optimizer_cu[] = {
#embed "kernels/optimizer.cu"
};
static const unsigned char reductions_cu[] = {
#embed "kernels/reductions.cu"
};
static const unsigned char rows_cu[] = {
#embed "kernels/rows.cu"
};
static const unsigned char softmax_cu[] = {
#embed "kernels/softmax.cu"
};
static const unsigned char windows_cu[] = {
#embed "kernels/windows.cu"
};

static const bertkit_kernel_file files[] = {
    {"bertkit.cuh", bertkit_cuh, sizeof(bertkit_cuh)},
    {"dropout.cu", dropout_cu, sizeof(dropout_cu)},
    {"elementwise.cu", elementwise_cu, sizeof(elementwise_cu)},
    {"layernorm.cu", layernorm_cu, sizeof(layernorm_cu)},
    {"loss.cu", loss_cu, sizeof(loss_cu)},
    {"optimizer.cu", optimizer_cu, sizeof(optimizer_cu)},
    {"reductions.cu", reductions_cu, sizeof(reductions_cu)},
    {"rows.cu", rows_cu, sizeof(rows_cu)},
    {"softmax.cu", softmax_cu, sizeof(softmax_cu)},
    {"windows.cu", windows_cu, sizeof(windows_cu)},
};

size_t bertkit_kernel_file_count(void) { return sizeof(files) / sizeof(files[0]); }

bertkit_kernel_file bertkit_kernel_file_at(size_t index) { return files[index]; }
