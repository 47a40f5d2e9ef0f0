/* SPDX-License-Identifier: MIT */
/* Time since boot from the TSC, calibrated against the PIT. */
#ifndef SKIFF_KERNEL_TIME_H
#define SKIFF_KERNEL_TIME_H

#include <stdint.h>

/* time_calibrate - measure the TSC frequency against PIT channel 2. Returns 0 or -EIO. */
int time_calibrate(void);

/* time_tsc_hz - the calibrated TSC frequency in Hz (0 before time_calibrate()). */
uint64_t time_tsc_hz(void);

/* time_ns - nanoseconds since skiff took the TSC reference (0 before calibration). */
uint64_t time_ns(void);

/* time_delay_us - busy-wait at least @us microseconds. */
void time_delay_us(uint64_t us);

#endif
