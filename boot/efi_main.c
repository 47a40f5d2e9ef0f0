// SPDX-License-Identifier: MIT
/*
 * skiff's UEFI entry (gnu-efi). Collects what the kernel needs into struct boot_info, takes its
 * heap and stack from the firmware, exits boot services and jumps to kernel_main on its own
 * stack. Before that it reads the files the VM configuration names (vmm/vm_config.h) from
 * skiff's own volume. This is the only translation unit that sees gnu-efi's headers.
 */
#include <efi.h>
#include <efilib.h>

#include "boot/boot_info.h"
#include "boot/loadopt.h"
#include "boot/memmap.h"
#include "kernel/cmdline.h"
#include "vmm/vm_config.h"

#define HEAP_SIZE_MAX	      (64ull << 20)
#define HEAP_SIZE_MIN	      (8ull << 20)
#define STACK_SIZE	      (64ull << 10)
#define MAP_SLACK_DESCRIPTORS 16
#define EBS_MAX_ATTEMPTS      8
#define CONFIG_FILE_MAX	      4096
#define EBS_RETRY_TEST_OPTION "efi.ebs_retry_test=1"

/* boot/enter_kernel.S: switch to @stack_top and call @entry(@bi); never returns. */
void enter_kernel(struct boot_info *bi, uint64_t stack_top, void (*entry)(struct boot_info *))
	__attribute__((noreturn));

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

static uint64_t pages_of(uint64_t bytes)
{
	return (bytes + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;
}

/* Pages of EfiLoaderData stay skiff's after ExitBootServices. */
static EFI_STATUS alloc_pages(uint64_t bytes, uint64_t *pa)
{
	EFI_PHYSICAL_ADDRESS addr = 0;
	EFI_STATUS st = BS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages_of(bytes), &addr);

	*pa = addr;
	return st;
}

static void ucs2_to_ascii(const CHAR16 *s, char *out, size_t size)
{
	size_t n = 0;

	while (s && s[n] && n + 1 < size) {
		out[n] = (s[n] >= ' ' && s[n] < 0x7f) ? (char)s[n] : '?';
		n++;
	}
	out[n] = '\0';
}

static void find_acpi(struct boot_info *bi)
{
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (!CompareGuid(&t->VendorGuid, &acpi20_guid))
			bi->acpi_rsdp = (uint64_t)(UINTN)t->VendorTable;
		else if (!CompareGuid(&t->VendorGuid, &acpi10_guid))
			bi->acpi_rsdp_v1 = (uint64_t)(UINTN)t->VendorTable;
	}
}

static void read_config_file(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	static char text[CONFIG_FILE_MAX];
	EFI_FILE_HANDLE root = LibOpenRoot(li->DeviceHandle), f;
	UINTN n = sizeof(text);
	int r;

	if (!root)
		return;
	if (root->Open(root, &f, L"\\skiff.cfg", EFI_FILE_MODE_READ, 0) != EFI_SUCCESS) {
		root->Close(root);
		return;
	}
	if (f->Read(f, &n, text) == EFI_SUCCESS) {
		r = config_to_cmdline(text, n, bi->cmdline, sizeof(bi->cmdline));
		bi->cmdline_source = CMDLINE_CONFIG_FILE;
		bi->cmdline_error = r < 0 ? r : 0;
	}
	f->Close(f);
	root->Close(root);
}

static void read_cmdline(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	int r = loadopt_to_cmdline(li->LoadOptions, li->LoadOptionsSize, bi->cmdline,
				   sizeof(bi->cmdline));

	if (r != 0) {
		bi->cmdline_source = CMDLINE_LOAD_OPTIONS;
		bi->cmdline_error = r < 0 ? r : 0;
		return;
	}
	read_config_file(li, bi);
}

/* Copies the ASCII string @s into @out (@size bytes, NUL-terminated), cut to fit. */
static void copy_ascii(const char *s, char *out, size_t size)
{
	size_t n = 0;

	while (s[n] && n + 1 < size) {
		out[n] = s[n];
		n++;
	}
	out[n] = '\0';
}

/*
 * Reads @bf->path from @root into fresh EfiLoaderData pages (UEFI 2.10, 13.5: Open, GetInfo
 * with EFI_FILE_INFO for the size, Read). Sets @bf's base, size and status.
 */
