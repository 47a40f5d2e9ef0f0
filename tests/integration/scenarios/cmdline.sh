# The command line from \skiff.cfg: known options act, an unknown one and a bad value are each
# reported once and ignored, and ExitBootServices is retried after a forced stale map key.
SKIFF_ARGS="loglevel=debug efi.ebs_retry_test=1 no.such.option=3 exit=sideways exit=qemu iommu.audit=1"
EXPECT=(
	"ExitBootServices done after 2 attempt\(s\)"
	"^PASS boot.ebs_retry$"
	"^PASS iommu.audit$"
	"warning: cmdline: unknown option 'no.such.option' ignored$"
	"warning: cmdline: exit=sideways ignored; expected auto\|qemu\|halt\|reset"
	"cmdline +\"loglevel=debug efi.ebs_retry_test=1 no.such.option=3 exit=sideways exit=qemu iommu.audit=1\" \(from \\\\skiff.cfg\)"
	"^skiff: verdict PASS$"
)
