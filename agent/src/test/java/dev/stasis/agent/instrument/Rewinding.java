package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Engine;
import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a target's {@code public static String run()} uninstrumented, then instrumented with a
 * capture at many different polls, rewinding in place and by a simulated relaunch, and checks that
 * every run gives the uninstrumented result.
 */
final class Rewinding {
    static final InstrumentingLoader LOADER = new InstrumentingLoader();
    static final CaptureEngine ENGINE = new CaptureEngine(LOADER);

    /** What a sweep captured, so tests can check that the interesting points were really reached. */
    record Report(int polls, int captures, int maxDepth, Set<String> points) {
    }

    private Rewinding() {
    }

    static void install() {
        Stasis.install(ENGINE);
        ENGINE.disarm();
    }

    static void uninstall() {
        ENGINE.disarm();
        Stasis.install(Engine.NONE);
    }

    static Class<?> instrumented(String simpleName) {
        try {
            return LOADER.loadClass(InstrumentingLoader.TARGETS + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Captures at (up to {@code maxSamples}) evenly spread polls and checks every result. */
    static Report sweep(String simpleName, int maxSamples) throws Exception {
        String expected = run(Class.forName(InstrumentingLoader.TARGETS + simpleName));
        Class<?> target = instrumented(simpleName);
        ENGINE.arm(0, CaptureEngine.Mode.IN_PLACE);
        String uncaptured = run(target);
        int polls = ENGINE.polls();
        ENGINE.disarm();
        assertThat(uncaptured).as("instrumented run without capture").isEqualTo(expected);
        assertThat(polls).as("polls of %s", simpleName).isPositive();

        int captures = 0;
        int maxDepth = 0;
        Set<String> points = new TreeSet<>();
        for (int n : samples(polls, maxSamples)) {
            ENGINE.arm(n, CaptureEngine.Mode.IN_PLACE);
            String inPlace = run(target);
            List<Frame> frames = ENGINE.captured();
            assertThat(frames).as("frames captured at poll %d", n).isNotEmpty();
            assertThat(ENGINE.rewindFinished()).as("rewind finished after poll %d", n).isTrue();
            ENGINE.disarm();
            assertThat(inPlace).as("result after capture at poll %d and rewind in place", n).isEqualTo(expected);

            ENGINE.arm(n, CaptureEngine.Mode.RELAUNCH);
            String dummy = run(target);
            assertThat(dummy).as("dummy returned by the unwound entry at poll %d", n).isNull();
            assertThat(ENGINE.captured()).hasSameSizeAs(frames);
            ENGINE.rewindCaptured();
            String relaunched = run(target);
            assertThat(ENGINE.rewindFinished()).isTrue();
            ENGINE.disarm();
            assertThat(relaunched).as("result after capture at poll %d and relaunch", n).isEqualTo(expected);

            captures++;
            maxDepth = Math.max(maxDepth, frames.size());
            frames.forEach(frame -> points.add(frame.toString()));
        }
        return new Report(polls, captures, maxDepth, points);
    }

    static String run(Class<?> target) throws Exception {
        try {
            return (String) target.getMethod("run").invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Every poll when there are few; else the first half of the budget in a row, the rest spread out. */
    private static List<Integer> samples(int polls, int maxSamples) {
        List<Integer> samples = new ArrayList<>();
        int dense = polls <= maxSamples ? polls : maxSamples / 2;
        for (int n = 1; n <= dense; n++) {
            samples.add(n);
        }
        int spread = Math.min(maxSamples, polls) - dense;
        for (int i = 1; i <= spread; i++) {
            samples.add(dense + (int) ((long) i * (polls - dense) / spread));
        }
        return samples;
    }
}
