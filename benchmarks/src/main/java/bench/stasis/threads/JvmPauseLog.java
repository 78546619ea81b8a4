package bench.stasis.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the job's JVM says it stopped for, read from its {@code -Xlog:safepoint,handshake} output: the
 * {@code ThreadDump} safepoints (a capturability check asks {@code ThreadMXBean} for the thread's locks) and the
 * {@code Deoptimize} handshakes (raising or lowering the pending switch deoptimises the code that folded it).
 */
record JvmPauseLog(long[] threadDumpNanos, long[] deoptimizeNanos) {
    static final String OPTION_PREFIX = "-Xlog:safepoint,handshake:file=";

    private static final Pattern THREAD_DUMP = Pattern.compile("Safepoint \"ThreadDump\",.* Total: (\\d+) ns");
    private static final Pattern DEOPTIMIZE = Pattern.compile("Handshake \"Deoptimize\",.* Total completion time: (\\d+) ns");

    static JvmPauseLog parse(List<String> lines) {
        List<Long> dumps = new ArrayList<>();
        List<Long> deopts = new ArrayList<>();
        for (String line : lines) {
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
        return new JvmPauseLog(dumps.stream().mapToLong(Long::longValue).toArray(),
                deopts.stream().mapToLong(Long::longValue).toArray());
    }
}
