package bench.stasis.snapshot;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the restore time from the line the agent prints on stderr when it resumes a snapshot. */
public final class AgentOutput {
    private static final Pattern RESUMED = Pattern.compile("stasis: resumed from snapshot .*restored in (\\d+) ms");

    private AgentOutput() {
    }

    /** The restore time the agent reports on its resume line, if this is that line. */
    public static OptionalLong restoredMillis(String stderrLine) {
        Matcher matcher = RESUMED.matcher(stderrLine);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }
}
