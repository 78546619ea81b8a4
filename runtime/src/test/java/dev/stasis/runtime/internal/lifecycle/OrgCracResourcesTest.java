package dev.stasis.runtime.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.crac.Resource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Core;
import org.junit.jupiter.api.Test;

/**
 * The real {@code org.crac} API jar delegating to Stasis, as the agent sets it up: resources registered
 * through it are notified through its proxies, saved as the application's own objects and registered
 * through it again.
 */
class OrgCracResourcesTest {
    static {
        // What the agent does in premain, before any application class can touch org.crac.
        System.setProperty("org.crac.Core.Compat", "dev.stasis.rt.crac");
    }

    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());
    private final CheckpointLifecycle lifecycle = new CheckpointLifecycle(dev.stasis.rt.crac.Core.getGlobalContext(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    @Test
    void resources_registered_through_org_crac_are_notified_in_order_and_saved_as_the_applications_objects()
            throws Exception {
        AppResource first = new AppResource(journal, "first");
        AppResource second = new AppResource(journal, "second");
        Core.getGlobalContext().register(first);
        Core.getGlobalContext().register(second);

        lifecycle.beforeCheckpoint();
        List<Object> saved = lifecycle.resourcesToSave();
        lifecycle.afterCheckpoint();

        assertThat(journal).containsSubsequence("second-before", "first-before", "first-after", "second-after");
        assertThat(saved).containsSubsequence(first, second);
        assertThat(saved).allMatch(resource -> !(resource instanceof Resource), "no org.crac proxy is saved");
    }

    @Test
    void saved_resources_are_registered_again_through_org_crac_in_their_order() throws Exception {
        AppResource first = new AppResource(journal, "first");
        AppResource second = new AppResource(journal, "second");

        lifecycle.registerAgain(List.of(first, second));
        List<Resource> registered = dev.stasis.rt.crac.Core.getGlobalContext().registered();
        List<Object> own = registered.subList(registered.size() - 2, registered.size()).stream()
                .map(OrgCracResources::unwrap).toList();

        assertThat(own).containsExactly(first, second);
        registered.get(registered.size() - 1).afterRestore(null);
        assertThat(journal).containsExactly("second-after");
    }

    @Test
    void checkpointRestore_called_from_uninstrumented_code_is_refused_with_the_reason_suppressed() {
        assertThatThrownBy(Core::checkpointRestore)
                .isInstanceOf(CheckpointException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(reason -> assertThat(reason.getMessage()).startsWith(
                                "stasis: org.crac.Core.checkpointRestore() was called from code that Stasis does not instrument")));
    }

    @Test
    void a_saved_object_that_is_no_resource_any_more_is_refused_with_its_class() {
        assertThatThrownBy(() -> lifecycle.registerAgain(List.of("not a resource")))
                .isInstanceOf(dev.stasis.runtime.RestoreException.class)
                .hasMessage("the snapshot holds java.lang.String as an org.crac resource, but it does not implement"
                        + " org.crac.Resource now; start fresh with restore=never");
    }

    static final class AppResource implements org.crac.Resource {
        private final List<String> journal;
        private final String id;

        AppResource(List<String> journal, String id) {
            this.journal = journal;
            this.id = id;
        }

        @Override
        public void beforeCheckpoint(Context<? extends org.crac.Resource> context) {
            journal.add(id + "-before");
        }

        @Override
        public void afterRestore(Context<? extends org.crac.Resource> context) {
            journal.add(id + "-after");
        }
    }
}
