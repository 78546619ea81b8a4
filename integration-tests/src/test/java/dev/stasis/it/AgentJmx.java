package dev.stasis.it;

import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** Reads the Stasis MBean of a forked JVM the way JConsole would: attach, local management agent, JMX. */
final class AgentJmx {

    private AgentJmx() {
    }

    static Object attribute(ForkedJvm jvm, String name) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(jvm.pid()));
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                return server.getAttribute(new ObjectName("dev.stasis:type=Checkpointer"), name);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read " + name + " of the Stasis MBean in process " + jvm.pid() + ": " + e
                    + "\n" + jvm.describe(), e);
        }
    }
}
