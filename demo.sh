#!/usr/bin/env bash
# Stasis in about a minute: a long job runs under the agent, is checkpointed from outside, is
# killed with kill -9, is relaunched with the very same command, resumes where the snapshot was
# taken, and ends with the same RESULT as a run that was never interrupted.
#
# Usage: ./demo.sh            (builds with Maven if the jars are missing; REBUILD=1 forces it)
# Knobs: STEPS=<job length>   JAVA=<java launcher>   RUN_SECONDS=<seconds before the checkpoint>
set -euo pipefail
cd "$(dirname "$0")"

AGENT=agent/target/stasis-agent.jar
SAMPLES=samples/target/stasis-samples.jar
JAVA=${JAVA:-java}
STEPS=${STEPS:-80000000}
RUN_SECONDS=${RUN_SECONDS:-6}

say() { printf '\n== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; }
# Only our own lines from the JVM's stderr (the JVM may add a CDS warning when the agent extends the boot path).
stasis_lines() { grep '^stasis:' "$1" || true; }
last_step() { grep '^step ' "$1" | tail -1 || true; }

if [[ ! -f $AGENT || ! -f $SAMPLES || ${REBUILD:-0} == 1 ]]; then
  say "Building the agent and the samples (mvn -q -B -DskipTests package)"
  mvn -q -B -DskipTests package
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/stasis-demo.XXXXXX")
snapshots=$work/snapshots
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

JOB=(dev.stasis.samples.job.SampleJob --steps "$STEPS")
COMMAND=("$JAVA" "-javaagent:$AGENT=dir=$snapshots" -cp "$SAMPLES" "${JOB[@]}")

say "The job: SampleJob, $STEPS deterministic steps, deep call stack, collections, a seeded Random, lambdas."
echo "   It prints 'step N/$STEPS checksum=...' now and then and 'RESULT <hash of all its state>' at the end."

say "0. For comparison, the same job WITHOUT the agent runs in the background, never interrupted"
show "$JAVA -cp $SAMPLES ${JOB[*]} > reference.out &"
"$JAVA" -cp "$SAMPLES" "${JOB[@]}" > "$work/reference.out" &
reference_pid=$!
pids+=("$reference_pid")

say "1. Start the job under the agent, snapshots go to $snapshots"
show "${COMMAND[*]} &"
"${COMMAND[@]}" > "$work/first.out" 2> "$work/first.err" &
job_pid=$!
pids+=("$job_pid")
for ((i = 1; i <= RUN_SECONDS; i++)); do
  sleep 1
  echo "   after ${i}s: $(last_step "$work/first.out")"
done

say "2. Checkpoint it from outside (attach + JMX), while it keeps running"
show "$JAVA -jar $AGENT checkpoint $job_pid"
snapshot_id=$("$JAVA" -jar "$AGENT" checkpoint "$job_pid")
echo "   snapshot id: $snapshot_id"
sleep 1
echo "   the job went on: $(last_step "$work/first.out")"

say "3. Crash it: kill -9 (no shutdown hook, nothing flushed, nothing saved on the way out)"
show "kill -9 $job_pid"
kill -9 "$job_pid"
wait "$job_pid" 2>/dev/null || true
echo "   killed at: $(last_step "$work/first.out")"

say "4. What is in the snapshot directory"
show "$JAVA -jar $AGENT list $snapshots"
"$JAVA" -jar "$AGENT" list "$snapshots"

say "5. Relaunch the very same command (showing every tenth progress line)"
show "${COMMAND[*]}"
"${COMMAND[@]}" > "$work/resumed.out" 2> "$work/resumed.err" &
resumed_pid=$!
pids+=("$resumed_pid")
until grep -q '^stasis:' "$work/resumed.err" || [[ -s $work/resumed.out ]] || ! kill -0 "$resumed_pid" 2>/dev/null; do
  sleep 0.2
done
stasis_lines "$work/resumed.err" | sed 's/^/   /'
tail -n +1 -f --pid="$resumed_pid" "$work/resumed.out" \
  | awk '/^step / { split($2, at, "/"); if (!shown++ || at[1] % (at[2] / 10) == 0) print "   " $0; next } { print "   " $0 }'
wait "$resumed_pid"
first_resumed=$(grep -m1 '^step ' "$work/resumed.out" || true)
echo "   its first progress line was '$first_resumed': it did not start over"

say "6. Compare with the uninterrupted run"
wait "$reference_pid"
expected=$(grep '^RESULT ' "$work/reference.out")
actual=$(grep '^RESULT ' "$work/resumed.out" || echo "(no RESULT)")
echo "   uninterrupted: $expected"
echo "   killed+resumed: $actual"
if [[ "$expected" != "$actual" ]]; then
  echo "FAILED: the resumed run's result differs from the uninterrupted run's" >&2
  exit 1
fi
if ! grep -q "^stasis: resumed from snapshot $snapshot_id" "$work/resumed.err"; then
  echo "FAILED: the relaunch did not report resuming from snapshot $snapshot_id" >&2
  exit 1
fi
say "Identical. The job survived kill -9 and resumed from snapshot $snapshot_id."
