package dev.stasis.agent.jmx;

import dev.stasis.agent.testing.FakeRuntime;
import dev.stasis.agent.testing.StderrCapture;
import org.junit.jupiter.api.Test;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.RuntimeMBeanException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointerTest {
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();

    @Test
    void registers_under_the_agreed_name() throws Exception {
        Checkpointer.register(new FakeRuntime(), server);

        assertThat(server.isRegistered(Checkpointer.NAME)).isTrue();
        assertThat(Checkpointer.NAME.toString()).isEqualTo("dev.stasis:type=Checkpointer");
        assertThat(server.getMBeanInfo(Checkpointer.NAME).getAttributes())
                .extracting(a -> a.getName())
                .containsExactlyInAnyOrder("LastSnapshotId", "CheckpointCount", "LastPauseMillis", "LastQuiesceMicros",
                        "LastSnapshotBytes", "SnapshotDirectory", "LastError");
    }

    @Test
    void checkpoint_operation_returns_the_snapshot_id_and_attributes_follow() throws Exception {
        Checkpointer.register(new FakeRuntime(), server);

        assertThat(server.invoke(Checkpointer.NAME, "checkpoint", new Object[0], new String[0])).isEqualTo("snap-1");
        assertThat(server.invoke(Checkpointer.NAME, "checkpoint", new Object[0], new String[0])).isEqualTo("snap-2");
        assertThat(server.getAttribute(Checkpointer.NAME, "LastSnapshotId")).isEqualTo("snap-2");
        assertThat(server.getAttribute(Checkpointer.NAME, "CheckpointCount")).isEqualTo(2L);
        assertThat(server.getAttribute(Checkpointer.NAME, "LastPauseMillis")).isEqualTo(7L);
        assertThat(server.getAttribute(Checkpointer.NAME, "LastQuiesceMicros")).isEqualTo(3_500L);
        assertThat(server.getAttribute(Checkpointer.NAME, "LastSnapshotBytes")).isEqualTo(1234L);
        assertThat(server.getAttribute(Checkpointer.NAME, "SnapshotDirectory")).isEqualTo("/tmp/snaps");
        assertThat(server.getAttribute(Checkpointer.NAME, "LastError")).isNull();
    }

    @Test
    void failed_checkpoint_reaches_the_client_as_a_jdk_exception_with_the_message_only() throws Exception {
        Checkpointer.register(new FakeRuntime().failingWith("thread main holds a lock in com.acme.Job.run"), server);

        try (StderrCapture err = new StderrCapture()) {
            assertThatThrownBy(() -> server.invoke(Checkpointer.NAME, "checkpoint", new Object[0], new String[0]))
                    .isInstanceOf(RuntimeMBeanException.class)
                    .cause()
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("thread main holds a lock in com.acme.Job.run")
                    .hasNoCause();
            assertThat(err.text()).as("the process's own log")
                    .isEqualTo("stasis: checkpoint failed: thread main holds a lock in com.acme.Job.run" + System.lineSeparator());
        }
        assertThat(server.getAttribute(Checkpointer.NAME, "LastError")).isEqualTo("thread main holds a lock in com.acme.Job.run");
    }

    @Test
    void a_proxy_client_sees_the_plain_illegal_state_exception() throws Exception {
        Checkpointer.register(new FakeRuntime().failingWith("no space left on /snaps"), server);
        CheckpointerMBean proxy = JMX.newMBeanProxy(server, Checkpointer.NAME, CheckpointerMBean.class);

        assertThatThrownBy(proxy::checkpoint).isExactlyInstanceOf(IllegalStateException.class).hasMessage("no space left on /snaps");
    }

    @Test
    void an_unexpected_engine_error_is_also_reported_as_a_jdk_exception() throws Exception {
        Checkpointer.register(new FakeRuntime().crashingWith(new UnsupportedOperationException("not yet")), server);
        CheckpointerMBean proxy = JMX.newMBeanProxy(server, Checkpointer.NAME, CheckpointerMBean.class);

        try (StderrCapture err = new StderrCapture()) {
            assertThatThrownBy(proxy::checkpoint).isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("unexpected java.lang.UnsupportedOperationException: not yet; the application runs on")
                    .hasNoCause();
            assertThat(err.text()).startsWith("stasis: checkpoint failed: unexpected java.lang.UnsupportedOperationException");
        }
    }

    @Test
    void a_second_registration_says_a_second_agent_is_loaded() throws Exception {
        Checkpointer.register(new FakeRuntime(), server);

        assertThatThrownBy(() -> Checkpointer.register(new FakeRuntime(), server))
                .isInstanceOf(InstanceAlreadyExistsException.class)
                .hasMessageContaining("is a second Stasis agent loaded into this JVM?");
    }
}
