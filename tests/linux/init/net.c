// SPDX-License-Identifier: MIT
/*
 * The TFTP check: eth0 configured statically in QEMU's user-mode network (slirp's defaults: the
 * guest 10.0.2.15/24, the host and its TFTP server 10.0.2.2), one file fetched with busybox tftp
 * and its SHA-256 compared with the expected one.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/linux/init/check.h"
#include "tests/linux/init/devices.h"
#include "tests/linux/init/params.h"
#include "tests/linux/init/run.h"

#define NET_IFACE	"eth0"
#define NET_SYSFS	"/sys/class/net/" NET_IFACE
#define NET_CARRIER	NET_SYSFS "/carrier"
#define NET_ADDRESS	"10.0.2.15/24"
#define NET_TFTP_SERVER "10.0.2.2"
#define NET_LOCAL_FILE	"/tmp/tftp.file"

#define NET_APPEAR_MS  20000u /* from e1000e.ko's load to eth0 */
#define NET_CARRIER_MS 10000u /* from link up to carrier (autonegotiation) */
#define NET_IP_MS      5000u
#define NET_TFTP_MS    60000u /* busybox tftp retries on its own within this */
#define NET_SHA_MS     30000u

/* Run one busybox command; FAIL with its output in @detail when it does not exit 0. */
static unsigned int run_step(const char *const argv[], unsigned int timeout_ms, char *detail)
{
	char out[CHECK_DETAIL_LEN / 2];
	int status = run_busybox(argv, out, sizeof(out), timeout_ms);

	if (status < 0)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "busybox %s: %s", argv[0],
				 strerror(-status));
	if (status != 0) {
		out[strcspn(out, "\n")] = '\0';
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "busybox %s %s: status %d: %s", argv[0],
				 argv[1], status, out);
	}
	return GUEST_STATUS_PASS;
}

/* eth0 up with its address and carrier; PASS, else FAIL or SKIP (no NIC) with @detail. */
static unsigned int bring_up(char *detail)
{
	const char *const link_up[] = { "ip", "link", "set", NET_IFACE, "up", NULL };
	const char *const address[] = { "ip", "addr", "add", NET_ADDRESS, "dev", NET_IFACE, NULL };
	int n = pci_count_class(PCI_CLASS_NETWORK, PCI_CLASS_MASK_BASE);
	unsigned int status;

	if (n < 0)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "PCI devices: %s", strerror(-n));
	if (n == 0)
		return CHECK_SAY(detail, GUEST_STATUS_SKIP, "no network controller on the PCI bus");
	if (wait_for(path_exists, NET_SYSFS, NET_APPEAR_MS))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL,
				 "a network controller, but no %s in %u ms", NET_IFACE,
				 NET_APPEAR_MS);
	status = run_step(address, NET_IP_MS, detail);
	if (status == GUEST_STATUS_PASS)
		status = run_step(link_up, NET_IP_MS, detail);
	if (status != GUEST_STATUS_PASS)
		return status;
	if (wait_for(file_says_one, NET_CARRIER, NET_CARRIER_MS))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s has no carrier after %u ms",
				 NET_IFACE, NET_CARRIER_MS);
	return GUEST_STATUS_PASS;
}

unsigned int check_tftp(const struct cmdline *cmdline, char *detail)
{
	char file[PARAMS_FILE_MAX], want[SHA256_HEX_LEN + 1], got[SHA256_HEX_LEN + 1];
	const char *const tftp[] = { "tftp",	      "-g", "-r", file, "-l", NET_LOCAL_FILE,
				     NET_TFTP_SERVER, NULL };
	unsigned int status;
	const char *text;
	uint64_t start, took;
	struct stat st;
	int err;

	text = check_param(cmdline, PARAM_TFTP, detail, &status);
	if (!text)
		return status;
	err = params_tftp(text, file, want);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s=%s: %s", PARAM_TFTP, text,
				 strerror(-err));
	status = bring_up(detail);
	if (status != GUEST_STATUS_PASS)
		return status;
	start = now_ms();
	status = run_step(tftp, NET_TFTP_MS, detail);
	if (status != GUEST_STATUS_PASS)
		return status;
	took = now_ms() - start;
	if (stat(NET_LOCAL_FILE, &st))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s: %s", NET_LOCAL_FILE,
				 strerror(errno));
	err = run_sha256(NET_LOCAL_FILE, got, NET_SHA_MS);
	if (err)
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "sha256sum %s: %s", NET_LOCAL_FILE,
				 strerror(-err));
	if (strcmp(got, want))
		return CHECK_SAY(detail, GUEST_STATUS_FAIL, "%s (%jd bytes) has SHA-256 %s, not %s",
				 file, (intmax_t)st.st_size, got, want);
	return CHECK_SAY(detail, GUEST_STATUS_PASS,
			 "%s from %s, %jd bytes in %" PRIu64 " ms, SHA-256 %s", file,
			 NET_TFTP_SERVER, (intmax_t)st.st_size, took, got);
}
