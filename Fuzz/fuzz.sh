#!/usr/bin/env bash
# BorderNet's fuzz targets (docs/FUZZING.md): build, run, brief regression runs, corpus upkeep.
#
#   Fuzz/fuzz.sh build                    build every target (one `swift build`) into .build-fuzz
#   Fuzz/fuzz.sh run [TARGET…]            fuzz each target for FUZZ_SECONDS (default 600), one after another
#   Fuzz/fuzz.sh brief [TARGET…]          what `make test` runs: replay Fuzz/Regressions and Fuzz/Corpus,
#                                         then fuzz FUZZ_BRIEF_SECONDS (default 5) each; exit 1 if any crashed
#   Fuzz/fuzz.sh merge [TARGET…]          minimise Fuzz/Corpus/T plus what runs found (-merge=1) into Fuzz/Corpus/T
#   Fuzz/fuzz.sh seed [TARGET…]           rebuild the seeds (Fuzz/seeds.py) and merge them into Fuzz/Corpus
#   Fuzz/fuzz.sh list                     the targets and their -max_len
#
# How the targets are built, and the traps of Swift 6.3 on Linux (found the hard way):
# - `-Xswiftc -sanitize=fuzzer,address` as ONE flag: `--sanitize fuzzer --sanitize address` (or two
#   -sanitize flags) keeps only the last one and silently loses the coverage instrumentation.
# - `-Xswiftc -parse-as-library`: each target is one file with `@_cdecl("LLVMFuzzerTestOneInput")` and
#   no top-level code, so no `main` is emitted; libFuzzer's own `main` is linked in by -sanitize=fuzzer.
# - The link fails with `undefined symbol 'FuzzX_main' referenced in expression` when the fuzz package
#   has swift-tools-version ≥ 5.5: SwiftPM then links every executable with `--defsym main=<module>_main`
#   (its "testable executables" renaming), and -parse-as-library emits no such symbol. Fuzz/Package.swift
#   therefore declares swift-tools-version 5.4, which has `executableTarget` but not the renaming; its
#   path dependency on the main package (tools 6.0, Swift 6 mode) is built as usual.
# - `-Xswiftc` flags reach the compile and the link of the Swift targets, which is all that is needed:
#   no `-Xlinker` and no `--sanitize` (the latter would also instrument and slow down every C target).
# - Run with SWIFT_BACKTRACE=enable=no: Swift's crash handler otherwise catches the trap first and
#   either hangs or makes ASan report a false SEGV in the handler, and libFuzzer never saves the input.
# - Debug build (the default). Every target reads public API only (no `@testable import`): the
#   wire messages are the Wire target's public types, the TOML reader NodeSetup's, RegionPlan Region's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
scratch="$root/.build-fuzz"
bin="$scratch/debug"
SWIFT=${SWIFT:-swift}
# Prefix for the build command, e.g. FUZZ_BUILD_PREFIX="flock -o /tmp/build.lock" on a shared machine
# (-o: the lock is not inherited by the compilers and servers the build leaves behind).
FUZZ_BUILD_PREFIX=${FUZZ_BUILD_PREFIX:-}
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_BRIEF_SECONDS=${FUZZ_BRIEF_SECONDS:-5}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
export SWIFT_BACKTRACE=enable=no

# Target and its -max_len: large enough for the biggest seed and for every size check the target
# reaches (envelopes: the small-limits mode covers the oversize checks in 1 KiB).
targets=(
    FuzzEnvelope:4096 FuzzReceipt:512 FuzzRoster:8192 FuzzIdentityCard:1024 FuzzJSON:8192
    FuzzBulletin:8192 FuzzTOML:4096 FuzzWire:8192 FuzzAuditWire:2048
    FuzzAuditCollector:8192 FuzzReconciler:8192 FuzzWebAuthn:4096 FuzzObservables:8192
    FuzzAttachments:65536
)

max_len() {
    local entry
    for entry in "${targets[@]}"; do
        [ "${entry%%:*}" = "$1" ] && { echo "${entry##*:}"; return; }
    done
    echo "unknown target $1 (Fuzz/fuzz.sh list)" >&2
    exit 2
}

