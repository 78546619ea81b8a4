package bench.stasis.threads;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One JMX connection to the agent's {@code dev.stasis:type=Checkpointer} in another JVM (attach, local management
 * agent), kept open for many checkpoints: each one is the MBean's {@code checkpoint()} operation, as the CLI calls
 * it, without a JVM start and an attach per checkpoint.
 */
final class AgentConnection implements AutoCloseable {
    private static final String MBEAN = "dev.stasis:type=Checkpointer";

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName name;

    private AgentConnection(long pid, JMXConnector connector) throws IOException, JMException {
        this.pid = pid;
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
        this.name = new ObjectName(MBEAN);
    }

    static AgentConnection attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("Cannot attach to process " + pid + " to reach " + MBEAN + ": " + e.getMessage(), e);
        }
        try {
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            return new AgentConnection(pid, connector);
        } catch (JMException e) {
            throw new IOException("Cannot reach " + MBEAN + " in process " + pid + ": " + e, e);
        } finally {
            vm.detach();
        }
    }

    /** Takes a checkpoint; the agent's reason when it fails. */
    String checkpoint() throws IOException {
        try {
            return (String) server.invoke(name, "checkpoint", new Object[0], new String[0]);
        } catch (MBeanException e) {
            throw new IOException("checkpoint failed in process " + pid + ": " + e.getCause().getMessage(), e);
        } catch (JMException e) {
            throw new IOException("Cannot call checkpoint() on " + MBEAN + " in process " + pid + ": " + e, e);
        }
    }

    /**
     * Makes the JVM stop every thread once for nothing of Stasis's: {@code ThreadMXBean.dumpAllThreads(false, false)},
     * a {@code ThreadDump} safepoint, whose time to safepoint the JVM logs.
     */
    void jvmThreadDump() throws IOException {
        try {
            server.invoke(new ObjectName("java.lang:type=Threading"), "dumpAllThreads", new Object[] {false, false},
                    new String[] {"boolean", "boolean"});
        } catch (JMException e) {
            throw new IOException("Cannot call ThreadMXBean.dumpAllThreads in process " + pid + ": " + e, e);
        }
    }

    long longAttribute(String attribute) throws IOException {
        try {
            return ((Number) server.getAttribute(name, attribute)).longValue();
        } catch (JMException e) {
            throw new IOException("Cannot read " + MBEAN + "." + attribute + " in process " + pid + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
