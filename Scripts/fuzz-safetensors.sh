#!/usr/bin/env bash
# Fuzzes the safetensors reader (SafetensorsArchive(bytes:) and its JSON header parser) with libFuzzer
# and AddressSanitizer.
#
# Usage: Scripts/fuzz-safetensors.sh [seconds]     (default 600)
#
# Builds Sources/NN/Serialization/{Safetensors,JSONValue,AtomicFile,RegularFile}.swift (which depend only on
# Foundation) with Scripts/Fuzz/SafetensorsFuzz.swift into one fuzzing binary (swiftc
# -sanitize=fuzzer,address), generates a seed corpus of valid and corrupt files in a temporary
# directory, runs for the given time and writes crashing inputs to Scripts/Fuzz/crashes/.
# The binary and the full log stay in .build-fuzz/ (git-ignored): reproduce a crash by passing the
# crash file to the binary.
# Exits non-zero when the fuzzer finds a crash.
set -euo pipefail

duration="${1:-600}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crashes="$root/Scripts/Fuzz/crashes"
binary="$root/.build-fuzz/fuzz-safetensors"
log="$root/.build-fuzz/fuzz.log"
work="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-safetensors.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes" "$work/corpus" "$(dirname "$binary")"

echo "building $binary" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name SafetensorsFuzz \
    "$root/Sources/NN/Serialization/Safetensors.swift" \
    "$root/Sources/NN/Serialization/JSONValue.swift" \
    "$root/Sources/NN/Serialization/AtomicFile.swift" \
    "$root/Sources/NN/Serialization/RegularFile.swift" \
    "$root/Scripts/Fuzz/SafetensorsFuzz.swift" \
    -o "$binary" 2> >(grep -v "Cannot export local symbol" >&2)

# Seed corpus: valid files of various shapes plus a few corrupt ones.
python3 - "$work/corpus" <<'PY'
import json, os, struct, sys

out = sys.argv[1]

def archive(header, data=b"", pad=True, ascii=False):
    h = json.dumps(header, ensure_ascii=ascii, separators=(",", ":")).encode()
    if pad:
        h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data

def entry(dtype, shape, begin, end):
    return {"dtype": dtype, "shape": shape, "data_offsets": [begin, end]}

seeds = {
    "empty": archive({}),
    "f32": archive({"w": entry("F32", [2, 2], 0, 16)}, struct.pack("<4f", 1, -2, 0.5, 3)),
    "f64": archive({"d": entry("F64", [3], 0, 24)}, struct.pack("<3d", 0.1, -1e300, 5e-324)),
    "mixed": archive({"__metadata__": {"format": "pt", "k\u00e9y": "v\"\\\n"},
                      "b": entry("F64", [1], 0, 8), "a": entry("F32", [], 8, 12),
                      "z": entry("F32", [0, 5], 12, 12)}, struct.pack("<df", 2.0, 3.0)),
    "escapes": archive({"\U0001F642\u00e9\t\"\\": entry("F32", [1], 0, 4)}, b"\0" * 4, ascii=True),
    "unpadded": archive({"x": entry("F32", [1], 0, 4)}, b"\0\0\x80\x3f", pad=False),
    "gap": archive({"x": entry("F32", [1], 4, 8)}, b"\0" * 8),
    "overlap": archive({"x": entry("F32", [2], 0, 8), "y": entry("F32", [1], 4, 8)}, b"\0" * 8),
    "f16": archive({"h": entry("F16", [2], 0, 4)}, b"\0" * 4),
    "bad_shape": archive({"s": entry("F32", [1e300, -1, 2.5], 0, 4)}, b"\0" * 4),
    "huge_len": struct.pack("<Q", 2**64 - 1) + b"{}",
    "nested": archive({"__metadata__": {"a": [[[[{"b": [1, 2.5e-3, True, False, None]}]]]]}}),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
PY
golden="$root/Tests/NNTests/Golden/reference.safetensors"
[[ -f "$golden" ]] && cp "$golden" "$work/corpus/golden"

cat > "$work/dict" <<'DICT'
"{"
"}"
"["
"]"
"\":\""
"\"dtype\""
"\"shape\""
"\"data_offsets\""
"\"__metadata__\""
"\"F32\""
"\"F64\""
"\"BF16\""
"\\u"
"\\ud83d\\ude42"
"\\\""
"1e300"
"-1"
"2.5"
"9223372036854775807"
"9223372036854775808"
"true"
"false"
"null"
DICT

echo "fuzzing for ${duration}s; crashes go to $crashes/" >&2
# Let libFuzzer handle traps itself: the Swift runtime's backtracer would take over the crashing
# process and stall the run.
export SWIFT_BACKTRACE=enable=no
set +e
"$binary" "$work/corpus" \
    -dict="$work/dict" \
    -max_total_time="$duration" \
    -max_len=4096 \
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
