# run=guest with the test guest's attack "decode" (issue 11 finding 4, the XSA-120 class): the
# guest clears memory decoding in edu's command register, reads it back and touches BAR0 while
# it stays mapped. skiff emulates the bit: the guest reads back what it wrote, edu's physical
# command register keeps memory decoding on (run.decode_kept), so the access reaches edu instead
# of becoming an Unsupported Request, and edu answers afterwards.
SKIFF_ARGS="run=guest guest.attack=decode"
EXPECT=(
	"^\[ *[0-9.]+\] run: guest0: attack decode \(guest.attack\)"
	"\[guest\] attack: decode$"
	"\[guest\] decode: memory decoding cleared, command reads 0x0000000000000004, BAR0 ident reads 0x00000000010000ed$"
	"\[guest\] decode: edu answers with decoding back on$"
	"\[guest\] verdict 0x0000000000000000$"
	"^PASS run.build$" "^PASS run.verdict$" "^PASS run.decode_kept$" "^PASS run.exits$"
	"^skiff: verdict PASS$"
)
FORBID=("error: " "warning: ")
