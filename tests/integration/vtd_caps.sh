# Shared by the platform scenarios: decode the CAP/ECAP values skiff printed for unit 0, here in
# shell arithmetic from the VT-d 11.4.2/11.4.3 bit positions (independently of iommu/vtd), and
# compare with skiff's decoded line and with what QEMU was configured to offer.
#   check_unit0_caps FILE MGAW SAGAW_LIST SMTS FLTS SLTS
check_unit0_caps() {
	local file=$1 want_mgaw=$2 want_sagaw=$3 want_smts=$4 want_flts=$5 want_slts=$6
	local line cap ecap decoded mgaw sagaw="" smts flts slts ir qi pt sllps="" expect
	line=$(grep -Em1 "unit 0 +0x[0-9a-f]+ .*CAP 0x[0-9a-f]+ ECAP 0x[0-9a-f]+" "$file") ||
		{ echo "no unit 0 register line"; return 1; }
	cap=$(sed -E 's/.*CAP (0x[0-9a-f]+) ECAP.*/\1/' <<<"$line")
	ecap=$(sed -E 's/.*ECAP (0x[0-9a-f]+).*/\1/' <<<"$line")
	decoded=$(grep -A1 -F "$line" "$file" | tail -n 1)
	mgaw=$(((cap >> 16 & 0x3f) + 1))
	for bit in 1:39 2:48 3:57; do
		(((cap >> 8) >> ${bit%%:*} & 1)) && sagaw+="${sagaw:+,}${bit#*:}"
	done
	(((cap >> 34) & 1)) && sllps+="2M"
	(((cap >> 35) & 1)) && sllps+="${sllps:+,}1G"
	smts=$((ecap >> 43 & 1)) flts=$((ecap >> 47 & 1)) slts=$((ecap >> 46 & 1))
	ir=$((ecap >> 3 & 1)) qi=$((ecap >> 1 & 1)) pt=$((ecap >> 6 & 1))
	expect="SAGAW $sagaw MGAW $mgaw SLLPS ${sllps:-none} "
	[[ $decoded == *"$expect"* ]] || { echo "decoded '$decoded' lacks '$expect'"; return 1; }
	for f in "SMTS $smts" "FLTS $flts" "SLTS $slts" "PT $pt" "IR $ir" "QI $qi"; do
		[[ $decoded == *" $f "* || $decoded == *" $f" ]] || { echo "decoded line lacks '$f'"; return 1; }
	done
	[ "$mgaw" = "$want_mgaw" ] || { echo "MGAW $mgaw, QEMU was asked for $want_mgaw"; return 1; }
	[ "$sagaw" = "$want_sagaw" ] || { echo "SAGAW $sagaw, expected $want_sagaw"; return 1; }
	[ "$smts$flts$slts" = "$want_smts$want_flts$want_slts" ] ||
		{ echo "SMTS/FLTS/SLTS $smts/$flts/$slts, expected $want_smts/$want_flts/$want_slts"; return 1; }
}
