package dev.stasis.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code java -jar stasis-agent.jar <command>}: the agent jar's tools for operators. */
@Command(name = "stasis", mixinStandardHelpOptions = true, versionProvider = StasisCli.Version.class,
        description = "Checkpoint a running JVM that has the Stasis agent, list or prune a snapshot directory, verify or inspect a snapshot, restore a CRIU image.",
        subcommands = {CheckpointCommand.class, ListCommand.class, VerifyCommand.class, InspectCommand.class, PruneCommand.class,
            RestoreCommand.class})
public final class StasisCli implements Callable<Integer> {
    /** A command line picocli could not parse, or no command at all. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new StasisCli());
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The version in the agent jar's manifest; "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StasisCli.class.getPackage().getImplementationVersion();
            return new String[] {"stasis-agent " + (version == null ? "(development build)" : version)};
        }
    }
}
