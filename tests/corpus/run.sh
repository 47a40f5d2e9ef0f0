#!/usr/bin/env bash
# Build skiff-acpi if needed, then compare its parse of every table in the real-firmware corpus
# with ACPICA's decode (tests/corpus/compare.py): one line per disagreement, then a summary.
# Exit status 0 only when every table agrees.
#
#   tests/corpus/run.sh [CORPUS]   (default: ../shared/acpi-corpus beside the repository)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$top/../shared/acpi-corpus}

make -s -C "$top" tools
exec python3 "$top/tests/corpus/compare.py" --tool "$top/build/host/skiff-acpi" \
	--corpus "$corpus"
