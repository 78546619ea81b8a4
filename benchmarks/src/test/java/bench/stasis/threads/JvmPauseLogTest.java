package bench.stasis.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmPauseLogTest {

    @Test
    void reads_thread_dump_safepoints_deoptimize_handshakes_and_every_safepoints_time_to_reach_it() {
        JvmPauseLog log = JvmPauseLog.parse(List.of(
                "[13051ms] Handshake \"Deoptimize\", Targeted threads: 24, Executed by requesting thread: 16, "
                        + "Total completion time: 48092070 ns",
                "[13076ms] Safepoint \"ThreadDump\", Time since last: 279052367 ns, Reaching safepoint: 76178 ns, "
                        + "Cleanup: 23686 ns, At safepoint: 15865273 ns, Total: 15965137 ns",
                "[13096ms] Safepoint \"G1CollectForAllocation\", Time since last: 230491 ns, Reaching safepoint: 2909 ns, "
                        + "Cleanup: 7924 ns, At safepoint: 19939797 ns, Total: 19950630 ns",
                "[13098ms] Safepoint \"ThreadDump\", Time since last: 321744 ns, Reaching safepoint: 73775 ns, "
                        + "Cleanup: 4053 ns, At safepoint: 1996151 ns, Total: 2073979 ns"));

        assertThat(log.threadDumpNanos()).containsExactly(15965137L, 2073979L);
        assertThat(log.deoptimizeNanos()).containsExactly(48092070L);
        assertThat(log.reachingNanos()).as("of every kind of safepoint").containsExactly(76178L, 2909L, 73775L);
    }
}
