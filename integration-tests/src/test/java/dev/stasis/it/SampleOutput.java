package dev.stasis.it;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the sample job's stdout: {@code step N/TOTAL checksum=...} lines and the final {@code RESULT}. */
final class SampleOutput {

    private static final Pattern PROGRESS = Pattern.compile("step (\\d+)/\\d+ .*");

    private SampleOutput() {
    }

    static boolean isProgress(String line) {
        return PROGRESS.matcher(line).matches();
    }

    static long stepOf(String progressLine) {
        Matcher matcher = PROGRESS.matcher(progressLine);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a progress line: " + progressLine);
        }
        return Long.parseLong(matcher.group(1));
    }

    static List<String> progressLines(List<String> stdout) {
        return stdout.stream().filter(SampleOutput::isProgress).toList();
    }

    /** The last progress line, or null when there is none yet. */
    static String lastProgress(List<String> stdout) {
        List<String> progress = progressLines(stdout);
        return progress.isEmpty() ? null : progress.get(progress.size() - 1);
    }

    static String resultOf(ForkedJvm jvm) {
        return jvm.stdoutLines().stream().filter(line -> line.startsWith("RESULT ")).findFirst()
                .orElseGet(() -> fail("no RESULT line%n%s", jvm.describe()));
    }
}
