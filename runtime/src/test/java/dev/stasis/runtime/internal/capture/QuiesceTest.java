package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cut: it is taken only when every live application thread has parked and none is unwinding. */
class QuiesceTest {
    private final Thread a = new Thread(() -> { }, "a");
    private final Thread b = new Thread(() -> { }, "b");
    private final Quiesce quiesce = new Quiesce(ApplicationThreads.matching(thread -> true));

    @Test
    void no_cut_while_a_live_thread_has_not_parked() throws Exception {
        Thread parker = parkInBackground(a);

        assertThat(quiesce.closeIfAllParked(List.of(a, b), null)).isNull();
        assertThat(quiesce.isOpen()).isTrue();
        quiesce.release();
        parker.join(10_000);
    }

    @Test
    void no_cut_while_a_thread_is_still_unwinding_even_if_it_was_not_listed_as_live() {
        assertThat(quiesce.claim(b)).isTrue();

        assertThat(quiesce.closeIfAllParked(List.of(), null)).isNull();
    }

    @Test
    void the_cut_lists_the_main_thread_first_and_closes_the_quiesce() throws Exception {
        Thread parkerA = parkInBackground(a);
        Thread parkerB = parkInBackground(b);

        List<ParkedThread> cut = quiesce.closeIfAllParked(List.of(a, b), b);

        assertThat(cut).extracting(ParkedThread::thread).containsExactly(b, a);
        assertThat(quiesce.isOpen()).isFalse();
        assertThat(quiesce.claim(new Thread("late"))).as("nobody claims after the cut").isFalse();
        quiesce.release();
        parkerA.join(10_000);
        parkerB.join(10_000);
        assertThat(parkerA.isAlive() || parkerB.isAlive()).isFalse();
    }

    @Test
    void a_thread_can_claim_only_once() {
        assertThat(quiesce.claim(a)).isTrue();
        assertThat(quiesce.claim(a)).isFalse();
    }

    @Test
    void a_thread_reaching_its_bottom_after_the_quiesce_was_abandoned_does_not_wait() {
        assertThat(quiesce.claim(a)).isTrue();
        quiesce.abandon();

        quiesce.parkWith(a, List.of(), null); // returns at once: nothing releases it

        assertThat(quiesce.isParked(a)).isFalse();
        assertThat(quiesce.isUnwinding(a)).isFalse();
    }

    /** Claims for {@code thread} and parks on its behalf on a helper thread, as the engine does at the bottom frame. */
    private Thread parkInBackground(Thread thread) throws InterruptedException {
        assertThat(quiesce.claim(thread)).isTrue();
        Thread parker = new Thread(() -> quiesce.parkWith(thread, List.of(), null), "parker-" + thread.getName());
        parker.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!quiesce.isParked(thread) && System.nanoTime() < deadline) {
            quiesce.awaitChange(10);
        }
        assertThat(quiesce.isParked(thread)).isTrue();
        return parker;
    }
}
