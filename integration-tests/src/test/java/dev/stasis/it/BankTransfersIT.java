package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank-transfer stress test of a multi-threaded program: sixteen tellers move money between accounts
 * under locks while the agent checkpoints every 100 ms for a minute, and the program is killed with
 * {@code kill -9} at random moments and relaunched each time. Every run's auditor (which locks all accounts)
 * finds the total intact, so does the first audit after resuming each snapshot left in the directory, and the
 * final balances, transfer count and money moved are exactly those of an uninterrupted run: no transfer was
 * lost or applied twice. The main thread returns right after starting the threads, so every resume also
 * exercises a relaunch whose main had ended. The reference runs without the agent; the run that finishes the
 * work resumes the last snapshot and takes no more checkpoints, so the test's length does not depend on how
 * long each checkpoint pauses the program.
 */
class BankTransfersIT {
    private static final Duration STRESS = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String TRANSFERS_PER_TELLER = "200000";

    @TempDir
    Path work;

    @Test
    void money_is_conserved_in_every_snapshot_and_resume_and_the_end_matches_an_uninterrupted_run() {
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.BANK_TRANSFERS, "16", TRANSFERS_PER_TELLER, "64")
                .withAgent("dir=" + snapshots + ",interval=100ms,keep=4");
        // The run that finishes the work takes no checkpoints: how far a run gets between kills depends on
        // how long each checkpoint pauses the tellers (see docs/PERFORMANCE.md), and the test's length must not.
        JvmCommand quiet = JvmCommand.of(Samples.BANK_TRANSFERS, "16", TRANSFERS_PER_TELLER, "64")
                .withAgent("dir=" + snapshots);
        List<String> reference = results(UninterruptedRuns.stdoutOf(command));
        assertThat(reference).as("the reference run's result").hasSize(1).allMatch(line -> line.contains("total=64000 expected=64000"));

        long seed = System.nanoTime();
        Random random = new Random(seed);
        long stressEnd = System.nanoTime() + STRESS.toNanos();
        int runs = 0;
        int resumes = 0;
        List<String> finalResult = null;
        while (finalResult == null && System.nanoTime() < stressEnd) {
            try (ForkedJvm jvm = ForkedJvm.start(command, work, "run-" + runs)) {
                jvm.awaitLine(line -> line.startsWith("audit "), "a first audit", START_TIMEOUT);
                ForkedJvm.sleep(Duration.ofMillis(1_000 + random.nextInt(3_000)));
                if (jvm.isAlive()) {
                    jvm.killHard();
                } else {
                    assertThat(jvm.exitCode()).as(jvm.describe()).isZero();
                    finalResult = results(jvm.stdoutLines());
                }
                String context = "run " + runs + " (seed " + seed + ")\n" + jvm.describe();
                assertThat(jvm.stdoutLines()).as(context).noneMatch(line -> line.startsWith("AUDIT BROKEN"));
                assertThat(jvm.stderr()).as(context).doesNotContain("checkpoint failed");
                if (runs > 0) {
                    assertThat(jvm.stderr()).as("every relaunch resumes\n" + context).contains("stasis: resumed from snapshot");
                    assertThat(jvm.stdoutLines()).as("a resumed run does not open the bank again\n" + context)
                            .noneMatch(line -> line.startsWith("opened "));
                    resumes++;
                }
            }
            runs++;
        }
        assertThat(resumes).as("relaunches within the minute").isGreaterThanOrEqualTo(5);

        for (String id : snapshotIds(snapshots)) {
            JvmCommand once = JvmCommand.of(Samples.BANK_TRANSFERS, "16", TRANSFERS_PER_TELLER, "64")
                    .withAgent("dir=" + snapshots + ",restore=" + id);
            try (ForkedJvm jvm = ForkedJvm.start(once, work, "snapshot-" + id)) {
                String audit = jvm.awaitLine(line -> line.startsWith("audit ") || line.startsWith("AUDIT"),
                        "the first audit after resuming snapshot " + id, START_TIMEOUT);
                assertThat(audit).as("the first audit after resuming snapshot " + id + "\n" + jvm.describe())
                        .endsWith("ok total=64000");
                jvm.killHard();
            }
        }

        if (finalResult == null) {
            try (ForkedJvm last = ForkedJvm.run(quiet, work, "last", RUN_TIMEOUT)) {
                assertThat(last.exitCode()).as(last.describe()).isZero();
                assertThat(last.stderr()).as(last.describe()).contains("stasis: resumed from snapshot");
                assertThat(last.stdoutLines()).as(last.describe()).noneMatch(line -> line.startsWith("AUDIT BROKEN"));
                finalResult = results(last.stdoutLines());
            }
        }
        assertThat(finalResult).as("after %d runs (seed %d)", runs, seed).isEqualTo(reference);
    }

    private static List<String> results(List<String> stdout) {
        return stdout.stream().filter(line -> line.startsWith("RESULT ")).collect(Collectors.toList());
    }

    private static List<String> snapshotIds(Path snapshots) {
        try (Stream<Path> files = Files.list(snapshots)) {
            List<String> ids = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("snapshot-\\d+\\.stasis"))
                    .map(name -> name.substring("snapshot-".length(), name.length() - ".stasis".length()))
                    .sorted().collect(Collectors.toList());
            assertThat(ids).as("snapshots kept in " + snapshots).isNotEmpty();
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
