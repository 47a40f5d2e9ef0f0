// SPDX-License-Identifier: MIT
/*
 * Time from the TSC. The TSC rate is measured against PIT channel 2 (8254 data sheet: mode 0,
 * gate through port 0x61 bit 0, output read back at port 0x61 bit 5), or taken from CPUID leaf
 * 0x16 when the PIT does not count (platforms that gate the 8254 off).
 */
#include "kernel/time.h"

#include <errno.h>

#include "kernel/log.h"
#include "kernel/arch/x86/x86.h"

#define PIT_HZ		       1193182ull
#define PIT_CH2_DATA	       0x42
#define PIT_COMMAND	       0x43
#define PIT_CMD_CH2_LOHI_MODE0 0xb0 /* channel 2, lobyte/hibyte access, mode 0, binary */
#define PORT_NMI_SC	       0x61 /* NMI status and control: bit 0 gate 2, bit 1 speaker */
#define NMI_SC_GATE2	       0x01u
#define NMI_SC_SPEAKER	       0x02u
#define NMI_SC_OUT2	       0x20u
#define CALIBRATE_MS	       20ull
#define CALIBRATE_TSC_LIMIT    (20ull * 1000 * 1000 * 1000) /* give up after ~20 G cycles */
#define CPUID_FREQ_LEAF	       0x16u
#define HZ_PER_MHZ	       1000000ull
#define NS_PER_S	       1000000000ull
#define US_PER_S	       1000000ull

static uint64_t tsc_hz;
static uint64_t tsc_origin;

static int calibrate_pit(uint64_t *hz)
{
	uint64_t latch = PIT_HZ * CALIBRATE_MS / 1000, t0, t1;
	uint8_t sc = inb(PORT_NMI_SC);

	outb(PORT_NMI_SC, (uint8_t)((sc & ~NMI_SC_SPEAKER) | NMI_SC_GATE2));
	outb(PIT_COMMAND, PIT_CMD_CH2_LOHI_MODE0);
	outb(PIT_CH2_DATA, (uint8_t)(latch & 0xff));
	outb(PIT_CH2_DATA, (uint8_t)(latch >> 8));
	t0 = rdtsc();
	do {
		t1 = rdtsc();
		if (t1 - t0 > CALIBRATE_TSC_LIMIT)
			return -EIO;
	} while (!(inb(PORT_NMI_SC) & NMI_SC_OUT2));
	outb(PORT_NMI_SC, sc);
	*hz = (t1 - t0) * 1000 / CALIBRATE_MS;
	return *hz ? 0 : -EIO;
}

int time_calibrate(void)
{
	uint64_t hz = 0;
	int err = calibrate_pit(&hz);

	tsc_origin = rdtsc();
	if (err) {
		struct cpuid_regs max = cpuid(0, 0);

		if (max.eax >= CPUID_FREQ_LEAF)
			hz = (cpuid(CPUID_FREQ_LEAF, 0).eax & 0xffff) * HZ_PER_MHZ;
		if (!hz)
			return err;
		log_warn("time: the PIT does not count; TSC rate %llu MHz from CPUID.16H",
			 (unsigned long long)(hz / HZ_PER_MHZ));
	}
	tsc_hz = hz;
	return 0;
}

uint64_t time_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t time_ns(void)
{
	uint64_t d;

	if (!tsc_hz)
		return 0;
	d = rdtsc() - tsc_origin;
	/* Split to keep d * 10^9 from overflowing 64 bits. */
	return d / tsc_hz * NS_PER_S + d % tsc_hz * NS_PER_S / tsc_hz;
}

void time_delay_us(uint64_t us)
{
	uint64_t start = rdtsc(), cycles = tsc_hz * us / US_PER_S;

	while (rdtsc() - start < cycles)
		cpu_relax();
}
