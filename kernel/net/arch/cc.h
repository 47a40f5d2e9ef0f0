/* SPDX-License-Identifier: MIT */
/*
 * lwIP compiler/platform port for skiff (included by lwip/arch.h): newlib's headers, skiff's log
 * and panic. lwIP itself is compiled without skiff's include path, so this header declares what
 * it needs instead of including kernel/ headers; kernel/net/lwip_port.c includes both, so the
 * compiler catches any drift between the two declarations.
 */
#ifndef SKIFF_KERNEL_NET_ARCH_CC_H
#define SKIFF_KERNEL_NET_ARCH_CC_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h> /* ssize_t, and newlib's BYTE_ORDER/LITTLE_ENDIAN before lwIP defines any */

/* newlib's <limits.h> has no SSIZE_MAX; without it lwip/arch.h typedefs its own (int) ssize_t,
 * which clashes with newlib's (long) one from <sys/types.h>. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN /* x86-64 */
#endif

/* lwIP's errno values are newlib's (only used by the socket layer, which is off). */
#define LWIP_ERRNO_STDINCLUDE 1

/* panic - kernel/panic.h; ends the run with a FAIL verdict. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * lwip_port_diag - printf-style lwIP diagnostics to skiff's log (kernel/net/lwip_port.c).
 * lwIP prints lines in pieces; text is collected until '\n' so each log line is a whole line.
 */
void lwip_port_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* lwip_port_rand - pseudo-random 32 bits (not cryptographic) for ports, TCP ISNs and DNS IDs. */
uint32_t lwip_port_rand(void);

/* lwIP passes the message with its own parentheses: LWIP_PLATFORM_DIAG(("x=%d\n", x)). */
#define LWIP_PLATFORM_DIAG(x)     \
	do {                      \
		lwip_port_diag x; \
	} while (0)

/* An lwIP assertion is a bug in skiff or lwIP: stop the run rather than limp on. */
#define LWIP_PLATFORM_ASSERT(x) \
	panic("lwip: assertion \"%s\" failed at %s:%d", x, __FILE__, __LINE__)

#define LWIP_RAND() lwip_port_rand()

#endif
