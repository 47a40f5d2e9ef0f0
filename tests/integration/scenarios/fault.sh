# A CPU exception (a write to the unmapped page 0) is reported with vector, error code, RIP,
# CR2 and the registers, and ends the run with a FAIL verdict: never a hang or a triple fault.
SKIFF_ARGS="selftest=fault"
VERDICT=FAIL
EXPECT=(
	"error: exception 14 \(#PF page fault\), error code 0x2$"
	"error:   rip [0-9a-f]{16}  cs  0008  rflags"
	"error:   cr0 [0-9a-f]{16}  cr2 0000000000000000  cr3"
	"error:   rax [0-9a-f]{16}  rbx"
	"error:   r13 [0-9a-f]{16}  r14 [0-9a-f]{16}  r15 [0-9a-f]{16}$"
	"^skiff: verdict FAIL$"
)
FORBID=("^PASS selftest.fault" "^FAIL selftest.fault")
