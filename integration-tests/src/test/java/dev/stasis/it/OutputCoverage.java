package dev.stasis.it;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the stdout of a chain of attempts (each killed, the next resumed) adds up to the stdout
 * of one uninterrupted run. A resumed attempt prints again what came after its snapshot, so the
 * attempts overlap; what must hold is that each attempt printed a contiguous slice of the
 * uninterrupted lines (nothing changed, skipped or reordered inside it), that an attempt that
 * started without a snapshot began at the first line, that no attempt began before the previous
 * one (a resume never goes back past the snapshot it had) or after the furthest line printed so far
 * (nothing lost between them), and that the last one ended with the last line.
 */
final class OutputCoverage {

    /**
     * One attempt's stdout.
     *
     * @param name    for messages
     * @param fresh   true when it started without a snapshot to resume
     * @param lines   its complete lines
     * @param partial an incomplete last line cut off by the kill ("" when none)
     */
    record Attempt(String name, boolean fresh, List<String> lines, String partial) {
        Attempt {
            lines = List.copyOf(lines);
        }
    }

    /** Where one attempt's lines lie in the uninterrupted output: {@code [start, end)}. */
    record Slice(String name, int start, int end) {
    }

    private OutputCoverage() {
    }

    /**
     * @return the slice of each attempt, in order
     * @throws AssertionError naming the first attempt and line that break the rules above
     */
    static List<Slice> check(List<String> uninterrupted, List<Attempt> attempts) {
        List<Slice> slices = new ArrayList<>();
        int previousStart = 0;
        int furthest = 0;
        for (Attempt attempt : attempts) {
            int start = attempt.lines().isEmpty() ? Math.max(previousStart, 0) : uninterrupted.indexOf(attempt.lines().get(0));
            if (start < 0) {
                throw failure(attempt, "its first line is not a line of the uninterrupted run: " + attempt.lines().get(0));
            }
            if (attempt.fresh() && !attempt.lines().isEmpty() && start != 0) {
                throw failure(attempt, "it started without a snapshot but its first line is line " + start
                        + " of the uninterrupted run, not its first");
            }
            if (start < previousStart) {
                throw failure(attempt, "it starts at line " + start + ", before the previous attempt's start " + previousStart
                        + ": it went back further than any snapshot it could have had");
            }
            if (start > furthest) {
                throw failure(attempt, "it starts at line " + start + " but the attempts before it printed only up to line "
                        + furthest + ": lines " + furthest + ".." + (start - 1) + " were never printed");
            }
            int end = start + attempt.lines().size();
            if (end > uninterrupted.size() || !uninterrupted.subList(start, end).equals(attempt.lines())) {
                throw failure(attempt, "its lines are not the uninterrupted run's lines " + start + ".." + (end - 1)
                        + "; first difference at line " + firstDifference(uninterrupted, start, attempt.lines()));
            }
            if (!attempt.partial().isEmpty() && (end >= uninterrupted.size() || !uninterrupted.get(end).startsWith(attempt.partial()))) {
                throw failure(attempt, "its cut-off last line '" + attempt.partial() + "' does not begin line " + end
                        + " of the uninterrupted run");
            }
            slices.add(new Slice(attempt.name(), start, end));
            previousStart = start;
            furthest = Math.max(furthest, end);
        }
        if (furthest != uninterrupted.size() || slices.isEmpty() || slices.get(slices.size() - 1).end() != uninterrupted.size()) {
            throw new AssertionError("the attempts together printed " + furthest + " of the uninterrupted run's "
                    + uninterrupted.size() + " lines, and the last attempt must end with its last line: " + slices);
        }
        return slices;
    }

    private static String firstDifference(List<String> uninterrupted, int start, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            int at = start + i;
            if (at >= uninterrupted.size()) {
                return at + " (the uninterrupted run had ended; the attempt printed '" + lines.get(i) + "')";
            }
            if (!uninterrupted.get(at).equals(lines.get(i))) {
                return at + ": expected '" + uninterrupted.get(at) + "', printed '" + lines.get(i) + "'";
            }
        }
        return "none";
    }

    private static AssertionError failure(Attempt attempt, String problem) {
        return new AssertionError("the output of " + attempt.name() + " does not continue the uninterrupted run: " + problem);
    }
}
