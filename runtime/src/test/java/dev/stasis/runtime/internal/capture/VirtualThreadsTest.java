package dev.stasis.runtime.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stasis.runtime.CheckpointException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Virtual threads are not captured yet: a checkpoint refuses while one runs rather than miss it. */
class VirtualThreadsTest {
    @RegisterExtension
    final InstalledEngine installed = InstalledEngine.alone();
    private final ThreadGroup programGroup = new ThreadGroup("program");

    private static boolean jdkHasVirtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    /** {@code Thread.startVirtualThread}, called by reflection: this code is compiled for Java 17. */
    private static Thread startVirtual(Runnable task) throws ReflectiveOperationException {
        return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
    }

    @Test
    void on_jdk_17_there_are_none_and_nothing_is_refused() {
        assumeTrue(!jdkHasVirtualThreads(), "runs on JDK 17 only");
        assertThat(VirtualThreads.live()).isEmpty();
        assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
    }

    @Test
    void a_running_virtual_thread_is_found_and_refuses_the_checkpoint() throws Exception {
        assumeTrue(jdkHasVirtualThreads(), "virtual threads exist on JDK 21 and later");
        CountDownLatch end = new CountDownLatch(1);
        Thread program = new Thread(programGroup, () -> awaitQuietly(end), "app-main");
        program.start();
        Thread virtual = startVirtual(() -> awaitQuietly(end));
        try {
            assertThat(VirtualThreads.isVirtual(virtual)).isTrue();
            assertThat(VirtualThreads.live()).contains("#" + virtual.getId());
            CheckpointCoordinator coordinator = new CheckpointCoordinator(installed.engine,
                    ApplicationThreads.matching(thread -> thread.getThreadGroup() == programGroup));

            assertThatThrownBy(() -> coordinator.capture(program, Duration.ofSeconds(5), List::copyOf))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("cannot checkpoint: virtual threads are running (#" + virtual.getId() + ")")
                    .hasMessageContaining("this version captures platform threads only");
        } finally {
            end.countDown();
            virtual.join(10_000);
            program.join(10_000);
        }
        assertThat(VirtualThreads.live()).doesNotContain("#" + virtual.getId());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
