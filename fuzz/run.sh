#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 20) from its corpus in fuzz/corpus/, on the
# stable toolchain (cargo fuzz with -s none: coverage-guided, no sanitizer). A crash fails the
# run and leaves its input in fuzz/artifacts/. Prints how many inputs each target ran.
#   bash fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
for target in transcript decrypt certificate answers target; do
    log=$(mktemp)
    if ! cargo fuzz run -s none -O "$target" -- -max_total_time="$seconds" -max_len=8192 >"$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz: $target FAILED (input saved under fuzz/artifacts/$target)"
        exit 1
    fi
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
    echo "fuzz: $target ran ${runs:-?} inputs in ${seconds}s, no crash"
    rm -f "$log"
done
