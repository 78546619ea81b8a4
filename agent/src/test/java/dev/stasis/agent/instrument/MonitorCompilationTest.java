package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * HotSpot compiles a method only when every path agrees on the monitors it holds and no instruction that may
 * throw while one is held lies outside a handler. Instrumented {@code synchronized} blocks with points in them
 * (a loop, calls, a wait on the block's monitor) must keep it so, or the method runs interpreted for good: this
 * was the case before points inside blocks got their inline form (the monitor-safe shape of ContinuationPass).
 * Watched through JFR's compilation events: C2 (level 4) must compile each method.
 */
class MonitorCompilationTest {
    private static final Set<String> METHODS = Set.of("blockWithCalls", "blockWithWait", "blockInTry");
    private static final long GIVE_UP_SECONDS = 90;

    @Test
    void synchronized_blocks_with_points_and_a_wait_stay_compilable_by_c2() throws Throwable {
        Class<?> target = Rewinding.instrumented("HotBlocksTarget");
        assertThat(Rewinding.LOADER.isInstrumented(target.getName().replace('.', '/')
                + ".blockWithWait(I)J")).as("the target is instrumented").isTrue();
        MethodType type = MethodType.methodType(long.class, int.class);
        MethodHandle calls = MethodHandles.lookup().findStatic(target, "blockWithCalls", type);
        MethodHandle waits = MethodHandles.lookup().findStatic(target, "blockWithWait", type);
        MethodHandle inTry = MethodHandles.lookup().findStatic(target, "blockInTry", type);
        Set<String> compiled = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();

        try (RecordingStream stream = new RecordingStream()) {
            stream.enable("jdk.Compilation").withThreshold(Duration.ZERO);
            stream.enable("jdk.CompilationFailure");
            stream.onEvent("jdk.Compilation", event -> {
                String method = targetMethod(event, target);
                if (method != null && event.getInt("compileLevel") == 4 && succeeded(event)) {
                    compiled.add(method);
                }
            });
            stream.onEvent("jdk.CompilationFailure", event -> failures.add(event.getString("failureMessage")));
            stream.startAsync();
            long sink = 0;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
            while (!compiled.containsAll(METHODS) && System.nanoTime() - giveUp < 0) {
                for (int i = 0; i < 20_000; i++) {
                    sink += (long) calls.invokeExact(16) + (long) waits.invokeExact(i) + (long) inTry.invokeExact(16);
                }
            }
            assertThat(sink).isNotZero();
        }

        assertThat(compiled).as("methods of %s compiled by C2 within %d s; compilation failures seen: %s",
                target.getSimpleName(), GIVE_UP_SECONDS, failures).containsAll(METHODS);
    }

    private static String targetMethod(RecordedEvent event, Class<?> target) {
        RecordedMethod method = event.getValue("method");
        return method != null && method.getType().getName().equals(target.getName()) ? method.getName() : null;
    }

    /** The field is spelled "succeded" on the JDKs this runs on; read whichever is there. */
    private static boolean succeeded(RecordedEvent event) {
        return event.hasField("succeded") ? event.getBoolean("succeded") : event.getBoolean("succeeded");
    }
}
