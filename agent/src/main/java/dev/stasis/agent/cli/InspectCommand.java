package dev.stasis.agent.cli;

import dev.stasis.agent.inspect.Inspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code inspect <snapshot>}: what a snapshot holds, like a debugger's view of the stopped program. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show what a snapshot holds: its manifest, every captured thread as a stack trace with the "
                + "local variables of each frame, the static fields, and the objects and bytes by class. "
                + "Values are summarised without running the program's code. A signed snapshot is read without "
                + "checking its signature unless --key is given.",
            "Exit code 0; 1 when the file is damaged or the saved objects cannot be read (the manifest is still shown)."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<snapshot>", description = "a snapshot file (snapshot-<id>.stasis)")
    Path snapshot;

    @Mixin
    SnapshotOptions options;

    @Option(names = "--json", description = "print the same as JSON, for tools")
    boolean json;

    @Option(names = "--top", paramLabel = "<n>", defaultValue = "20",
            description = "classes the histogram lists, largest first; 0 for all (default: ${DEFAULT-VALUE}; --json lists all)")
    int top;

    @Override
    public Integer call() {
        try {
            Inspector.Report report = Inspector.withKey(options.keyFile()).inspect(snapshot, options.classPath(), json, top);
            spec.commandLine().getOut().print(report.output());
            if (!report.complete()) {
                spec.commandLine().getErr().println("stasis: inspect " + snapshot + ": the saved objects cannot be read: "
                        + report.problem());
                return 1;
            }
            return 0;
        } catch (Inspector.Failure e) {
            spec.commandLine().getErr().println("stasis: inspect " + snapshot + " failed: " + e.getMessage());
            return 1;
        }
    }
}
