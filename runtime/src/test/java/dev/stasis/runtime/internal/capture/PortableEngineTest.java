package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import dev.stasis.rt.Wakeups;
import dev.stasis.runtime.internal.registry.InstrumentedClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PortableEngineTest {
    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.withProtocolProgram();
    private final InstrumentedClasses registry = installed.registry;
    private final PortableEngine engine = installed.engine;

    @Test
    void captures_at_the_entry_poll_of_the_bottom_frame_and_rewinds_from_there() throws Exception {
        ProtocolProgram.n = 10;
        Thread program = new Thread(ProtocolProgram::main, "app-main");
        Quiesce quiesce = engine.request(ApplicationThreads.matching(thread -> thread == program));
        program.start();

        List<ParkedThread> cut = awaitCut(quiesce, program);
        assertThat(cut).hasSize(1);
        assertThat(cut.get(0).bottomFirst()).extracting(Frame::toString).containsExactly(ProtocolProgram.MAIN + " @0");
        assertThat(ProtocolProgram.result).as("nothing ran past the entry poll").isZero();

        engine.withdraw(quiesce);
        quiesce.release();
        program.join(10_000);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(10));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_thread_that_reaches_its_bottom_after_the_quiesce_was_abandoned_rewinds_without_parking() throws Exception {
        ProtocolProgram.n = 10;
        Thread program = new Thread(ProtocolProgram::main, "app-main");
        Quiesce quiesce = engine.request(ApplicationThreads.matching(thread -> thread == program));
        assertThat(quiesce.claim(program)).isTrue(); // as if the thread had claimed it just before the timeout
        quiesce.abandon();

        engine.withdraw(quiesce);
        program.start();
        program.join(10_000);

        assertThat(program.isAlive()).isFalse();
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(10));
    }

    @Test
    void poll_ignores_threads_that_are_not_the_applications() {
        Thread other = new Thread(() -> { }, "other");
        Quiesce quiesce = engine.request(ApplicationThreads.matching(thread -> thread == other));

        assertThat(engine.poll()).isFalse();
        assertThat(quiesce.isUnwinding(Thread.currentThread())).isFalse();
        engine.withdraw(quiesce);
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_recreated_thread_rewinds_its_frames_from_its_first_entry() throws Exception {
        ProtocolProgram.n = 1000;
        Frame main = new Frame(ProtocolProgram.MAIN, 1, 1, 0, 0, 0, 0);
        main.ints[0] = 1000;
        Frame sum = new Frame(ProtocolProgram.SUM, 1, 2, 1, 0, 0, 0);
        sum.ints[0] = 1000;
        sum.ints[1] = 600;
        sum.longs[0] = ProtocolProgram.sumOfSquaresBelow(600);
        Thread recreated = new Thread(ProtocolProgram::main, "recreated");
        List<Integer> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProtocolProgram.onStep = steps::add;

        engine.rewindOnStart(recreated, List.of(main, sum));
        assertThat(Stasis.isPending()).isTrue();
        recreated.start();
        recreated.join(10_000);

        assertThat(steps).as("it went on from step 600, not from the start").first().isEqualTo(600);
        assertThat(ProtocolProgram.result).isEqualTo(ProtocolProgram.sumOfSquaresBelow(1000));
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_thread_set_to_end_runs_its_replacement_at_its_first_entry() throws Exception {
        ProtocolProgram.n = 1000;
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread ending = new Thread(() -> {
            engine.endCurrentThreadOnEntry(() -> ran.add("replacement"));
            ProtocolProgram.main();
        }, "relaunched-main");

        ending.start();
        ending.join(10_000);

        assertThat(ran).containsExactly("replacement");
        assertThat(Stasis.isPending()).isFalse();
    }

    private static List<ParkedThread> awaitCut(Quiesce quiesce, Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<ParkedThread> cut = quiesce.closeIfAllParked(List.of(thread), thread);
            if (cut != null) {
                return cut;
            }
            quiesce.awaitChange(10);
        }
        throw new AssertionError("thread " + thread.getName() + " did not park");
    }

    @Test
    void a_checkpoint_takes_threads_only_once_its_flag_is_fully_raised_and_wakes_blocked_threads_again_then() {
        List<Boolean> requestedAtEachWake = new ArrayList<>();
        // Wakes run inside the raise (the flag is visible to some code, not yet to compiled polls) and after it.
        Wakeups.register(() -> requestedAtEachWake.add(engine.isRequested()));
        try {
            Quiesce quiesce = engine.request(ApplicationThreads.matching(thread -> false));
            engine.withdraw(quiesce);
        } finally {
            Wakeups.unregister();
        }

        assertThat(requestedAtEachWake).containsExactly(false, true);
    }

    @Test
    void poll_is_false_when_no_checkpoint_is_requested() {
        assertThat(engine.poll()).isFalse();
        assertThat(engine.unwinding()).isFalse();
    }

    @Test
    void enter_returns_the_frames_bottom_first_then_null_and_clears_pending() {
        Frame bottom = new Frame("a/B.main([Ljava/lang/String;)V", 1, 0, 0, 0, 0, 1);
        Frame top = new Frame("a/B.run(I)V", 2, 1, 0, 0, 0, 0);
        engine.rewindCurrentThread(List.of(bottom, top));
        assertThat(Stasis.isPending()).isTrue();

        assertThat(engine.enter("a/B.main([Ljava/lang/String;)V")).isSameAs(bottom);
        assertThat(Stasis.isPending()).isTrue();
        assertThat(engine.enter("a/B.run(I)V")).isSameAs(top);

        assertThat(Stasis.isPending()).isFalse();
        assertThat(engine.enter("a/B.run(I)V")).isNull();
    }

    @Test
    void entering_another_method_than_the_next_frame_names_both_and_stops_rewinding() {
        engine.rewindCurrentThread(List.of(new Frame("a/B.run(I)V", 0, 1, 0, 0, 0, 0)));

        assertThatThrownBy(() -> engine.enter("a/C.other()V"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected to enter a/B.run(I)V (frame 1 of 1, bottom first) but entered a/C.other()V");
        assertThat(engine.enter("a/B.run(I)V")).isNull();
        assertThat(Stasis.isPending()).isFalse();
    }

    @Test
    void a_frame_unwound_while_not_unwinding_is_an_error() {
        assertThatThrownBy(() -> engine.unwound(new Frame("a/B.run(I)V", 0, 0, 0, 0, 0, 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a/B.run(I)V @0 unwound on thread");
    }

    @Test
    void initializing_records_the_order_and_skips_nothing_outside_a_replay() {
        assertThat(engine.initializing(Plain.class)).isFalse();
        assertThat(engine.initializing(Color.class)).isFalse();

        assertThat(engine.initializationOrder()).containsExactly(Plain.class, Color.class);
    }

    @Test
    void initializing_skips_replayed_classes_but_never_enums() {
        engine.beginReplay(Set.of(Plain.class.getName(), Color.class.getName()));

        assertThat(engine.initializing(Plain.class)).isTrue();
        assertThat(engine.initializing(Color.class)).isFalse();
        assertThat(engine.initializing(NotReplayed.class)).isFalse();
        engine.endReplay();
        assertThat(engine.initializing(Plain.class)).isFalse();
    }

    @Test
    void a_replayed_static_initialiser_does_not_run_its_original_code() throws Exception {
        engine.beginReplay(Set.of(Replayed.class.getName()));
        Class.forName(Replayed.class.getName(), true, getClass().getClassLoader());
        engine.endReplay();

        assertThat(Replayed.value).isZero();
        assertThat(engine.initializationOrder()).containsExactly(Replayed.class);
    }

    static final class Plain {
    }

    static final class NotReplayed {
    }

    enum Color { RED }

    /** A {@code <clinit>} with the instrumenter's prologue. */
    static final class Replayed {
        static int value;

        static {
            if (!Stasis.initializing(Replayed.class)) {
                value = 42;
            }
        }
    }
}
