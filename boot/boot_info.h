/* SPDX-License-Identifier: MIT */
/*
 * struct boot_info: the only contract between boot/ (UEFI, before ExitBootServices) and the
 * kernel (after it). Plain data with fixed-width fields; after ExitBootServices nothing calls UEFI.
 */
#ifndef SKIFF_BOOT_BOOT_INFO_H
#define SKIFF_BOOT_BOOT_INFO_H

#include <stdint.h>

#define BOOT_INFO_MAGIC	    0x4f464e4946464b53ull /* "SKFFINFO" */
#define BOOT_INFO_VERSION   2u
#define BOOT_MAX_REGIONS    512u
#define BOOT_MAX_RESERVED   8u
#define BOOT_CMDLINE_SIZE   1024u
#define BOOT_FW_VENDOR_SIZE 64u
#define BOOT_MAX_FILES	    2u	 /* vm.kernel and vm.initrd */
#define BOOT_FILE_KEY_SIZE  16u	 /* the option that named the file, e.g. "vm.kernel" */
#define BOOT_FILE_PATH_SIZE 128u /* VM_CONFIG_PATH_MAX */
#define PAGE_SIZE_4K	    4096ull

/* What a physical range is, once boot services are gone (UEFI 2.10, 7.2, table 7-6). */
enum mem_type {
	MEM_FREE,	   /* EfiConventionalMemory */
	MEM_LOADER,	   /* EfiLoaderCode/Data: free after EBS except skiff's own ranges */
	MEM_BOOT_SERVICES, /* EfiBootServicesCode/Data: free once skiff runs on its own tables */
	MEM_RUNTIME,	   /* EfiRuntimeServicesCode/Data: the firmware keeps it */
	MEM_ACPI_RECLAIM,  /* EfiACPIReclaimMemory: ACPI tables, kept */
	MEM_ACPI_NVS,	   /* EfiACPIMemoryNVS */
	MEM_MMIO,	   /* EfiMemoryMappedIO, EfiMemoryMappedIOPortSpace */
	MEM_PERSISTENT,	   /* EfiPersistentMemory */
	MEM_RESERVED,	   /* EfiReservedMemoryType, EfiPalCode, unknown types */
	MEM_UNUSABLE,	   /* EfiUnusableMemory, EfiUnacceptedMemoryType */
	MEM_TYPE_COUNT,
};

/* One range of the firmware's memory map, page aligned, in bytes. */
struct mem_region {
	uint64_t base;
	uint64_t size;
	uint64_t efi_attributes; /* EFI_MEMORY_UC/WC/WT/WB/... as the firmware gave them */
	uint32_t type;		 /* enum mem_type */
	uint32_t efi_type;	 /* the firmware's EFI_MEMORY_TYPE, for the log */
};

/* Ranges skiff itself owns after EBS; the frame allocator never hands them out. */
enum skiff_range {
	SKIFF_RANGE_IMAGE,
	SKIFF_RANGE_BOOT_INFO,
	SKIFF_RANGE_HEAP,
	SKIFF_RANGE_STACK, /* includes one guard page at its base, left unmapped */
	SKIFF_RANGE_COUNT,
};

struct phys_range {
	uint64_t base;
	uint64_t size;
};

/* What became of a file boot/ was asked to read. */
enum boot_file_status {
	BOOT_FILE_READ,
	BOOT_FILE_NOT_FOUND,  /* EFI_FILE_PROTOCOL.Open failed (efi_status says how) */
	BOOT_FILE_NOT_A_FILE, /* the path names a directory */
	BOOT_FILE_READ_ERROR, /* GetInfo or Read failed, or Read returned fewer bytes */
	BOOT_FILE_NO_MEMORY,  /* AllocatePages failed */
	BOOT_FILE_NO_VOLUME,  /* skiff's own volume has no simple file system */
};

/*
 * A file boot/ read from the ESP for the kernel (UEFI 2.10, 13.5 EFI_FILE_PROTOCOL). When
 * @status is BOOT_FILE_READ it lies in EfiLoaderData pages from @base (page aligned; none when
 * @size is 0), which the frame allocator never hands out; otherwise @base and @size are 0.
 */
struct boot_file {
	char key[BOOT_FILE_KEY_SIZE];	/* the option naming it, e.g. "vm.kernel" */
	char path[BOOT_FILE_PATH_SIZE]; /* as given, "\\EFI\\..." */
	uint64_t base;
	uint64_t size;	     /* bytes */
	uint64_t efi_status; /* the failing call's EFI_STATUS, 0 when read */
	uint32_t status;     /* enum boot_file_status */
	uint32_t reserved;
};

struct boot_info {
	uint64_t magic;
	uint32_t version;
	uint32_t ebs_attempts;	/* ExitBootServices calls until it succeeded */
	uint64_t acpi_rsdp;	/* physical address of the ACPI 2.0+ RSDP, 0 if none */
	uint64_t acpi_rsdp_v1;	/* ACPI 1.0 RSDP when the firmware offers only that, else 0 */
	uint32_t fw_revision;	/* EFI_SYSTEM_TABLE.FirmwareRevision */
	uint32_t uefi_revision; /* EFI_SYSTEM_TABLE.Hdr.Revision (major << 16 | minor) */
	char fw_vendor[BOOT_FW_VENDOR_SIZE];
	char cmdline[BOOT_CMDLINE_SIZE];
	uint32_t cmdline_source; /* enum cmdline_source */
	int32_t cmdline_error;	 /* why the command line at its source was rejected, else 0 */
	uint32_t nr_regions;
	int32_t memmap_error; /* memmap_convert()'s error after EBS, else 0 */
	struct phys_range skiff[SKIFF_RANGE_COUNT];
	uint32_t nr_files;
	uint32_t reserved;
	struct boot_file files[BOOT_MAX_FILES];
	struct mem_region regions[BOOT_MAX_REGIONS];
};

enum cmdline_source {
	CMDLINE_NONE,
	CMDLINE_LOAD_OPTIONS, /* the boot entry's or shell's arguments */
	CMDLINE_CONFIG_FILE,  /* \skiff.cfg on the volume skiff was loaded from */
};

#define STACK_GUARD_SIZE PAGE_SIZE_4K

/* kernel_main - the kernel's entry, on skiff's own stack, after ExitBootServices. */
void kernel_main(struct boot_info *bi) __attribute__((noreturn));

#endif
