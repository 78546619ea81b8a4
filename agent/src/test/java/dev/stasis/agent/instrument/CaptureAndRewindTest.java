package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.rt.Frame;
import dev.stasis.rt.Stasis;
import java.io.Serializable;
import java.lang.reflect.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each target runs uninstrumented, then instrumented with a capture at many polls; after a rewind
 * in place and after a simulated relaunch the result must be the uninstrumented one.
 */
class CaptureAndRewindTest {
    private static final String PRIMITIVES = "dev/stasis/agent/instrument/targets/PrimitivesTarget";
    private static final String DISPATCH = "dev/stasis/agent/instrument/targets/DispatchTarget";

    @BeforeEach
    void installEngine() {
        Rewinding.install();
    }

    @AfterEach
    void uninstallEngine() {
        Rewinding.uninstall();
    }

    @Test
    void restores_every_primitive_kind_references_arrays_and_null_locals() throws Exception {
        Rewinding.Report report = Rewinding.sweep("PrimitivesTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(report.points()).contains(PRIMITIVES + ".run()Ljava/lang/String; @1",
                PRIMITIVES + ".bump(I)I @1");
        assertThat(report.maxDepth()).isEqualTo(2);
    }

    @Test
    void saves_only_live_locals() throws Exception {
        Class<?> target = Rewinding.instrumented("PrimitivesTarget");
        // Polls: run entry, run loop header, bump entry, bump loop header (the 4th).
        Rewinding.ENGINE.arm(4, CaptureEngine.Mode.RELAUNCH);
        Rewinding.run(target);
        Rewinding.ENGINE.disarm();

        Frame bump = Rewinding.ENGINE.captured().get(0);
        assertThat(bump.method).isEqualTo(PRIMITIVES + ".bump(I)I");
        assertThat(bump.point).isEqualTo(1);
        assertThat(bump.ints).as("r and j; the parameter x is dead after r = x").containsExactly(42, 0);
    }

