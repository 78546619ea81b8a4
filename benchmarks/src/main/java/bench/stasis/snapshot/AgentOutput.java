package bench.stasis.snapshot;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the figures Stasis prints: the resume line on stderr and the checkpoint command's report. */
final class AgentOutput {
    private static final Pattern RESUMED = Pattern.compile("stasis: resumed from snapshot .*restored in (\\d+) ms");
    /** {@code LastPauseMillis=12}, {@code pause: 12 ms}, {@code paused 12 ms}, ... */
    private static final Pattern PAUSE = Pattern.compile("(?i)(?:LastPauseMillis|pause[ds]?)\\D{0,20}?(\\d+)(?:\\s*ms)?");

    private AgentOutput() {
    }

    /** The restore time the agent reports on its resume line, if this is that line. */
    static OptionalLong restoredMillis(String stderrLine) {
        Matcher matcher = RESUMED.matcher(stderrLine);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** The pause the checkpoint command reports, if it reports one. */
    static OptionalLong pauseMillis(String cliOutput) {
        Matcher matcher = PAUSE.matcher(cliOutput);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }
}
