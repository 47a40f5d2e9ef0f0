# run=guest with the test guest's attack "msi_toggle" (issue 11 finding 5, log flooding): the
# guest toggles its MSI enable bit 1000 times, then alternates an NMI message and a good one 100
# times. skiff programs the IRTE and edu's MSI once (run.irte_writes), logs the first few lines
# of each kind and counts the rest (the report's "guest log" line), and the guest's one raise
# afterwards arrives once.
SKIFF_ARGS="run=guest guest.attack=msi_toggle"
EXPECT=(
	"^\[ *[0-9.]+\] run: guest0: attack msi_toggle \(guest.attack\)"
	"guest0: MSI of 00:0[0-9a-f].0: guest vector 0x40 -> .* IRTE [0-9]+ \(source-validated\) -> host vector [0-9]+ on APIC 0: on$"
	"\[guest\] msi_toggle: after the toggles and NMI messages, interrupts taken 0x0000000000000001$"
	"\[guest\] verdict 0x0000000000000000$"
	"  guest log  [0-9]+ guest-triggered event\(s\), [0-9]+ logged, [0-9]+ suppressed: "
	"^PASS run.build$" "^PASS run.verdict$" "^PASS run.irte_writes$" "^PASS run.exits$"
	"^skiff: verdict PASS$"
)
FORBID=("error: ")

# The guest's 2200 MSI writes: at most 3 lines of each kind skiff logs (vm_main.c LOG_FIRST; its
# arming line is the first "on"), and the report counts the rest.
scenario_check() {
	local kind re n suppressed
	for kind in on off refused; do
		case $kind in
		on) re='guest0: MSI of .*: guest vector 0x40 (->.*: )?on$' ;;
		off) re='guest0: MSI of .*: guest vector 0x40 off ' ;;
		refused) re='guest0: MSI address .* not delivered' ;;
		esac
		n=$(grep -cE "$re" "$1")
		[ "$n" -ge 1 ] && [ "$n" -le 3 ] || { echo "$n line(s) of MSI $kind (1 to 3)"; return 1; }
	done
	n=$(grep -cE 'guest0: MSI ' "$1")
	[ "$n" -le 9 ] || { echo "$n log lines about the guest's MSI (at most 9)"; return 1; }
	suppressed=$(sed -nE 's/.*  guest log  .* ([0-9]+) suppressed: .*/\1/p' "$1")
	[ "${suppressed:-0}" -ge 2000 ] || { echo "report counts ${suppressed:-no} suppressed line(s), expected 2000 or more"; return 1; }
}