static void read_file(EFI_FILE_HANDLE root, struct boot_file *bf)
{
	CHAR16 name[BOOT_FILE_PATH_SIZE];
	EFI_FILE_HANDLE f;
	EFI_FILE_INFO *info;
	UINTN n;
	size_t i;
	uint64_t base = 0, size;
	EFI_STATUS st;

	for (i = 0; bf->path[i]; i++)
		name[i] = (CHAR16)bf->path[i];
	name[i] = 0;
	st = root->Open(root, &f, name, EFI_FILE_MODE_READ, 0);
	if (st != EFI_SUCCESS) {
		bf->status = BOOT_FILE_NOT_FOUND;
		bf->efi_status = st;
		return;
	}
	info = LibFileInfo(f);
	if (!info || (info->Attribute & EFI_FILE_DIRECTORY)) {
		bf->status = info ? BOOT_FILE_NOT_A_FILE : BOOT_FILE_READ_ERROR;
		if (info)
			FreePool(info);
		f->Close(f);
		return;
	}
	size = info->FileSize;
	FreePool(info);
	if (size) {
		st = alloc_pages(size, &base);
		if (st != EFI_SUCCESS) {
			bf->status = BOOT_FILE_NO_MEMORY;
			bf->efi_status = st;
			f->Close(f);
			return;
		}
		n = size;
		st = f->Read(f, &n, (void *)(UINTN)base);
		if (st != EFI_SUCCESS || n != size) {
			bf->status = BOOT_FILE_READ_ERROR;
			bf->efi_status = st;
			BS->FreePages(base, pages_of(size));
			f->Close(f);
			return;
		}
	}
	f->Close(f);
	bf->base = base;
	bf->size = size;
	bf->status = BOOT_FILE_READ;
}

/* Notes @path, named by @key, in bi->files and reads it from @root (NULL: no file system). */
static void add_file(EFI_FILE_HANDLE root, struct boot_info *bi, const char *key, const char *path)
{
	struct boot_file *bf = &bi->files[bi->nr_files++];

	copy_ascii(key, bf->key, sizeof(bf->key));
	copy_ascii(path, bf->path, sizeof(bf->path));
	if (root)
		read_file(root, bf);
	else
		bf->status = BOOT_FILE_NO_VOLUME;
}

_Static_assert(BOOT_FILE_PATH_SIZE >= VM_CONFIG_PATH_MAX, "an ESP path fits a boot_file");
_Static_assert(BOOT_MAX_FILES >= 2, "vm.kernel and vm.initrd fit bi->files");

/*
 * The files a valid VM configuration on the command line names, read from skiff's own volume
 * into bi->files. An invalid configuration reads nothing: the kernel reports it.
 */
static void read_vm_files(EFI_LOADED_IMAGE *li, struct boot_info *bi)
{
	static struct cmdline c;
	struct vm_config vc;
	struct vm_config_error err;
	EFI_FILE_HANDLE root;

	if (cmdline_parse(&c, bi->cmdline) < 0 || vm_config_parse(&c, &vc, &err) != 1)
		return;
	root = LibOpenRoot(li->DeviceHandle);
	add_file(root, bi, "vm.kernel", vc.kernel);
	if (vc.initrd)
		add_file(root, bi, "vm.initrd", vc.initrd);
	if (root)
		root->Close(root);
}

