package bench.stasis.overhead;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a checkpoint costs the program after its pause: each checkpoint deoptimises the compiled
 * instrumented code (docs/ARCHITECTURE.md, "The poll"), which runs slower until the JIT has compiled
 * it again. Run under the agent with {@code interval=}; counts operations (a recursive fib and a
 * HashMap/ArrayList pass, so several methods are hot) per 50 ms window and reads the agent's MBean
 * to see when each checkpoint happened. Prints, per checkpoint: the agent's pause, how long until a
 * window was back to 90 % of the steady rate, and the work lost in that time (in ms of steady work).
 *
 * <p>{@code java -javaagent:stasis-agent.jar=dir=<tmp>,interval=5s -cp stasis-overhead-benchmarks.jar
 * bench.stasis.overhead.RecoveryWorkload [seconds]}
 */
public final class RecoveryWorkload {
    private static final long WINDOW_NANOS = 50_000_000L;
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private record Window(long startNanos, int ops, long checkpoints, long lastPauseMillis) {
    }

    private RecoveryWorkload() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        Integer[] keys = new Random(7).ints(1024, 0, 512).boxed().toArray(Integer[]::new);
        List<Window> windows = new ArrayList<>();
        long start = System.nanoTime();
        long sink = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            long windowStart = System.nanoTime();
            int ops = 0;
            while (System.nanoTime() - windowStart < WINDOW_NANOS) {
                sink += Fibonacci.fib(18) + CollectionWork.mapAndList(keys);
                ops++;
            }
            windows.add(new Window(windowStart - start, ops, agentAttribute("CheckpointCount"),
                    agentAttribute("LastPauseMillis")));
        }
        report(windows);
        System.out.println("(checksum " + sink + ")");
    }

    /**
     * Looked up each time rather than kept in a local of main: the MBean server cannot be
     * snapshotted, and main's frame is captured with everything it holds.
     */
    private static long agentAttribute(String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return ((Number) server.getAttribute(new ObjectName("dev.stasis:type=Checkpointer"), name)).longValue();
    }

    private static void report(List<Window> windows) {
        int firstCheckpoint = windows.size();
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).checkpoints() > 0) {
                firstCheckpoint = i;
                break;
            }
        }
        int[] steadyOps = windows.subList(0, firstCheckpoint).stream()
                .filter(window -> window.startNanos() >= WARM_UP_NANOS).mapToInt(Window::ops).sorted().toArray();
        if (steadyOps.length < 5) {
            throw new IllegalStateException("stasis recovery: fewer than 5 steady windows before the first checkpoint;"
                    + " start the agent with a longer interval= (at least 5s)");
        }
        double steady = steadyOps[steadyOps.length / 2];
        System.out.printf("Steady rate before the first checkpoint: %.0f operations per 50 ms window (median of %d windows)%n%n",
                steady, steadyOps.length);
        System.out.println("| checkpoint | at (s) | pause (ms) | back to 90 % after (ms) | work lost (ms of steady work) |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: |");
        for (int i = 1; i < windows.size(); i++) {
            Window window = windows.get(i);
            if (window.checkpoints() == windows.get(i - 1).checkpoints()) {
                continue;
            }
            // The count is read at the end of a window, so this checkpoint ended during window i and
            // may have started in window i-1: the dip starts at the first slow one of the two.
            int from = windows.get(i - 1).ops() < 0.9 * steady ? i - 1 : i;
            int recovered = from;
            double lost = 0;
            while (recovered < windows.size() && windows.get(recovered).ops() < 0.9 * steady) {
                lost += steady - windows.get(recovered).ops();
                recovered++;
            }
            String back = recovered >= windows.size() ? "not within the run"
                    : String.valueOf((windows.get(recovered).startNanos() - windows.get(from).startNanos()) / 1_000_000);
            System.out.printf("| %d | %.2f | %d | %s | %.0f |%n", window.checkpoints(), windows.get(from).startNanos() / 1e9,
                    window.lastPauseMillis(), back, lost / steady * 50);
        }
        System.out.println();
        System.out.println("Operations per window: " + Arrays.toString(windows.stream().mapToInt(Window::ops).toArray()));
    }
}
