#!/usr/bin/env bash
# Fuzzes the PyTorch .pt reader (zip reader, restricted unpickler, tensor rebuild) with libFuzzer
# and AddressSanitizer (leaks included).
#
# Usage: Scripts/fuzz-torch.sh [seconds]     (default 600)
#
# Builds the Foundation-only files of Sources/NN/Serialization/Torch/ (all but StateDict+Torch.swift)
# with AtomicFile.swift, RegularFile.swift and Scripts/Fuzz/TorchFileFuzz.swift into one fuzzing binary
# (swiftc -sanitize=fuzzer,address). The seed corpus is the golden .pt files of
# Tests/NNTests/Golden/Torch/ plus their data.pkl pickles on their own (the fuzz target also reads
# every input as a pickle). Runs for the given time on one core and writes crashing inputs to
# Scripts/Fuzz/crashes/. The binary and the full log stay in .build-fuzz/ (git-ignored): reproduce
# a crash by passing the crash file to the binary.
# Exits non-zero when the fuzzer finds a crash.
set -euo pipefail

duration="${1:-600}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crashes="$root/Scripts/Fuzz/crashes"
binary="$root/.build-fuzz/fuzz-torch"
log="$root/.build-fuzz/fuzz-torch.log"
work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-torch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes" "$work/corpus" "$(dirname "$binary")"

sources=()
for file in "$root"/Sources/NN/Serialization/Torch/*.swift; do
    [[ "$file" == */StateDict+Torch.swift ]] || sources+=("$file")
done

echo "building $binary" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name TorchFileFuzz \
    "${sources[@]}" \
    "$root/Sources/NN/Serialization/AtomicFile.swift" \
    "$root/Sources/NN/Serialization/RegularFile.swift" \
    "$root/Scripts/Fuzz/TorchFileFuzz.swift" \
    -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)

# Seed corpus: the golden files, and their pickles alone.
python3 - "$root/Tests/NNTests/Golden/Torch" "$work/corpus" <<'PY'
import os, shutil, sys, zipfile
golden, out = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(golden)):
    if name.endswith(".pt"):
        shutil.copy(os.path.join(golden, name), os.path.join(out, name))
        with zipfile.ZipFile(os.path.join(golden, name)) as z:
            pickle = next(n for n in z.namelist() if n.endswith("/data.pkl"))
            with open(os.path.join(out, name + ".pkl"), "wb") as f:
                f.write(z.read(pickle))
PY

cat > "$work/dict" <<'DICT'
"PK\x03\x04"
"PK\x01\x02"
"PK\x05\x06"
"PK\x06\x06"
"PK\x06\x07"
"\x80\x02"
"ctorch._utils\x0a_rebuild_tensor_v2\x0a"
"ctorch._utils\x0a_rebuild_parameter\x0a"
"ccollections\x0aOrderedDict\x0a"
"ctorch\x0aFloatStorage\x0a"
"ctorch\x0aDoubleStorage\x0a"
"ctorch\x0aHalfStorage\x0a"
"ctorch\x0aBoolStorage\x0a"
"ctorch\x0aLongStorage\x0a"
"X\x07\x00\x00\x00storage"
"X\x01\x00\x00\x000"
"X\x03\x00\x00\x00cpu"
"\x8a\x08"
"\xff\xff\xff\xff"
DICT

echo "fuzzing for ${duration}s; crashes go to $crashes/" >&2
# Let libFuzzer handle traps itself: the Swift runtime's backtracer would take over the crashing
# process and stall the run.
export SWIFT_BACKTRACE=enable=no
set +e
"$binary" "$work/corpus" \
    -dict="$work/dict" \
    -max_total_time="$duration" \
    -max_len=8192 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -malloc_limit_mb=512 \
    -artifact_prefix="$crashes/" \
    -print_final_stats=1 \
    2>&1 | tee "$log" | grep --line-buffered -E "INITED|pulse|DONE|ERROR|SUMMARY|stat::|Done |Test unit written"
status=${PIPESTATUS[0]}
set -e
echo "fuzzer exit status: $status; full log: $log" >&2
echo "reproduce a crash with: SWIFT_BACKTRACE=enable=no $binary Scripts/Fuzz/crashes/<file>" >&2
exit "$status"
