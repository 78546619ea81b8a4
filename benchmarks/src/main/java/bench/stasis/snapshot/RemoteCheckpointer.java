package bench.stasis.snapshot;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the agent's own figures for its last checkpoint from its MBean in another JVM, the way
 * JConsole would (attach, local management agent, JMX). The CLI prints only the snapshot id.
 */
final class RemoteCheckpointer {
    private static final String MBEAN = "dev.stasis:type=Checkpointer";

    private RemoteCheckpointer() {
    }

    record LastCheckpoint(long pauseMillis, long snapshotBytes, String snapshotId) {
    }

    static LastCheckpoint lastCheckpoint(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("Cannot attach to process " + pid + " to read " + MBEAN + ": " + e.getMessage(), e);
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(MBEAN);
            return new LastCheckpoint((Long) server.getAttribute(name, "LastPauseMillis"),
                    (Long) server.getAttribute(name, "LastSnapshotBytes"),
                    (String) server.getAttribute(name, "LastSnapshotId"));
        } catch (JMException e) {
            throw new IOException("Cannot read " + MBEAN + " in process " + pid + ": " + e, e);
        } finally {
            vm.detach();
        }
    }
}
