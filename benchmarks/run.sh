#!/usr/bin/env bash
# Builds Stasis and runs its benchmarks; prints the tables that docs/PERFORMANCE.md shows.
# About 10 minutes on 2 cores. Run it on a quiet machine: everything else running skews the figures.
#
#   benchmarks/run.sh                      # everything
#   BENCH_PARTS=snapshot benchmarks/run.sh # only some of: overhead recovery snapshot checkpoint engines threads
#   (engines, portable against criu, needs root and CRIU 4.x: .ci/setup-criu; STASIS_CRIU=PATH to use another)
#   (threads: time to safepoint and pause/restore against 1..512 threads, about 6 minutes; BENCH_THREAD_COUNTS="1 8 64 512",
#    BENCH_SAFEPOINT_CHECKPOINTS=200 per case)
#   SKIP_BUILD=1 benchmarks/run.sh         # reuse the jars already in */target
#
# JMH settings (per side): BENCH_FORKS=2 BENCH_WARMUPS=3 BENCH_MEASUREMENTS=5 BENCH_SECONDS=2;
# BENCH_AGENT_OPTIONS adds agent options to the with-agent forks (e.g. exclude=org.openjdk.jmh to
# leave JMH's own library uninstrumented; by default it is instrumented like any application).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
java=${JAVA:-java}
parts=${BENCH_PARTS:-overhead recovery snapshot checkpoint engines threads}
out=benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)
report=$out/report.md
agent=$root/agent/target/stasis-agent.jar
samples=$root/samples/target/stasis-samples.jar
bench_jar=$root/benchmarks/target/stasis-overhead-benchmarks.jar
harness_jar=$root/benchmarks/target/stasis-snapshot-harness.jar
# The snapshot codec serializes JDK objects; the agent opens java.base itself, a plain JVM needs these.
opens=(--add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
       --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.lang.invoke=ALL-UNNAMED)

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "Building (mvn -q -B -DskipTests package)..."
    mvn -q -B -DskipTests package
fi
mkdir -p "$out"

{
    echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
    echo "JDK: $("$java" -version 2>&1 | sed -n 2p)"
    echo
} > "$report"

failed=()
# run_part NAME "jar1 jar2 ..." COMMAND...: runs one part if the jars it needs were built.
run_part() {
    local name=$1 jars=$2; shift 2
    echo
    echo "=== $name ($(date -u +%H:%M:%S)) ==="
    for jar in $jars; do
        if [[ ! -f $jar ]]; then
            failed+=("$name")
            echo "run.sh: $jar is missing, so the $name part cannot run; the build did not produce it (see mvn's output)." >&2
            printf '### %s\n\nNot run: %s was not built.\n\n' "$name" "$jar" >> "$report"
            return
        fi
    done
    if ! "$@" 2>&1 | tee "$out/$name.log"; then
        failed+=("$name")
        echo "run.sh: the $name part failed; its log is $out/$name.log" >&2
    fi
}
for part in $parts; do
    case $part in
        overhead)
            run_part overhead "$agent $bench_jar" "$java" -Dstasis.agent.jar="$agent" -Dbench.report="$report" \
                -Dbench.forks="${BENCH_FORKS:-2}" -Dbench.warmups="${BENCH_WARMUPS:-3}" \
                -Dbench.measurements="${BENCH_MEASUREMENTS:-5}" -Dbench.seconds="${BENCH_SECONDS:-2}" -Dbench.agentOptions="${BENCH_AGENT_OPTIONS:-}" \
                -jar "$bench_jar" ;;
        snapshot)
            run_part snapshot "$harness_jar" "$java" -Xms3g -Xmx3g "${opens[@]}" -Dbench.report="$report" \
                -cp "$harness_jar" bench.stasis.snapshot.SnapshotSpeedHarness ;;
        checkpoint)
            run_part checkpoint "$agent $samples $harness_jar" "$java" -Dstasis.agent.jar="$agent" -Dstasis.samples.jar="$samples" \
                -Dbench.report="$report" -cp "$harness_jar" bench.stasis.snapshot.CheckpointHarness ;;
        engines)
            run_part engines "$agent $harness_jar" "$java" -Dstasis.agent.jar="$agent" -Dbench.harness.jar="$harness_jar" \
                -Dstasis.criu="${STASIS_CRIU:-/var/cache/stasis/criu/stasis-criu}" -Dbench.sizes="${BENCH_SIZES:-16 512}" \
                -Dbench.report="$report" -cp "$harness_jar" bench.stasis.engines.EngineComparison ;;
        threads)
            run_part threads "$agent $harness_jar" "$java" -Dstasis.agent.jar="$agent" -Dbench.harness.jar="$harness_jar" \
                -Dbench.threadCounts="${BENCH_THREAD_COUNTS:-1 8 64 512}" \
                -Dbench.safepointCheckpoints="${BENCH_SAFEPOINT_CHECKPOINTS:-200}" \
                -Dbench.report="$report" -cp "$harness_jar" bench.stasis.threads.ThreadsBenchmark ;;
        recovery)
            recovery_dir=$(mktemp -d)
            run_part recovery "$agent $bench_jar" bash -c "{ echo '### What a checkpoint costs after its pause (RecoveryWorkload, interval=5s)'; echo; \
                \"\$1\" -javaagent:\"\$2\"=dir=\"\$3\",interval=5s -cp \"\$4\" bench.stasis.overhead.RecoveryWorkload; echo; } | tee -a \"\$5\"" \
                recovery "$java" "$agent" "$recovery_dir" "$bench_jar" "$report"
            rm -rf "$recovery_dir" ;;
        *)
            echo "run.sh: unknown part '$part' in BENCH_PARTS; use overhead, snapshot, checkpoint, recovery, engines and/or threads." >&2
            exit 2 ;;
    esac
done

echo
echo "=================== report ($report) ==================="
cat "$report"
if (( ${#failed[@]} )); then
    echo "run.sh: failed parts: ${failed[*]}" >&2
    exit 1
fi
