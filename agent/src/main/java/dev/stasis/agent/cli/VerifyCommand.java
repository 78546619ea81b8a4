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

/** {@code verify <snapshot>}: everything a resume would check, without resuming. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a snapshot as a resume would, without resuming: header, manifest, every block checksum, "
                + "the trailer, the signature (a signed snapshot needs --key, as a resume needs key=), that the program's classes on the class path are the ones it was taken with, and that "
                + "the saved objects can be read (no static initialiser of the program runs).",
            "Exit code 0 and one line starting with 'ok:', or 1 and the reason (file, offset, class)."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<snapshot>", description = "a snapshot file (snapshot-<id>.stasis)")
    Path snapshot;

    @Mixin
    SnapshotOptions options;

    @Option(names = "--file-only", description = "check the file alone (header, manifest, checksums, trailer; the signature only with --key), without the program's classes")
    boolean fileOnly;

    @Override
    public Integer call() {
        try {
            Inspector inspector = Inspector.withKey(options.keyFile());
            spec.commandLine().getOut().println(fileOnly ? inspector.verifyFile(snapshot)
                    : inspector.verify(snapshot, options.classPath()));
            return 0;
        } catch (Inspector.Failure e) {
            spec.commandLine().getErr().println("stasis: verify " + snapshot + " failed: " + e.getMessage());
            return 1;
        }
    }
}
