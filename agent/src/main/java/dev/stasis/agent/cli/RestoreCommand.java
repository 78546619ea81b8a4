package dev.stasis.agent.cli;

import dev.stasis.runtime.internal.criu.CriuBinary;
import dev.stasis.runtime.internal.criu.CriuImages;
import dev.stasis.runtime.internal.criu.CriuRestore;
import dev.stasis.runtime.internal.criu.CriuRestoreException;
import dev.stasis.runtime.internal.criu.CriuUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code restore <dir>}: brings back the process of the newest CRIU image a run with {@code engine=criu} wrote. The
 * portable engine needs no such command: the same launch command resumes its snapshots.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore the process held by the newest complete CRIU image in a snapshot directory (written by a "
                + "run with engine=criu), or by --image ID. CRIU brings it back under its old pid, detached: it goes on "
                + "from the checkpoint, its output continuing in the files it wrote to (truncated back to where they "
                + "were at the checkpoint). Needs root, and the old process gone.",
            "Prints the image and the pid. Exit code 0; 1 when nothing was restored; 2 for a usage error."})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "snapshot directory (the agent's dir= option)")
    Path directory;

    @Option(names = "--image", paramLabel = "<id>", description = "the image to restore, e.g. criu-3 (default: the newest)")
    String image;

    @Option(names = "--criu", paramLabel = "<path>",
            description = "the CRIU executable (default: the one .ci/setup-criu set up, else criu on the PATH)")
    String criu;

    @Option(names = "--force", description = "restore even an image of a run that has since ended normally")
    boolean force;

    @Override
    public Integer call() {
        try {
            CriuBinary binary = CriuBinary.locate(criu == null ? CriuBinary.defaultLocation() : criu);
            CriuRestore.Restored restored = new CriuRestore(binary, CriuImages.openExisting(directory))
                    .restore(Optional.ofNullable(image), force);
            spec.commandLine().getOut().println("restored " + restored.imageId() + " as process " + restored.pid()
                    + " in " + restored.criuMillis() + " ms (CRIU's log: " + restored.log() + ")");
            return 0;
        } catch (CriuUnavailableException | CriuRestoreException e) {
            return failure(e.getMessage());
        } catch (IOException e) {
            return failure(e.getMessage() + "; give the directory of the agent's dir= option");
        }
    }

    private int failure(String why) {
        spec.commandLine().getErr().println("stasis: cannot restore from " + directory + ": " + why);
        return 1;
    }
}