static int has_option(const char *cmdline, const char *opt)
{
	size_t n = strlena((CHAR8 *)opt);

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmpa((CHAR8 *)p, (CHAR8 *)opt, n) && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

/*
 * GetMemoryMap + ExitBootServices, retried while the map key goes stale (UEFI 2.10, 7.4:
 * EFI_INVALID_PARAMETER means the map changed; only memory allocation services may be used
 * before the next attempt). With @force_stale the first attempt changes the map on purpose.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *bi, int force_stale)
{
	void *map = NULL;
	UINTN cap = 0, size, key, desc_size;
	UINT32 desc_version;
	EFI_STATUS st;

	for (uint32_t attempt = 1; attempt <= EBS_MAX_ATTEMPTS;) {
		size = cap;
		st = BS->GetMemoryMap(&size, map, &key, &desc_size, &desc_version);
		if (st == EFI_BUFFER_TOO_SMALL) {
			if (map)
				BS->FreePool(map);
			cap = size + MAP_SLACK_DESCRIPTORS * desc_size;
			st = BS->AllocatePool(EfiLoaderData, cap, &map);
			if (st != EFI_SUCCESS)
				return st;
			continue;
		}
		if (st != EFI_SUCCESS)
			return st;
		if (force_stale && attempt == 1) {
			EFI_PHYSICAL_ADDRESS page;

			if (BS->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &page) ==
			    EFI_SUCCESS)
				BS->FreePages(page, 1);
		}
		st = BS->ExitBootServices(image, key);
		if (st == EFI_SUCCESS) {
			int n = memmap_convert(map, size, desc_size, bi->regions, BOOT_MAX_REGIONS);

			bi->ebs_attempts = attempt;
			bi->nr_regions = n < 0 ? 0 : (uint32_t)n;
			bi->memmap_error = n < 0 ? n : 0;
			return EFI_SUCCESS;
		}
		if (st != EFI_INVALID_PARAMETER)
			return st;
		attempt++;
	}
	return EFI_ABORTED;
}

/* gnu-efi 3.0.15's crt0 calls efi_main with the System V ABI: not EFIAPI. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li;
	struct boot_info *bi;
	uint64_t bi_pa, heap = 0, heap_size, stack;
	EFI_STATUS st;

	InitializeLib(image, systab);
	BS->SetWatchdogTimer(0, 0, 0, NULL);

	st = alloc_pages(sizeof(*bi), &bi_pa);
	if (st != EFI_SUCCESS) {
		Print(L"skiff: cannot allocate boot_info: %r\n", st);
		return st;
	}
	bi = (struct boot_info *)(UINTN)bi_pa;
	ZeroMem(bi, sizeof(*bi));
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->skiff[SKIFF_RANGE_BOOT_INFO] =
		(struct phys_range){ bi_pa, pages_of(sizeof(*bi)) * PAGE_SIZE_4K };

	st = BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	if (st != EFI_SUCCESS) {
		Print(L"skiff: no loaded image protocol: %r\n", st);
		return st;
	}
	bi->skiff[SKIFF_RANGE_IMAGE] =
		(struct phys_range){ (uint64_t)(UINTN)li->ImageBase,
				     pages_of(li->ImageSize) * PAGE_SIZE_4K };
	read_cmdline(li, bi);
	read_vm_files(li, bi);
	ucs2_to_ascii(ST->FirmwareVendor, bi->fw_vendor, sizeof(bi->fw_vendor));
	bi->fw_revision = ST->FirmwareRevision;
	bi->uefi_revision = ST->Hdr.Revision;
	find_acpi(bi);

	for (heap_size = HEAP_SIZE_MAX; heap_size >= HEAP_SIZE_MIN; heap_size /= 2)
		if (alloc_pages(heap_size, &heap) == EFI_SUCCESS)
			break;
	if (heap_size < HEAP_SIZE_MIN) {
		Print(L"skiff: cannot allocate a heap of %d MiB\n", (int)(HEAP_SIZE_MIN >> 20));
		return EFI_OUT_OF_RESOURCES;
	}
	bi->skiff[SKIFF_RANGE_HEAP] = (struct phys_range){ heap, heap_size };
	st = alloc_pages(STACK_GUARD_SIZE + STACK_SIZE, &stack);
	if (st != EFI_SUCCESS) {
		Print(L"skiff: cannot allocate the kernel stack: %r\n", st);
		return st;
	}
	bi->skiff[SKIFF_RANGE_STACK] = (struct phys_range){ stack, STACK_GUARD_SIZE + STACK_SIZE };

	st = exit_boot_services(image, bi, has_option(bi->cmdline, EBS_RETRY_TEST_OPTION));
	if (st != EFI_SUCCESS) {
		/* Boot services may be partly shut down here; this is the last thing we try. */
		Print(L"skiff: ExitBootServices failed: %r\n", st);
		return st;
	}
	enter_kernel(bi, stack + STACK_GUARD_SIZE + STACK_SIZE, kernel_main);
}
