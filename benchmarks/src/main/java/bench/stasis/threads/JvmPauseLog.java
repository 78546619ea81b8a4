package bench.stasis.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the job's JVM says it stopped for, read from its {@code -Xlog:safepoint,handshake} output: the
 * {@code ThreadDump} safepoints (a capturability check asks {@code ThreadMXBean} for the thread's monitors, the cut
 * for every stopped thread's synchronizers), the {@code Deoptimize} handshakes (raising or lowering the pending
 * switch deoptimises the code that folded it), and the JVM's own time to safepoint ("Reaching safepoint") of every
 * safepoint of any kind.
 */
record JvmPauseLog(long[] threadDumpNanos, long[] deoptimizeNanos, long[] reachingNanos) {
    static final String OPTION_PREFIX = "-Xlog:safepoint,handshake:file=";

    private static final Pattern THREAD_DUMP = Pattern.compile("Safepoint \"ThreadDump\",.* Total: (\\d+) ns");
    private static final Pattern DEOPTIMIZE = Pattern.compile("Handshake \"Deoptimize\",.* Total completion time: (\\d+) ns");
    private static final Pattern REACHING = Pattern.compile("Safepoint \".*Reaching safepoint: (\\d+) ns");

    static JvmPauseLog parse(List<String> lines) {
        List<Long> dumps = new ArrayList<>();
        List<Long> deopts = new ArrayList<>();
        List<Long> reaching = new ArrayList<>();
        for (String line : lines) {
            Matcher reached = REACHING.matcher(line);
            if (reached.find()) {
                reaching.add(Long.parseLong(reached.group(1)));
            }
            Matcher dump = THREAD_DUMP.matcher(line);
            if (dump.find()) {
                dumps.add(Long.parseLong(dump.group(1)));
                continue;
            }
            Matcher deopt = DEOPTIMIZE.matcher(line);
            if (deopt.find()) {
                deopts.add(Long.parseLong(deopt.group(1)));
            }
        }
        return new JvmPauseLog(toArray(dumps), toArray(deopts), toArray(reaching));
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
