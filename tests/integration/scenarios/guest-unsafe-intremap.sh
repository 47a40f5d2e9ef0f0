# run=guest without interrupt remapping, asked for explicitly (vm.unsafe_no_intremap=1, issue 11
# finding 3): skiff passes edu through anyway with a loud warning, and programs edu's MSI in
# compatibility format (nothing validates its source: UNSAFE). The main job's checks pass.
SKIFF_ARGS="run=guest vm.unsafe_no_intremap=1"
IOMMU="intremap=off,x-scalable-mode=on,aw-bits=48"
EXPECT=(
	"\] warning: run: UNSAFE \(vm.unsafe_no_intremap=1\): 0000:00:0[0-9a-f].0 \(1234:11e8\) passed through behind vtd0 without interrupt remapping"
	"guest0: MSI of 00:0[0-9a-f].0: guest vector 0x40 -> compatibility-format message 0xfee00000/0x[0-9a-f]+ \(NOT remapped, source not validated\) -> host vector [0-9]+ on APIC 0: on$"
	"\[guest\] msi: one raise, vector 0x0000000000000040: interrupts taken 0x0000000000000001$"
	"  interrupts MSI guest vector 0x40, host vector [0-9]+, compatibility format \(UNSAFE: no interrupt remapping\): 1 host interrupt\(s\), 1 injected$"
	"^PASS run.build$" "^PASS run.verdict$" "^PASS run.dma_round_trip$" "^PASS run.msi$"
	"^PASS run.decode_kept$" "^PASS run.irte_writes$" "^PASS run.exits$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")
