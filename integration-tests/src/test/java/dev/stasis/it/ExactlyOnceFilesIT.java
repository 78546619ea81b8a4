package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that reads an input file and writes its results to an output file and an appended log,
 * through buffered writers, is killed ({@code kill -9}) at random moments and relaunched each
 * time: its files end byte for byte as an uninterrupted run leaves them. What a killed run wrote
 * after its last snapshot is cut off on resume and written again, once.
 *
 * <p>{@code -Dstasis.files.seed=S} repeats a run's choices (the kills are timed, so closely, not exactly).
 */
class ExactlyOnceFilesIT {

    private static final int KILLS = 20;
    private static final int LINES = 6_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration WAIT_TIMEOUT = Duration.ofSeconds(60);
    private static final RandomKillMoment KILL_MOMENT = new RandomKillMoment(300, 1_500);
    private static final String RESUMED = RandomKillMoment.RESUMED;
    private static final String EARLIER_LOG = "a line an earlier run appended\n";
    private static final int REFUSED = 2;

    @TempDir
    Path work;

    /** Input, output and log of one run of the job, and the command that runs it. */
    private record Job(Path input, Path output, Path log, JvmCommand command) {
    }

    private Job job(String name, Path input, String agentOptions) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path log = Files.writeString(dir.resolve("report.log"), EARLIER_LOG);
        Path output = dir.resolve("report.txt");
        JvmCommand command = JvmCommand.of(Samples.LEDGER_REPORT, input.toString(), output.toString(), log.toString());
        return new Job(input, output, log, agentOptions == null ? command : command.withAgent(agentOptions));
    }

    private Path input(int lines) throws IOException {
        StringBuilder text = new StringBuilder();
        Random amounts = new Random(42);
        for (int i = 0; i < lines; i++) {
            text.append("account-").append(i % 37).append(',').append(amounts.nextInt(2_001) - 1_000).append('\n');
        }
        return Files.writeString(work.resolve("ledger-" + lines + ".csv"), text);
    }

    @Test
    void killed_at_random_moments_and_resumed_it_leaves_the_files_of_an_uninterrupted_run() throws IOException {
        long seed = Long.getLong("stasis.files.seed", System.nanoTime());
        Random random = new Random(seed);
        int intervalMillis = 50 + random.nextInt(101);
        Path input = input(LINES);
        Job reference = job("reference", input, null);
        String referenceResult;
        try (ForkedJvm run = ForkedJvm.run(reference.command(), work, "reference", RUN_TIMEOUT)) {
            assertThat(run.exitCode()).as(run.describe()).isZero();
            referenceResult = run.stdoutLines().stream().filter(line -> line.startsWith("RESULT ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no RESULT\n" + run.describe()));
        }
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        Job job = job("killed", input, "dir=" + snapshotDir + ",interval=" + intervalMillis + "ms");
        String settings = "seed " + seed + " (repeat with -Dstasis.files.seed=" + seed + "), interval " + intervalMillis + " ms";

        List<String> kills = new ArrayList<>();
        for (int i = 1; i <= KILLS; i++) {
            kills.add(killOneAttempt(job, snapshots, random, String.format("attempt-%02d", i), settings));
        }
        try (ForkedJvm last = ForkedJvm.run(job.command(), work, "final", RUN_TIMEOUT)) {
            String context = settings + "\nkills: " + kills + "\n" + last.describe();
            assertThat(last.exitCode()).as(context).isZero();
            assertThat(last.stderr()).as(context).contains(RESUMED);
            assertThat(mismatch(job.output(), reference.output())).as("the output file, byte for byte\n" + context)
                    .isEqualTo(-1);
            assertThat(mismatch(job.log(), reference.log())).as("the appended log, byte for byte\n" + context)
                    .isEqualTo(-1);
            assertThat(last.stdoutLines()).as(context).contains(referenceResult);
        }
        assertThat(snapshots.broken()).as(settings).isEmpty();
        System.out.println("exactly-once files: " + KILLS + " kills " + kills + ", files identical; " + settings);
    }

    /**
     * Launches the job and kills it: the first launch once it has a snapshot (a job that starts over
     * appends again what it appended before, with or without Stasis), later ones at a random moment
     * after they resumed, or now and then while they start and restore.
     */
    private String killOneAttempt(Job job, SnapshotDirectory snapshots, Random random, String name, String settings) {
        Optional<String> before = snapshots.newestSnapshotId();
        try (ForkedJvm jvm = ForkedJvm.start(job.command(), work, name)) {
            String when = KILL_MOMENT.await(jvm, before.isPresent(), () -> awaitSnapshotWithFilesOpen(jvm, snapshots),
                    "its first snapshot with the files open", random);
            if (!jvm.isAlive()) {
                fail("%s ended before it was killed (%s): the job is too short for %d kills; %s%n%s", name, when, KILLS,
                        settings, jvm.describe());
            }
            jvm.killHard();
            if (before.isPresent() && !jvm.stdoutLines().isEmpty()) {
                assertThat(jvm.stderr()).as("%s ran, so it resumed the newest snapshot; %s%n%s", name, settings, jvm.describe())
                        .contains(RESUMED + before.get() + " ");
            }
            return name + " " + when;
        }
    }

    @Test
    void a_changed_input_stops_the_resume_until_the_user_accepts_it() throws IOException {
        Path input = input(1_500);
        Path snapshotDir = work.resolve("snapshots");
        SnapshotDirectory snapshots = new SnapshotDirectory(snapshotDir);
        Job job = job("changed", input, "dir=" + snapshotDir + ",interval=50ms");
        try (ForkedJvm first = ForkedJvm.start(job.command(), work, "first")) {
            awaitSnapshotWithFilesOpen(first, snapshots);
            first.killHard();
        }
        Files.writeString(input, "late-account,5\n", StandardOpenOption.APPEND);
        byte[] outputBefore = Files.readAllBytes(job.output());
        List<String> snapshotsBefore = names(snapshotDir);

        try (ForkedJvm refused = ForkedJvm.run(job.command(), work, "refused", RUN_TIMEOUT)) {
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(REFUSED);
            assertThat(refused.stderr()).as(refused.describe())
                    .contains("cannot be resumed: the input file " + input + " changed since the checkpoint: size ")
                    .contains("changedInputs=accept")
                    .doesNotContain(RESUMED);
            assertThat(refused.stdoutLines()).as("the program must not run on a refused resume").isEmpty();
        }
        assertThat(Files.readAllBytes(job.output())).as("the output file is left as it was").isEqualTo(outputBefore);
        assertThat(names(snapshotDir)).as("no snapshot renamed or removed").isEqualTo(snapshotsBefore);

        JvmCommand accepting = job.command().withAgent("dir=" + snapshotDir + ",interval=50ms,changedInputs=accept");
        try (ForkedJvm accepted = ForkedJvm.run(accepting, work, "accepted", RUN_TIMEOUT)) {
            assertThat(accepted.exitCode()).as(accepted.describe()).isZero();
            assertThat(accepted.stderr()).as(accepted.describe())
                    .contains("stasis: the input file " + input + " changed since the checkpoint")
                    .contains("resuming anyway (changedInputs=accept)")
                    .contains(RESUMED);
        }
        assertThat(Files.readString(job.output())).as("the line added to the input was read after the resume")
                .endsWith(" late-account,5 balance=" + finalBalance(input) + "\n");
    }

    private static long finalBalance(Path input) throws IOException {
        long balance = 0;
        for (String line : Files.readAllLines(input)) {
            balance += Long.parseLong(line.substring(line.lastIndexOf(',') + 1));
        }
        return balance;
    }

    private static long mismatch(Path actual, Path expected) throws IOException {
        return Files.mismatch(actual, expected);
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * A snapshot taken after the job opened its files, i.e. after its first progress line: one taken
     * as {@code main} starts resumes to the code that opens them, which appends to the log again
     * what the killed run appended, as a run started over would.
     */
    private static void awaitSnapshotWithFilesOpen(ForkedJvm jvm, SnapshotDirectory snapshots) {
        jvm.await(() -> !jvm.stdoutLines().isEmpty(), "the first progress line", WAIT_TIMEOUT);
        long seen = snapshots.newestSnapshotId().map(Long::parseLong).orElse(0L);
        jvm.await(() -> snapshots.newestSnapshotId().map(Long::parseLong).orElse(0L) > seen,
                "a snapshot after the first progress line", WAIT_TIMEOUT);
    }
}
