// The monotonic clock in seconds, for the timing programs in this folder.
#ifndef LK_BENCH_SECONDS_H
#define LK_BENCH_SECONDS_H
#include <time.h>

static inline double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
#endif
