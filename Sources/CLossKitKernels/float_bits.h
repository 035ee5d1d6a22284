// The IEEE bit patterns of floats and doubles, and back: shared by the ports of the
// frameworks' elementary functions (eigen_scalar.c, xla_math.h, sleef_math.h).
#ifndef LK_FLOAT_BITS_H
#define LK_FLOAT_BITS_H
#include <stdint.h>
#include <string.h>

static inline __attribute__((always_inline)) uint32_t bits_f(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline __attribute__((always_inline)) float f_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline __attribute__((always_inline)) uint64_t bits_d(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static inline __attribute__((always_inline)) double d_bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

#endif
