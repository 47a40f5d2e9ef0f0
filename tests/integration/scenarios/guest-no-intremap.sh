# run=guest on a VT-d unit without interrupt remapping (intremap=off): skiff refuses to pass edu
# through (issue 11 finding 3). Its DMA to 0xFEEx_xxxx would be a compatibility-format MSI
# with any vector, delivery mode (NMI, INIT, SMI) and destination. One error line names the
# device and the unit; nothing is built (no VM, device view, IRTE or vCPU); run.build fails
# with the reason, so the run's verdict is FAIL: the main job did not run. It is the only FAIL.
SKIFF_ARGS="run=guest"
IOMMU="intremap=off,x-scalable-mode=on,aw-bits=48"
VERDICT=FAIL
EXPECT=(
	"vtd0: no interrupt remapping \(ECAP.IR 0\)"
	"\] error: run: 0000:00:0[0-9a-f].0 \(1234:11e8\) not passed through: vtd0 cannot remap its interrupts \(-19\); .*vm.unsafe_no_intremap=1"
	"^FAIL run.build: refused: 0000:00:0[0-9a-f].0 behind vtd0 without interrupt remapping \(-19\)$"
	"^skiff: verdict FAIL$"
)
FORBID=("PASS run.build" "vm guest0: dev view" "IRTE .* allocated" "svm: enabled" "\[guest\]"
	"skiff run report" "^PASS run\." "warning: .*UNSAFE")

# The refusal is the run's only failure.
scenario_check() {
	local fails
	fails=$(grep -E '^FAIL ' "$1" | grep -v '^FAIL run.build: refused:')
	[ -z "$fails" ] || { echo "other failures: $fails"; return 1; }
}