selected() {
    if [ $# -gt 0 ]; then
        for name in "$@"; do max_len "$name" >/dev/null && echo "$name"; done
    else
        for entry in "${targets[@]}"; do echo "${entry%%:*}"; done
    fi
}

build() {
    # Same dependency versions as the main package when it has resolved them.
    if [ -f "$root/Package.resolved" ] && [ ! -f "$here/Package.resolved" ]; then
        cp "$root/Package.resolved" "$here/Package.resolved"
    fi
    cd "$root"
    # SwiftPM reuses its build plan (debug.yaml) when only a path dependency's files changed, and
    # then fails on a source file the main package has since removed ("missing inputs"): plan anew.
    rm -f "$scratch/debug.yaml"
    $FUZZ_BUILD_PREFIX "$SWIFT" build --package-path Fuzz --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
}

# Common libFuzzer flags for target $1.
flags() {
    echo "-rss_limit_mb=$FUZZ_RSS_MB -malloc_limit_mb=$FUZZ_RSS_MB -max_len=$(max_len "$1") -timeout=30 -artifact_prefix=$scratch/crashes/$1/ -print_final_stats=1"
}

run() {
    local name failed=()
    for name in $(selected "$@"); do
        mkdir -p "$scratch/corpus/$name" "$scratch/crashes/$name" "$scratch/logs"
        echo "== $name: ${FUZZ_SECONDS} s (log: .build-fuzz/logs/$name.log)"
        # New inputs go to .build-fuzz/corpus; Fuzz/Corpus is read only (`merge` keeps what was found).
        # shellcheck disable=SC2046
        if "$bin/$name" $(flags "$name") -max_total_time="$FUZZ_SECONDS" \
            "$scratch/corpus/$name" "$here/Corpus/$name" >"$scratch/logs/$name.log" 2>&1; then
            summary "$name"
        else
            failed+=("$name")
            echo "!! $name crashed (input in .build-fuzz/crashes/$name/, log .build-fuzz/logs/$name.log):"
            crash_report "$scratch/logs/$name.log"
        fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "error: fuzz targets crashed: ${failed[*]}"
        return 1
    fi
}

# The essentials of a crash in a libFuzzer log: what failed, where (Swift frames), which input.
crash_report() {
    {
        grep -m1 -oE '(Fatal error|fuzz invariant broken)[^$]{0,300}' "$1" || true
        grep -m1 -E 'Swift runtime failure|==ERROR: AddressSanitizer|ERROR: libFuzzer' "$1" | sed -E 's/^ *#[0-9]+ 0x[0-9a-f]+ in //' || true
        grep -E '^ *#[0-9]+ 0x[0-9a-f]+ in .*\.swift:[0-9]+' "$1" | grep -v 'Swift runtime failure' | head -6 |
            sed -E 's/^ *(#[0-9]+) 0x[0-9a-f]+ in ([^ ]+) (.*)$/\1 \3  (\2)/' | cut -c1-220 || true
        grep -m1 -E '^SUMMARY' "$1" || true
        grep -m1 -oE '(Test unit written to|Running:) .*' "$1" || true
    } | sed 's/^/    /'
}

# One line of figures from a run's log: executions, executions per second, coverage, features, peak RSS.
summary() {
    local log="$scratch/logs/$1.log" last
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    printf '%-20s runs %s  exec/s %s  cov %s  ft %s  corpus %s  peak RSS %s MB  (%s s)\n' "$1" \
        "$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -oE '[0-9]+$')" \
        "$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -oE '[0-9]+$')" \
        "$(echo "$last" | grep -oE 'cov: [0-9]+' | cut -d' ' -f2)" "$(echo "$last" | grep -oE 'ft: [0-9]+' | cut -d' ' -f2)" \
        "$(echo "$last" | grep -oE 'corp: [0-9]+' | cut -d' ' -f2)" \
        "$(grep -oE 'stat::peak_rss_mb: +[0-9]+' "$log" | grep -oE '[0-9]+$')" "$FUZZ_SECONDS"
}

brief() {
    local name failed=() log
    mkdir -p "$scratch/logs"
    for name in $(selected "$@"); do
        log="$scratch/logs/$name.brief.log"
        rm -rf "$scratch/brief/$name"
        mkdir -p "$scratch/brief/$name" "$scratch/crashes/$name"
        local regressions=()
        if [ -d "$here/Regressions/$name" ]; then
            mapfile -t regressions < <(find "$here/Regressions/$name" -type f ! -name '*.md' | sort)
        fi
        # 1. Every saved crash input, once each: a crash found once stays fixed.
        # 2. The committed corpus, then FUZZ_BRIEF_SECONDS of fuzzing from it (into a scratch folder).
        # shellcheck disable=SC2046
        if { [ ${#regressions[@]} -eq 0 ] || "$bin/$name" $(flags "$name") "${regressions[@]}"; } >"$log" 2>&1 &&
            "$bin/$name" $(flags "$name") -max_total_time="$FUZZ_BRIEF_SECONDS" \
                "$scratch/brief/$name" "$here/Corpus/$name" >>"$log" 2>&1; then
            printf 'fuzz %-20s ok (%s regression inputs, %s)\n' "$name" "${#regressions[@]}" \
                "$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | sed 's/.*: /runs /')"
        else
            failed+=("$name")
            echo "fuzz $name FAILED: a crash, leak or timeout (log: .build-fuzz/logs/$name.brief.log, input: .build-fuzz/crashes/$name/)"
            crash_report "$log"
        fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "error: fuzz targets failed: ${failed[*]}"
        return 1
    fi
}

merge() {
    local name
    for name in $(selected "$@"); do
        local fresh="$scratch/merged/$name"
        rm -rf "$fresh"
        mkdir -p "$fresh" "$scratch/corpus/$name" "$scratch/crashes/$name" "$here/Corpus/$name"
        # shellcheck disable=SC2046
        # -use_counters=0: keep every input that adds an edge, not every hit-count bucket, so the
        # committed corpus stays small (~200 files); runs keep their whole corpus in .build-fuzz/corpus.
        "$bin/$name" $(flags "$name") -merge=1 -use_counters=0 "$fresh" "$here/Corpus/$name" "$scratch/corpus/$name" ${SEED_DIR:+"$SEED_DIR/$name"} \
            >"$scratch/logs/$name.merge.log" 2>&1 || { tail -20 "$scratch/logs/$name.merge.log"; return 1; }
        rm -rf "$here/Corpus/$name"
        mv "$fresh" "$here/Corpus/$name"
        echo "$name: $(find "$here/Corpus/$name" -type f | wc -l) inputs, $(du -sk "$here/Corpus/$name" | cut -f1) KiB"
    done
}

command=${1:-help}
shift || true
case "$command" in
    build) build ;;
    run) run "$@" ;;
    brief) brief "$@" ;;
    merge) mkdir -p "$scratch/logs"; merge "$@" ;;
    seed)
        rm -rf "$scratch/seeds"
        python3 "$here/seeds.py" "$scratch/seeds"
        mkdir -p "$scratch/logs"
        SEED_DIR="$scratch/seeds" merge "$@"
        ;;
    list) printf '%s\n' "${targets[@]}" | tr ':' '\t' ;;
    summary) for name in $(selected "$@"); do summary "$name"; done ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; [ "$command" = help ] ;;
esac
