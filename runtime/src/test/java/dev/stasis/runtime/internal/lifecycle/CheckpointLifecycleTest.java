package dev.stasis.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.crac.Context;
import dev.stasis.rt.crac.Resource;
import dev.stasis.runtime.CheckpointException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** jdk.crac's ordering and failure rules, as its ContextOrderTest and FailedResourceTest check them. */
class CheckpointLifecycleTest {
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final Context context = new Context();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CheckpointLifecycle lifecycle = new CheckpointLifecycle(context, new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void notifies_before_checkpoint_last_registered_first_and_after_restore_first_registered_first() throws Exception {
        register(RecordingResource.regular(journal, "first"), RecordingResource.regular(journal, "second"),
                RecordingResource.regular(journal, "third"));

        lifecycle.beforeCheckpoint();
        List<Throwable> failures = lifecycle.afterCheckpoint();

        assertThat(journal).containsExactly("third-before", "second-before", "first-before",
                "first-after", "second-after", "third-after");
        assertThat(failures).isEmpty();
    }

    @Test
    void a_throwing_resource_fails_the_checkpoint_after_all_were_notified_and_all_get_afterRestore() {
        register(RecordingResource.regular(journal, "regular1"), RecordingResource.throwing(journal, "throwing1"),
                RecordingResource.regular(journal, "regular2"), RecordingResource.throwing(journal, "throwing2"));

        assertThatThrownBy(lifecycle::beforeCheckpoint)
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("org.crac resources refused the checkpoint: "
                        + RecordingResource.class.getName() + ".beforeCheckpoint threw java.lang.IllegalStateException: throwing2-before; ")
                .hasMessageEndingWith("nothing was written, afterRestore has run for every resource and the program runs on")
                .satisfies(e -> assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getMessage)).containsExactly(
                        "throwing2-before", "throwing1-before", "throwing1-after", "throwing2-after"));
        assertThat(journal).containsExactly("throwing2-before", "regular2-before", "throwing1-before", "regular1-before",
                "regular1-after", "throwing1-after", "regular2-after", "throwing2-after");
    }

    @Test
    void the_exception_of_a_failed_resource_is_suppressed_as_it_was_thrown_and_its_afterRestore_still_runs() {
        Exception thrown = new Exception("Resource failed");
        boolean[] ranAfter = new boolean[1];
        register(new Resource() {
            @Override
            public void beforeCheckpoint(Context ignored) throws Exception {
                throw thrown;
            }

            @Override
            public void afterRestore(Context ignored) {
                ranAfter[0] = true;
            }
        });

        assertThatThrownBy(lifecycle::beforeCheckpoint)
                .isInstanceOf(ResourceCheckpointException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(thrown));
        assertThat(ranAfter[0]).isTrue();
        assertThat(lifecycle.resourcesToSave()).as("nothing to save after a refusal").isEmpty();
    }

    @Test
    void a_resource_registered_while_resources_are_notified_takes_part_from_the_next_checkpoint() throws Exception {
        RecordingResource late = RecordingResource.regular(journal, "late");
        register(new Resource() {
            @Override
            public void beforeCheckpoint(Context registry) {
                journal.add("creating-before");
                registry.register(late);
            }

            @Override
            public void afterRestore(Context ignored) {
                journal.add("creating-after");
            }
        });

        lifecycle.beforeCheckpoint();
        lifecycle.afterCheckpoint();
        assertThat(journal).containsExactly("creating-before", "creating-after");

        journal.clear();
        lifecycle.beforeCheckpoint();
        lifecycle.afterCheckpoint();
        assertThat(journal).containsExactly("late-before", "creating-before", "creating-after", "late-after");
    }

    @Test
    void after_restore_failures_are_printed_and_returned_and_the_later_resources_still_run() throws Exception {
        register(RecordingResource.throwingAfterRestore(journal, "broken"), RecordingResource.regular(journal, "fine"));

        lifecycle.beforeCheckpoint();
        List<Throwable> failures = lifecycle.afterCheckpoint();

        assertThat(journal).containsExactly("fine-before", "broken-before", "broken-after", "fine-after");
        assertThat(failures).extracting(Throwable::getMessage).containsExactly("broken-after");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("stasis: org.crac resource "
                + RecordingResource.class.getName() + ".afterRestore threw java.lang.IllegalStateException: broken-after;"
                + " the program runs on" + System.lineSeparator());
    }

    @Test
    void a_relaunched_process_tells_the_resources_registered_again_in_registration_order() throws Exception {
        List<Object> saved = List.of(RecordingResource.regular(journal, "first"), RecordingResource.regular(journal, "second"));

        lifecycle.registerAgain(saved);
        List<Throwable> failures = lifecycle.afterRestore();

        assertThat(context.registered()).containsExactlyElementsOf(saved.stream().map(Resource.class::cast).toList());
        assertThat(journal).containsExactly("first-after", "second-after");
        assertThat(failures).isEmpty();
    }

    @Test
    void saves_the_resources_of_the_checkpoint_in_progress_in_registration_order() throws Exception {
        RecordingResource first = RecordingResource.regular(journal, "first");
        RecordingResource second = RecordingResource.regular(journal, "second");
        register(first, second);

        lifecycle.beforeCheckpoint();
        List<Object> saved = lifecycle.resourcesToSave();
        lifecycle.afterCheckpoint();

        assertThat(saved).containsExactly(first, second);
        assertThat(lifecycle.resourcesToSave()).as("none once the checkpoint is over").isEmpty();
    }

    @Test
    void resources_run_on_a_thread_that_is_no_daemon_so_the_threads_they_start_are_none_either() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        register(new Resource() {
            @Override
            public void beforeCheckpoint(Context ignored) throws Exception {
                Thread started = new Thread(() -> { });
                seen.add(Thread.currentThread().getName() + " daemon=" + Thread.currentThread().isDaemon()
                        + ", started daemon=" + started.isDaemon());
            }

            @Override
            public void afterRestore(Context ignored) {
            }
        });
        Thread daemonCaller = new Thread(() -> {
            try {
                lifecycle.beforeCheckpoint();
            } catch (CheckpointException e) {
                throw new AssertionError(e);
            }
        });
        daemonCaller.setDaemon(true);
        daemonCaller.start();
        daemonCaller.join();

        assertThat(seen).containsExactly("stasis-crac-resources daemon=false, started daemon=false");
    }

    private void register(Resource... resources) {
        for (Resource resource : resources) {
            context.register(resource);
        }
    }
}
