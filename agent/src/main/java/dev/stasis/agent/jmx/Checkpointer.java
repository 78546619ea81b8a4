package dev.stasis.agent.jmx;

import dev.stasis.agent.AgentLog;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.StasisRuntime;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** The engine's checkpoint and statistics, published as {@link #NAME} on an MBean server. */
public final class Checkpointer implements CheckpointerMBean {
    public static final ObjectName NAME = objectName("dev.stasis:type=Checkpointer");

    private final StasisRuntime runtime;

    public Checkpointer(StasisRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Registers on {@code server} (the platform server in the agent). The platform server opens no
     * network listener; a remote client reaches it only through a connector the user starts, e.g.
     * the CLI's local attach.
     */
    public static void register(StasisRuntime runtime, MBeanServer server) throws JMException {
        try {
            server.registerMBean(new StandardMBean(new Checkpointer(runtime), CheckpointerMBean.class), NAME);
        } catch (InstanceAlreadyExistsException e) {
            throw new InstanceAlreadyExistsException(NAME + " is already registered: is a second Stasis agent loaded into this JVM?");
        }
    }

    /**
     * A failure is told twice with the same words: to the caller, and on the process's stderr as
     * {@code stasis: checkpoint failed: ...} (whoever asked, the operator of the process sees it).
     * The exception carries only the message, no cause: a cause of a Stasis or Kryo type could not
     * be deserialized by a remote client, which would then show a class-not-found error instead.
     */
    @Override
    public String checkpoint() {
        try {
            return runtime.checkpoint().snapshotId();
        } catch (CheckpointException e) {
            throw failed(e.getMessage());
        } catch (RuntimeException | Error e) {
            AgentLog.debug(e);
            throw failed("unexpected " + e + "; the application runs on, details with -Dstasis.debug=true in the process");
        }
    }

    private static IllegalStateException failed(String reason) {
        AgentLog.warn("checkpoint failed: " + reason);
        return new IllegalStateException(reason);
    }

    @Override
    public String getLastSnapshotId() {
        return runtime.lastSnapshotId();
    }

    @Override
    public long getCheckpointCount() {
        return runtime.checkpointCount();
    }

    @Override
    public long getLastPauseMillis() {
        return runtime.lastPauseMillis();
    }

    @Override
    public long getLastQuiesceMicros() {
        return runtime.lastQuiesceMicros();
    }

    @Override
    public long getLastSnapshotBytes() {
        return runtime.lastSnapshotBytes();
    }

    @Override
    public String getSnapshotDirectory() {
        return String.valueOf(runtime.snapshotDirectory());
    }

    @Override
    public String getLastError() {
        return runtime.lastError();
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
