// BERTKit's CUDA kernels (Sources/CCUDAKernels/kernels) run on the CPU emulator against plain
// double-precision loops: every kernel at least once, one line per check, "all passed" at the
// end (exit status 1 otherwise). Built and run by test_kernels_emulated.py.
#include "emulator.h"
#include <cstdio>
#include <random>
#include <algorithm>
#include "elementwise.cu"
#include "dropout.cu"
#include "layernorm.cu"
#include "softmax.cu"
#include "loss.cu"
#include "reductions.cu"
#include "rows.cu"
#include "windows.cu"
#include "optimizer.cu"

static std::mt19937 rng(42);
std::vector<float> rnd(size_t n, float lo = -1, float hi = 1) { std::uniform_real_distribution<float> d(lo, hi); std::vector<float> v(n); for (auto& x : v) x = d(rng); return v; }
static int failures = 0;
void check(const char* name, const std::vector<float>& got, const std::vector<double>& want, double tol) {
    double diff = 0, mag = 1e-30;
    for (size_t i = 0; i < got.size(); i++) { diff = std::max(diff, std::fabs(got[i] - want[i])); mag = std::max(mag, std::fabs(want[i])); }
    bool ok = got.size() == want.size() && diff / mag <= tol;
    if (!ok) failures++;
    printf("%s %s: %g\n", ok ? "ok  " : "FAIL", name, diff / mag);
}
int main() {
    int fault[3] = {0, 0, 0};
    // LayerNorm forward and backward, rows of 100 with 128 threads (partial warps of work).
    { int rows = 5, cols = 100; auto x = rnd(rows * cols, -3, 5), g = rnd(cols), b = rnd(cols), dy = rnd(rows * cols);
      std::vector<float> y(rows * cols), mean(rows), rstd(rows), dx(rows * cols);
      launch(layer_norm_forward, {(unsigned)rows}, {128}, x.data(), g.data(), b.data(), 1e-5f, y.data(), mean.data(), rstd.data(), cols);
      launch(layer_norm_backward, {(unsigned)rows}, {128}, dy.data(), x.data(), g.data(), mean.data(), rstd.data(), dx.data(), cols);
      std::vector<double> wy(rows * cols), wdx(rows * cols);
      for (int r = 0; r < rows; r++) { double m = 0, v = 0; for (int c = 0; c < cols; c++) m += x[r*cols+c]; m /= cols;
        for (int c = 0; c < cols; c++) v += (x[r*cols+c]-m)*(x[r*cols+c]-m); double rs = 1/std::sqrt(v/cols+1e-5);
        double a = 0, bsum = 0; for (int c = 0; c < cols; c++) { double n = (x[r*cols+c]-m)*rs; wy[r*cols+c] = n*g[c]+b[c]; double dn = dy[r*cols+c]*g[c]; a += dn; bsum += dn*n; }
        for (int c = 0; c < cols; c++) { double n = (x[r*cols+c]-m)*rs; wdx[r*cols+c] = rs*(dy[r*cols+c]*g[c] - a/cols - n*bsum/cols); } }
      check("layer_norm_forward", y, wy, 1e-5); check("layer_norm_backward", dx, wdx, 1e-5); }
    // Softmax with a mask over 2 batch entries, 3 rows each, 40 columns, 64 threads.
    { int rows = 6, cols = 40; auto x = rnd(rows * cols, -8, 8), dy = rnd(rows * cols); std::vector<float> mask(2 * cols, 0.f);
      for (int c = 30; c < cols; c++) mask[c] = -10000; for (int c = 20; c < cols; c++) mask[cols + c] = -10000;
      std::vector<float> y(rows * cols), dx(rows * cols);
      launch(softmax_forward, {(unsigned)rows}, {64}, x.data(), 0.5f, mask.data(), (i64)3, y.data(), cols);
      launch(softmax_backward, {(unsigned)rows}, {64}, dy.data(), y.data(), 0.5f, dx.data(), cols);
      std::vector<double> wy(rows * cols), wdx(rows * cols);
      for (int r = 0; r < rows; r++) { double mx = -1e30; std::vector<double> s(cols);
        for (int c = 0; c < cols; c++) { s[c] = 0.5*x[r*cols+c] + mask[(r/3)*cols+c]; mx = std::max(mx, s[c]); }
        double sum = 0; for (int c = 0; c < cols; c++) sum += std::exp(s[c]-mx);
        double dot = 0; for (int c = 0; c < cols; c++) { wy[r*cols+c] = std::exp(s[c]-mx)/sum; dot += dy[r*cols+c]*wy[r*cols+c]; }
        for (int c = 0; c < cols; c++) wdx[r*cols+c] = 0.5*wy[r*cols+c]*(dy[r*cols+c]-dot); }
      check("softmax_forward", y, wy, 1e-5); check("softmax_backward", dx, wdx, 1e-5); }
    // Cross-entropy in place over 4 rows of 300, one ignored.
    { int rows = 4, cols = 300; auto z = rnd(rows * cols, -10, 10); auto z0 = z; int labels[4] = {5, -100, 299, 0};
      std::vector<float> losses(rows); float rowScale = 2.0f / 3;
      launch(cross_entropy, {(unsigned)rows}, {288}, z.data(), labels, -100, rowScale, z.data(), losses.data(), cols);
      std::vector<double> wz(rows * cols), wl(rows);
      for (int r = 0; r < rows; r++) { if (labels[r] == -100) continue; double mx = -1e30; for (int c = 0; c < cols; c++) mx = std::max(mx, (double)z0[r*cols+c]);
        double s = 0; for (int c = 0; c < cols; c++) s += std::exp(z0[r*cols+c]-mx); wl[r] = std::log(s)+mx-z0[r*cols+labels[r]];
        for (int c = 0; c < cols; c++) wz[r*cols+c] = rowScale*std::exp(z0[r*cols+c]-mx)/s - (c == labels[r] ? rowScale : 0); }
      check("cross_entropy gradient (in place)", z, wz, 1e-5); check("cross_entropy losses", losses, wl, 1e-5); }
    // Column sums: plain and LayerNorm's x̂·dy, 70 columns (3 blocks of 32), 45 rows.
    { int rows = 45, cols = 70; auto dy = rnd(rows * cols), x = rnd(rows * cols), mean = rnd(rows), rstd = rnd(rows, 0.5, 2);
      auto t1 = rnd(cols), t2 = rnd(cols); std::vector<double> w1(t1.begin(), t1.end()), w2(t2.begin(), t2.end());
      launch(column_sums, {3}, {32, 16}, dy.data(), (const float*)nullptr, (const float*)nullptr, (const float*)nullptr, (i64)rows, cols, t1.data());
      launch(column_sums, {3}, {32, 16}, dy.data(), x.data(), mean.data(), rstd.data(), (i64)rows, cols, t2.data());
      for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) { w1[c] += dy[r*cols+c]; w2[c] += (x[r*cols+c]-mean[r])*rstd[r]*dy[r*cols+c]; }
      check("column_sums", t1, w1, 1e-5); check("column_sums (normalised)", t2, w2, 1e-5); }
    // Sums: 20000 elements (3 blocks of 8192), then the doubles.
    { int n = 20000; auto x = rnd(n, 0, 1); std::vector<double> partials(3), result(1);
      for (int squared = 0; squared < 2; squared++) {
        launch(sum_blocks, {3}, {256}, x.data(), (i64)n, squared, partials.data());
        launch(sum_doubles, {1}, {1024}, partials.data(), (i64)3, result.data());
        double want = 0; for (float v : x) want += squared ? (double)v*v : v;
        check(squared ? "sum_blocks + sum_doubles (squares)" : "sum_blocks + sum_doubles", {(float)result[0]}, {want}, 1e-6); } }
    // Gather, scatter-add with a skipped row, swap, columns.
    { int V = 7, C = 5, N = 9; auto table = rnd(V * C), dy = rnd(N * C); int idx[9] = {0, 3, 3, 6, 2, 3, 1, 0, 5};
      std::vector<float> y(N * C), dT(V * C, 0.f);
      launch(gather_rows, {1}, {256}, table.data(), (i64)V, idx, y.data(), (i64)N, C, 0, fault);
      launch(scatter_add_rows, {1}, {256}, dy.data(), idx, (i64)N, C, dT.data(), (i64)V, 1, 3, fault);
      std::vector<double> wy(N * C), wdT(V * C, 0.0);
      for (int i = 0; i < N; i++) for (int c = 0; c < C; c++) { wy[i*C+c] = table[idx[i]*C+c]; if (idx[i] != 3) wdT[idx[i]*C+c] += dy[i*C+c]; }
      check("gather_rows", y, wy, 0); check("scatter_add_rows (skipping 3)", dT, wdT, 1e-6);
      int bad[1] = {7}; std::vector<float> y1(C);
      launch(gather_rows, {1}, {32}, table.data(), (i64)V, bad, y1.data(), (i64)1, C, 0, fault);
      check("gather_rows fault word", {(float)fault[0], (float)fault[1], (float)fault[2]}, {1, 7, 7}, 0); }
    { int A = 2, B = 3, Cc = 4, D = 5; auto x = rnd(A*B*Cc*D); std::vector<float> y(x.size()); std::vector<double> w(x.size());
      launch(swap_middle_axes, {1}, {128}, x.data(), y.data(), (i64)A, (i64)B, (i64)Cc, (i64)D);
      for (int i = 0; i < A; i++) for (int j = 0; j < B; j++) for (int k = 0; k < Cc; k++) for (int d = 0; d < D; d++) w[((i*Cc+k)*B+j)*D+d] = x[((i*B+j)*Cc+k)*D+d];
      check("swap_middle_axes", y, w, 0);
      int rows = 3, width = 8, block = 3, column = 4; auto wide = rnd(rows*width), narrow = rnd(rows*block); auto wide0 = wide;
      launch(copy_columns, {1}, {32}, wide.data(), narrow.data(), (i64)rows, width, block, column, 1);
      std::vector<double> ww(wide0.begin(), wide0.end()); for (int r = 0; r < rows; r++) for (int f = 0; f < block; f++) ww[r*width+column+f] = narrow[r*block+f];
      check("copy_columns", wide, ww, 0); }
    // Windows and max-pool: n 2, length 6, channels 3, width 3.
    { int n = 2, L = 6, C = 3, W = 3, P = L - W + 1; auto x = rnd(n*L*C); std::vector<float> cols(n*P*C*W); auto dcols = rnd(cols.size()); auto dx = rnd(x.size()); auto dx0 = dx;
      launch(unfold_windows, {1}, {64}, x.data(), cols.data(), (i64)n, L, C, W);
      launch(fold_windows, {1}, {64}, dcols.data(), dx.data(), (i64)n, L, C, W);
      std::vector<double> wc(cols.size()), wd(dx0.begin(), dx0.end());
      for (int i = 0; i < n; i++) for (int p = 0; p < P; p++) for (int k = 0; k < W; k++) for (int c = 0; c < C; c++) {
        wc[((i*P+p)*C+c)*W+k] = x[(i*L+p+k)*C+c]; wd[(i*L+p+k)*C+c] += dcols[((i*P+p)*C+c)*W+k]; }
      check("unfold_windows", cols, wc, 0); check("fold_windows", dx, wd, 1e-6);
      int F = 4; auto pos = rnd(n*P*F); std::vector<float> y(n*F), dpos(n*P*F); std::vector<int> am(n*F); auto dy = rnd(n*F);
      launch(max_pool, {1}, {32}, pos.data(), y.data(), am.data(), (i64)n, P, F);
      launch(max_pool_backward, {1}, {64}, dy.data(), am.data(), dpos.data(), (i64)n, P, F);
      std::vector<double> wy(n*F), wam(n*F), wdp(n*P*F, 0.0); std::vector<float> amf(am.begin(), am.end());
      for (int i = 0; i < n; i++) for (int f = 0; f < F; f++) { int best = 0; for (int p = 1; p < P; p++) if (pos[(i*P+p)*F+f] > pos[(i*P+best)*F+f]) best = p;
        wy[i*F+f] = pos[(i*P+best)*F+f]; wam[i*F+f] = best; wdp[(i*P+best)*F+f] = dy[i*F+f]; }
      check("max_pool", y, wy, 0); check("max_pool argmax", amf, wam, 0); check("max_pool_backward", dpos, wdp, 0); }
    // Elementwise.
    { int n = 1000; auto x = rnd(n, -4, 4), dy = rnd(n); std::vector<float> y(n), dx(n);
      const char* names[4] = {"gelu", "tanh", "relu", "sigmoid"};
      for (int f = 0; f < 4; f++) { launch(activate, {2}, {256}, f, x.data(), y.data(), (i64)n); launch(activate_backward, {2}, {256}, f, x.data(), y.data(), dy.data(), dx.data(), (i64)n);
        std::vector<double> wy(n), wdx(n); for (int i = 0; i < n; i++) { double v = x[i], Phi = 0.5*std::erfc(-v/std::sqrt(2.0)), s = 1/(1+std::exp(-v));
          double val[4] = {v*Phi, std::tanh(v), v > 0 ? v : 0, s}; double der[4] = {Phi + v*std::exp(-v*v/2)/std::sqrt(2*M_PI), 1-std::tanh(v)*std::tanh(v), v > 0 ? 1.0 : 0.0, s*(1-s)};
          wy[i] = val[f]; wdx[i] = dy[i]*der[f]; }
        char name[64]; snprintf(name, 64, "activate %s", names[f]); check(name, y, wy, 1e-5); snprintf(name, 64, "activate_backward %s", names[f]); check(name, dx, wdx, 1e-5); }
      std::vector<float> bias = rnd(10), xb = rnd(100); auto xb0 = xb; launch(add_bias, {1}, {256}, xb.data(), bias.data(), (i64)10, 10);
      std::vector<double> wb(100); for (int i = 0; i < 100; i++) wb[i] = xb0[i] + bias[i % 10]; check("add_bias", xb, wb, 0); }
    // add, scale, gated_mix and its backward.
    { int n = 700; auto a = rnd(n), b = rnd(n), g = rnd(n, 0, 1), dy = rnd(n);
      std::vector<float> c(n), s(n), y(n), dg(n), da(n), db(n);
      launch(add, {1}, {256}, a.data(), b.data(), c.data(), (i64)n);
      launch(scale, {1}, {256}, a.data(), -1.5f, s.data(), (i64)n);
      launch(gated_mix, {1}, {256}, g.data(), a.data(), b.data(), y.data(), (i64)n);
      launch(gated_mix_backward, {1}, {256}, g.data(), a.data(), b.data(), dy.data(), dg.data(), da.data(), db.data(), (i64)n);
      std::vector<double> wc(n), ws(n), wy(n), wdg(n), wda(n), wdb(n);
      for (int i = 0; i < n; i++) { wc[i] = a[i] + b[i]; ws[i] = -1.5 * a[i]; wy[i] = g[i] * a[i] + (1 - g[i]) * b[i];
        wdg[i] = dy[i] * (a[i] - b[i]); wda[i] = dy[i] * g[i]; wdb[i] = dy[i] * (1 - g[i]); }
      check("add", c, wc, 1e-7); check("scale", s, ws, 1e-7); check("gated_mix", y, wy, 1e-6);
      check("gated_mix_backward dGate", dg, wdg, 1e-6); check("gated_mix_backward dA", da, wda, 1e-6); check("gated_mix_backward dB", db, wdb, 1e-6); }
    // Dropout against the hash computed here.
    { int n = 3000; auto x = rnd(n); std::vector<float> y(n), dx(n); std::vector<signed char> mask(n); unsigned low = 0x12345678u, high = 0x9abcdef0u, threshold = 429496729u;
      launch(dropout_forward, {4}, {256}, x.data(), low, high, threshold, 1/0.9f, mask.data(), y.data(), (i64)n);
      auto mix = [](unsigned h) { h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; return h ^ (h >> 16); };
      std::vector<double> w(n); int kept = 0; for (int i = 0; i < n; i++) { bool k = mix(mix((unsigned)i * 0x9E3779B9u ^ low) ^ high) >= threshold; kept += k; w[i] = k ? x[i] * (1/0.9f) : 0; }
      check("dropout_forward", y, w, 0); printf("     kept %d of %d\n", kept, n);
      auto dy = rnd(n); std::vector<double> wdx(n);
      launch(dropout_backward, {4}, {256}, dy.data(), mask.data(), 1/0.9f, dx.data(), (i64)n);
      for (int i = 0; i < n; i++) wdx[i] = mask[i] ? dy[i] * (1/0.9f) : 0;
      check("dropout_backward", dx, wdx, 0);
      check("dropout_forward keeps about 90%", {(float)kept}, {0.9 * n}, 0.03); }
    // AdamW and LAMB over three segments (one decaying, one not, one decaying) in chunks.
    { int N = 40000; std::vector<i64> chunks; std::vector<int> decays = {1, 0, 1}, first, counts;
      int seg[3][2] = {{0, 20000}, {20016, 700}, {20720, 19280}};
      for (int s = 0; s < 3; s++) { first.push_back(chunks.size() / 3); for (int st = seg[s][0]; st < seg[s][0] + seg[s][1]; st += 16384) { chunks.push_back(s); chunks.push_back(st); chunks.push_back(std::min(st + 16384, seg[s][0] + seg[s][1])); } counts.push_back(chunks.size() / 3 - first.back()); }
      int nc = chunks.size() / 3; AdamScalars sc{1e-3f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-6f, 0.01f, 0.5f, 1 / 0.271f, 1 / 0.002997f};
      for (int lamb = 0; lamb < 2; lamb++) {
        auto p = rnd(N), g = rnd(N), m = rnd(N, -0.1, 0.1), v = rnd(N, 0, 0.01); auto p0 = p, g0 = g, m0 = m, v0 = v;
        std::vector<double> squares(2 * nc); std::vector<float> rates(3);
        if (lamb) { launch(lamb_update, {(unsigned)nc}, {256}, p.data(), g.data(), m.data(), v.data(), chunks.data(), decays.data(), sc, squares.data());
                    launch(lamb_rates, {1}, {256}, squares.data(), first.data(), counts.data(), decays.data(), 3, sc.learningRate, sc.weightDecay, rates.data());
                    launch(lamb_apply, {(unsigned)nc}, {256}, p.data(), g.data(), chunks.data(), rates.data()); }
        else launch(adamw_step, {(unsigned)nc}, {256}, p.data(), g.data(), m.data(), v.data(), chunks.data(), decays.data(), sc);
        std::vector<double> wp(p0.begin(), p0.end());
        for (int s = 0; s < 3; s++) { double ps = 0, us = 0; std::vector<double> u(seg[s][1]);
          for (int k = 0; k < seg[s][1]; k++) { int i = seg[s][0] + k; double gg = g0[i] * 0.5, mm = 0.9 * m0[i] + 0.1 * gg, vv = 0.999 * v0[i] + 0.001 * gg * gg;
            double dir = mm * sc.firstFactor / (std::sqrt(vv * sc.secondFactor) + 1e-6);
            if (lamb) { u[k] = dir + (decays[s] ? 0.01 * p0[i] : 0); ps += (double)p0[i] * p0[i]; us += u[k] * u[k]; }
            else wp[i] = p0[i] * (decays[s] ? 1 - 1e-3 * 0.01 : 1) - 1e-3 * dir; }
          if (lamb) { double rate = decays[s] && ps > 0 && us > 0 ? 1e-3 * std::sqrt(ps / us) : 1e-3; for (int k = 0; k < seg[s][1]; k++) wp[seg[s][0] + k] -= rate * u[k]; } }
        check(lamb ? "lamb (three kernels)" : "adamw_step", p, wp, 1e-5); } }
    printf(failures ? "%d FAILED\n" : "all passed\n", failures);
    return failures != 0;
}
