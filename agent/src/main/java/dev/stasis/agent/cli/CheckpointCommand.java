package dev.stasis.agent.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code checkpoint <pid>}: asks the agent in another JVM for a checkpoint and prints its id. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Take a checkpoint of a running JVM started with -javaagent:stasis-agent.jar; prints the snapshot id.")
final class CheckpointCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<pid>", description = "process id of the JVM")
    String pid;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long to wait for the answer (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        try {
            String id = new RemoteCheckpointer(timeout).checkpoint(pid);
            spec.commandLine().getOut().println(id);
            return 0;
        } catch (RemoteCheckpointer.Failure e) {
            return failed(e.getMessage());
        } catch (NoClassDefFoundError e) {
            return failed("the Attach API (module jdk.attach) is missing from this Java: run the command with a JDK's java");
        }
    }

    private int failed(String reason) {
        spec.commandLine().getErr().println("stasis: checkpoint of " + pid + " failed: " + reason);
        return 1;
    }
}
