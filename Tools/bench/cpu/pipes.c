// Which execution pipes the 512-bit instructions of the fused kernels share (issue 8):
// throughput of each instruction alone and of pairs of independent streams. A pair that
// runs at about half the per-op time of its members alone runs on separate pipes; one
// that runs at about their average shares them. Figures are TSC cycles per instruction
// (the TSC ticks at the nominal clock, not the core's), so compare rows, not absolutes.
//
//   clang -O2 -mavx512f Tools/bench/cpu/pipes.c -o /tmp/pipes && /tmp/pipes
#include <stdint.h>
#include <stdio.h>
#include <x86intrin.h>

#define ITERATIONS 12500000ULL
// Eight independent instances of `op` on zmm0–7 (a) or zmm10–17 (b), operand zmm8/zmm9.
#define A(op) op " %%zmm8,%%zmm0,%%zmm0\n" op " %%zmm8,%%zmm1,%%zmm1\n" op " %%zmm8,%%zmm2,%%zmm2\n" op " %%zmm8,%%zmm3,%%zmm3\n" \
              op " %%zmm8,%%zmm4,%%zmm4\n" op " %%zmm8,%%zmm5,%%zmm5\n" op " %%zmm8,%%zmm6,%%zmm6\n" op " %%zmm8,%%zmm7,%%zmm7\n"
#define B(op) op " %%zmm9,%%zmm10,%%zmm10\n" op " %%zmm9,%%zmm11,%%zmm11\n" op " %%zmm9,%%zmm12,%%zmm12\n" op " %%zmm9,%%zmm13,%%zmm13\n" \
              op " %%zmm9,%%zmm14,%%zmm14\n" op " %%zmm9,%%zmm15,%%zmm15\n" op " %%zmm9,%%zmm16,%%zmm16\n" op " %%zmm9,%%zmm17,%%zmm17\n"
#define B_UNARY(op) op " %%zmm10,%%zmm10\n" op " %%zmm11,%%zmm11\n" op " %%zmm12,%%zmm12\n" op " %%zmm13,%%zmm13\n" \
                    op " %%zmm14,%%zmm14\n" op " %%zmm15,%%zmm15\n" op " %%zmm16,%%zmm16\n" op " %%zmm17,%%zmm17\n"
#define B_CMP(op) op " %%zmm9,%%zmm10,%%k1\n" op " %%zmm9,%%zmm11,%%k2\n" op " %%zmm9,%%zmm12,%%k3\n" op " %%zmm9,%%zmm13,%%k4\n" \
                  op " %%zmm9,%%zmm14,%%k5\n" op " %%zmm9,%%zmm15,%%k6\n" op " %%zmm9,%%zmm16,%%k7\n" op " %%zmm9,%%zmm17,%%k1\n"

static float ones[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, zeros[16];

// Every stream starts at 1 and its operand is 0 (scale 2^0 for vscalefps): no subnormal,
// NaN or overflow ever slows an instruction down.
#define RESET()                                                                                                    \
  __asm__ volatile("vmovups %0,%%zmm0\n vmovups %0,%%zmm1\n vmovups %0,%%zmm2\n vmovups %0,%%zmm3\n"               \
                   "vmovups %0,%%zmm4\n vmovups %0,%%zmm5\n vmovups %0,%%zmm6\n vmovups %0,%%zmm7\n"               \
                   "vmovups %0,%%zmm10\n vmovups %0,%%zmm11\n vmovups %0,%%zmm12\n vmovups %0,%%zmm13\n"           \
                   "vmovups %0,%%zmm14\n vmovups %0,%%zmm15\n vmovups %0,%%zmm16\n vmovups %0,%%zmm17\n"           \
                   "vmovups %1,%%zmm8\n vmovups %1,%%zmm9\n" ::"m"(ones), "m"(zeros)                               \
                   : "memory")

#define TIME(name, body, ops)                                                                                      \
  {                                                                                                                \
    RESET();                                                                                                       \
    const uint64_t start = __rdtsc();                                                                              \
    for (uint64_t i = 0; i < ITERATIONS; i++) __asm__ volatile(body ::: "memory");                                 \
    printf("%-24s %.3f\n", name, (double)(__rdtsc() - start) / (ITERATIONS * (ops)));                             \
  }

int main(void) {
  printf("%-24s %s\n", "instructions", "TSC cycles per instruction");
  TIME("vaddps", A("vaddps"), 8)
  TIME("vmulps", A("vmulps"), 8)
  TIME("vmaxps", B("vmaxps"), 8)
  TIME("vscalefps", B("vscalefps"), 8)
  TIME("vrndscaleps", B_UNARY("vrndscaleps $9,"), 8)
  TIME("vaddps + vmulps", A("vaddps") B("vmulps"), 16)
  TIME("vaddps + vmaxps", A("vaddps") B("vmaxps"), 16)
  TIME("vmulps + vmaxps", A("vmulps") B("vmaxps"), 16)
  TIME("vaddps + vrndscaleps", A("vaddps") B_UNARY("vrndscaleps $9,"), 16)
  TIME("vmulps + vrndscaleps", A("vmulps") B_UNARY("vrndscaleps $9,"), 16)
  TIME("vaddps + vscalefps", A("vaddps") B("vscalefps"), 16)
  TIME("vmulps + vscalefps", A("vmulps") B("vscalefps"), 16)
  TIME("vaddps + vcmpunordps", A("vaddps") B_CMP("vcmpunordps"), 16)
  TIME("vmulps + vcmpunordps", A("vmulps") B_CMP("vcmpunordps"), 16)
  TIME("vaddps + vpmaxsd", A("vaddps") B("vpmaxsd"), 16)
  TIME("vmulps + vpmaxsd", A("vmulps") B("vpmaxsd"), 16)
  return 0;
}