    @Test
    void restores_operand_stack_values_below_a_call() throws Exception {
        Rewinding.Report report = Rewinding.sweep("StackBelowCallTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(report.maxDepth()).isEqualTo(3);
    }

    @Test
    void moves_new_and_dup_below_calls_in_constructor_arguments() throws Exception {
        Rewinding.Report report = Rewinding.sweep("NewAcrossCallTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(report.maxDepth()).isEqualTo(3);
    }

    @Test
    void keeps_handlers_after_rewind_and_runs_no_finally_while_unwinding() throws Exception {
        Rewinding.Report report = Rewinding.sweep("TryCatchTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(Rewinding.run(Rewinding.instrumented("TryCatchTarget"))).isEqualTo("3;4;cbad3;6; 14 1 -1");
    }

    @Test
    void rewinds_interface_virtual_private_super_static_and_recursive_calls() throws Exception {
        Rewinding.Report report = Rewinding.sweep("DispatchTarget", 80);

        assertThat(report.captures()).isEqualTo(80);
        assertThat(report.maxDepth()).as("deep recursion").isGreaterThan(1000);
        assertThat(report.points()).anyMatch(point -> point.startsWith(DISPATCH + "$Derived.value(I)I"))
                .anyMatch(point -> point.startsWith(DISPATCH + "$Square.area(I)I"))
                .anyMatch(point -> point.startsWith(DISPATCH + "$Shape.twice(I)I"))
                .anyMatch(point -> point.startsWith(DISPATCH + "$Shape.unit(I)I"))
                .anyMatch(point -> point.startsWith(DISPATCH + ".fib(I)J"));
    }

    @Test
    void rewinds_through_lambdas_and_method_references() throws Exception {
        Rewinding.Report report = Rewinding.sweep("LambdaTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(report.points()).anyMatch(point -> point.contains("lambda$run$"));
    }

    @Test
    void links_lambdas_as_serializable() throws Exception {
        Object lambda = Rewinding.instrumented("LambdaTarget").getMethod("lambda").invoke(null);

        assertThat(lambda).isInstanceOf(Serializable.class);
    }

    @Test
    void rewinds_through_reflective_method_invoke() throws Exception {
        Rewinding.Report report = Rewinding.sweep("ReflectionTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(report.maxDepth()).isEqualTo(3);
    }

    @Test
    void releases_monitors_while_unwinding_and_reacquires_them_on_rewind() throws Exception {
        Rewinding.Report report = Rewinding.sweep("SynchronizedTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
        assertThat(Rewinding.run(Rewinding.instrumented("SynchronizedTarget"))).isEqualTo("9 3 9 true");
    }

    @Test
    void polls_at_back_edges_of_nested_loops_and_loops_inside_expressions() throws Exception {
        // Every poll, including those of the loops inside "7 + switch (...)", which run with 7 on the stack.
        Rewinding.Report report = Rewinding.sweep("LoopsTarget", 1000);

        assertThat(report.captures()).isEqualTo(report.polls());
        assertThat(report.points()).anyMatch(point -> point.startsWith("dev/stasis/agent/instrument/targets/"
                + "LoopsTarget.run()Ljava/lang/String; @") && !point.endsWith("@0"));
    }

    @Test
    void rewinds_counted_loops_of_every_shape_with_bounds_at_the_edges_of_the_int_range() throws Exception {
        Rewinding.Report report = Rewinding.sweep("CountedLoopsTarget", 300);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 300));
        // One poll per back-edge: about 130,000 of them.
        assertThat(report.polls()).isGreaterThan(100_000);
        assertThat(report.points()).anyMatch(point -> point.contains("CountedLoopsTarget.run()") && !point.endsWith("@0"));
    }

    @Test
    void unwinds_through_callers_the_jit_compiled_while_no_checkpoint_ran() throws Exception {
        String expected = Rewinding.run(Class.forName(InstrumentingLoader.TARGETS + "CompiledStackTarget"));
        Class<?> target = Rewinding.instrumented("CompiledStackTarget");
        Field atBottom = target.getField("atBottom");
        for (int i = 0; i < 30_000; i++) {
            assertThat(Rewinding.run(target)).isEqualTo(expected);
        }
        for (CaptureEngine.Mode mode : CaptureEngine.Mode.values()) {
            // The capture starts at the loop poll of bottom(), under 42 frames compiled long ago.
            atBottom.set(null, (Runnable) () -> Rewinding.ENGINE.arm(1, mode));
            String first = Rewinding.run(target);
            atBottom.set(null, (Runnable) () -> { });
            assertThat(Rewinding.ENGINE.captured()).as("frames captured (%s)", mode).hasSize(43);
            if (mode == CaptureEngine.Mode.RELAUNCH) {
                assertThat(first).isNull();
                Rewinding.ENGINE.rewindCaptured();
                first = Rewinding.run(target);
            }
            Rewinding.ENGINE.disarm();
            assertThat(first).as("result after a capture through compiled frames (%s)", mode).isEqualTo(expected);
            assertThat(Stasis.isPending()).as("pending lowered again (%s)", mode).isFalse();
        }
    }

    @Test
    void casts_restored_references_to_a_class_the_method_may_name() throws Exception {
        Rewinding.Report report = Rewinding.sweep("AccessTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
    }

    @Test
    void keeps_receiver_types_of_exported_sun_packages_such_as_sun_misc_unsafe() throws Exception {
        Rewinding.Report report = Rewinding.sweep("ExportedJdkTypeTarget", 200);

        assertThat(report.captures()).isEqualTo(Math.min(report.polls(), 200));
    }

    @Test
    void records_the_class_initialisation_through_the_prologue() {
        Class<?> type = Rewinding.instrumented("StackBelowCallTarget");
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }

        assertThat(Rewinding.ENGINE.initialized()).contains(type);
    }
}
