// SPDX-License-Identifier: MIT
/*
 * kernel_main: skiff after ExitBootServices. Brings up the console, descriptor tables, time,
 * memory and lwIP, prints the boot report, runs the boot self-checks and any self-test the
 * command line selects, then the main job "run=" names (run=guest: the test guest with edu
 * passed through, vmm/vm_main.h; none by default), and ends the run with a verdict.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot/boot_info.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/arch/x86/apic.h"
#include "kernel/check.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/exit.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/irq.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"
#include "kernel/net/net.h"
#include "kernel/options.h"
#include "kernel/panic.h"
#include "iommu/iommu_boot.h"
#include "kernel/platform/platform.h"
#include "kernel/selftest.h"
#include "kernel/time.h"
#include "kernel/arch/x86/trap.h"
#include "vmm/vm_boot.h"
#include "vmm/vm_main.h"

#define SKIFF_VERSION	  "0.1"
#define MIB		  (1ull << 20)
#define UEFI_REV_MAJOR(r) ((r) >> 16)
#define UEFI_REV_MINOR(r) ((r)&0xffff)

static struct cmdline cmdline;
static struct cpu_info cpu;
static struct acpi_tables acpi;
static struct platform platform;
static struct vm_config vm_config; /* the VM the command line describes, if any */

static const char *const cmdline_sources[] = {
	[CMDLINE_NONE] = "none",
	[CMDLINE_LOAD_OPTIONS] = "load options",
	[CMDLINE_CONFIG_FILE] = "\\skiff.cfg",
};

/* ACPI tables are read where they are: skiff maps all firmware memory at its own address. */
static const uint8_t *acpi_map(uint64_t pa, uint64_t len)
{
	return mm_is_mapped(pa, len) ? (const uint8_t *)pa : NULL;
}

static uint64_t memory_of(const struct boot_info *bi, enum mem_type type)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type == type)
			sum += bi->regions[i].size;
	return sum;
}

static void report_acpi(void)
{
	char line[ACPI_MAX_TABLES * (ACPI_SIG_SIZE + 1) + 1] = "";

	for (unsigned int i = 0; i < acpi.count; i++) {
		strcat(line, " ");
		strcat(line, acpi.tables[i].signature);
	}
	log_info("  acpi       RSDP %#llx rev %u OEM '%s', %s %#llx:%s",
		 (unsigned long long)acpi.rsdp, acpi.revision, acpi.oem_id,
		 acpi.root_is_xsdt ? "XSDT" : "RSDT", (unsigned long long)acpi.root, line);
}

static void boot_report(const struct boot_info *bi)
{
	const struct phys_range *img = &bi->skiff[SKIFF_RANGE_IMAGE];
	uint64_t usable = memory_of(bi, MEM_FREE) + memory_of(bi, MEM_LOADER) +
			  memory_of(bi, MEM_BOOT_SERVICES);

	log_info("skiff boot report");
	log_info("  firmware   %s rev %#x, UEFI %u.%u", bi->fw_vendor, bi->fw_revision,
		 UEFI_REV_MAJOR(bi->uefi_revision), UEFI_REV_MINOR(bi->uefi_revision) / 10);
	log_info("  cpu        %s family %#x model %#x stepping %u \"%s\"", cpu.vendor, cpu.family,
		 cpu.model, cpu.stepping, cpu.brand);
	log_info("  virt       VMX %s, EPT %s, SVM %s, NPT %s%s", cpu.vmx ? "yes" : "no",
		 cpu.ept ? "yes" : "no", cpu.svm ? "yes" : "no", cpu.npt ? "yes" : "no",
		 cpu.hypervisor ? " (running under a hypervisor)" : "");
	log_info("  tsc        %llu.%03llu MHz", (unsigned long long)(time_tsc_hz() / 1000000),
		 (unsigned long long)(time_tsc_hz() / 1000 % 1000));
	log_info("  memory     %llu MiB usable of %u map regions; frames %llu free of %llu",
		 (unsigned long long)(usable / MIB), bi->nr_regions,
		 (unsigned long long)kernel_pmm.free_frames,
		 (unsigned long long)kernel_pmm.total_frames);
	log_info("  skiff      image %#llx-%#llx, heap %llu MiB, page tables at %#llx",
		 (unsigned long long)img->base, (unsigned long long)(img->base + img->size),
		 (unsigned long long)(bi->skiff[SKIFF_RANGE_HEAP].size / MIB),
		 (unsigned long long)mm_root());
	if (acpi.root)
		report_acpi();
	else
		log_info("  acpi       none usable");
	platform_report(&platform);
	log_info("  cmdline    \"%s\" (from %s)", bi->cmdline,
		 bi->cmdline_source < sizeof(cmdline_sources) / sizeof(cmdline_sources[0]) ?
			 cmdline_sources[bi->cmdline_source] :
			 "?");
}

