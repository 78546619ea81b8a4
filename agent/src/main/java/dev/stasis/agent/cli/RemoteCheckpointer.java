package dev.stasis.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.stasis.agent.Durations;
import dev.stasis.agent.jmx.Checkpointer;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reaches the agent in another JVM the way JConsole does: attach, start that JVM's local-only
 * management agent, connect to its address and invoke {@code checkpoint} on the Stasis MBean.
 */
final class RemoteCheckpointer {
    /** Why a remote checkpoint did not happen, worded for the person at the terminal. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private final Duration timeout;

    RemoteCheckpointer(Duration timeout) {
        this.timeout = timeout;
    }

    String checkpoint(String pid) throws Failure {
        long id = processId(pid);
        if (ProcessHandle.of(id).isEmpty()) {
            throw new Failure("no such process");
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stasis-cli-attach");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<String> answer = worker.submit(() -> attachAndCheckpoint(pid));
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Failure("no answer within " + Durations.format(timeout)
                    + "; the checkpoint may still complete in the process (see its stderr), or retry with a longer --timeout");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failure) {
                throw (Failure) e.getCause();
            }
            throw new Failure(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        } finally {
            worker.shutdownNow();
        }
    }

    private static long processId(String pid) throws Failure {
        try {
            long id = Long.parseLong(pid);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with what a pid looks like
        }
        throw new Failure("'" + pid + "' is not a process id (a positive number, as shown by jps or ps)");
    }

    private static String attachAndCheckpoint(String pid) throws Failure {
        VirtualMachine vm = attach(pid);
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                if (!server.isRegistered(Checkpointer.NAME)) {
                    throw new Failure("process " + pid + " has no Stasis agent: start it with -javaagent:stasis-agent.jar");
                }
                return (String) server.invoke(Checkpointer.NAME, "checkpoint", new Object[0], new String[0]);
            }
        } catch (JMException e) {
            throw new Failure(rootMessage(e));
        } catch (RuntimeException e) {
            // The agent's own refusal arrives as its IllegalStateException, wrapped by JMX.
            throw new Failure(rootMessage(e));
        } catch (IOException e) {
            throw new Failure("cannot talk to the management agent of process " + pid + ": " + rootMessage(e));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // The process may have exited meanwhile; nothing is left to release.
            }
        }
    }

    private static VirtualMachine attach(String pid) throws Failure {
        try {
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            throw new Failure("cannot attach to it (" + rootMessage(e)
                    + "); it must be a JVM run by the same user, without -XX:+DisableAttachMechanism");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