static void setup_memory(struct boot_info *bi)
{
	int err;

	if (bi->memmap_error)
		panic("the firmware's memory map has more than %u regions", BOOT_MAX_REGIONS);
	heap_init(bi->skiff[SKIFF_RANGE_HEAP].base, bi->skiff[SKIFF_RANGE_HEAP].size);
	err = mm_init_frames(bi);
	if (!err)
		err = mm_init_paging(bi);
	if (err)
		panic("memory setup failed: %s", strerror(-err));
}

static void setup_cmdline(const struct boot_info *bi)
{
	int err;

	if (bi->cmdline_error)
		log_err("cmdline: the command line from %s was ignored: %s",
			cmdline_sources[bi->cmdline_source], strerror(-bi->cmdline_error));
	err = cmdline_parse(&cmdline, bi->cmdline);
	if (err < 0)
		log_err("cmdline: \"%s\" ignored: %s", bi->cmdline, strerror(-err));
	options_apply(&cmdline);
}

/* options.c lists the words of iommu.spr17 and iommu.ro_policy in these enums' order. */
_Static_assert(IOMMU_ERRATUM_AUTO == 0 && IOMMU_ERRATUM_ON == 1 && IOMMU_ERRATUM_OFF == 2,
	       "iommu.spr17=auto|on|off");
_Static_assert(IOMMU_RO_SKIP == 0 && IOMMU_RO_REFUSE == 1, "iommu.ro_policy=skip|refuse");

/* DMA remapping on unless "iommu=off"; options_apply() already rejected other values. */
static void setup_iommu(void)
{
	const char *on = cmdline_get(&cmdline, "iommu"),
		   *mode = cmdline_get(&cmdline, "iommu.mode");

	if (on && !strcmp(on, "off")) {
		log_warn("iommu: DMA remapping left off (iommu=off): devices reach all memory");
		return;
	}
	bool audit = false, qi = true;
	struct iommu_boot_options o = {
		.prefer_legacy = mode && !strcmp(mode, "legacy"),
		.spr17 = (enum iommu_erratum_option)options_value(&cmdline, "iommu.spr17",
								  IOMMU_ERRATUM_AUTO),
		.ro_policy = (enum iommu_ro_policy)options_value(&cmdline, "iommu.ro_policy",
								 IOMMU_RO_SKIP),
		.cpu_family = cpu.family,
		.cpu_model = cpu.model,
	};

	cmdline_get_bool(&cmdline, "iommu.audit", false, &audit);
	cmdline_get_bool(&cmdline, "iommu.qi", true, &qi);
	o.prefer_registers = !qi;
	if (iommu_boot(&platform, &o) > 0 && audit) {
		long n = iommu_audit();

		check(n == 0, "iommu.audit", "%ld violations (logged above)", n);
	}
}

/* The main job: "run=guest" runs the passthrough guest; "run=none" (the default) runs nothing. */
static void run_job(void)
{
	const char *job = cmdline_get(&cmdline, "run");

	if (job && !strcmp(job, "guest"))
		vmm_run_guest(&platform);
}

void kernel_main(struct boot_info *bi)
{
	console_init();
	gdt_init();
	idt_init();
	if (time_calibrate())
		log_warn("time: cannot measure the TSC rate; timestamps read 0");
	log_info("skiff %s: ExitBootServices done after %u attempt(s)", SKIFF_VERSION,
		 bi->ebs_attempts);
	if (bi->magic != BOOT_INFO_MAGIC || bi->version != BOOT_INFO_VERSION)
		panic("boot_info has magic %#llx version %u; expected %#llx version %u",
		      (unsigned long long)bi->magic, bi->version, BOOT_INFO_MAGIC,
		      BOOT_INFO_VERSION);

	setup_cmdline(bi);
	setup_memory(bi);
	cpu_identify(&cpu);
	acpi_tables_find(bi->acpi_rsdp ? bi->acpi_rsdp : bi->acpi_rsdp_v1, acpi_map, &acpi);
	if (platform_discover(&acpi, &platform))
		panic("platform: no memory for the platform model");
	if (apic_init(platform.madt))
		log_warn("apic: no local APIC: skiff runs without interrupts");
	setup_iommu();
	irq_enable();
	if (net_init())
		log_err("net: lwIP did not start");
	boot_report(bi);
	vm_boot_config(&cmdline, bi, &vm_config);

	selftest_boot(bi);
	selftest_run(&cmdline, &platform);
	run_job();

	skiff_exit(check_failures() ? VERDICT_FAIL : VERDICT_PASS);
}
