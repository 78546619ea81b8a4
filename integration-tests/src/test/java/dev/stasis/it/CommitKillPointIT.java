package dev.stasis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample job under the real agent, checkpointing every 100 ms, stops dead (the test hook
 * {@code stasis.test.haltAt}: {@code Runtime.halt}, as abrupt as {@code kill -9}) at a named
 * instant of one commit: a different checkpoint and, mid-write, a different byte for every seed.
 * The same command started again resumes the newest complete snapshot (the one being committed,
 * once it has its name; else the one before), leaves no temp file, and prints the uninterrupted
 * run's output.
 */
class CommitKillPointIT {

    private static final List<String> POINTS = List.of("before-temp-write", "mid-write", "after-file-fsync",
            "after-rename", "after-directory-fsync");
    private static final int SEEDS_PER_POINT = Integer.getInteger("stasis.it.killPointSeeds", 4);
    private static final long BASE_SEED = Long.getLong("stasis.it.seed", System.nanoTime());
    /** Under a second of work under the agent: time for a few checkpoints 100 ms apart, and a short resume. */
    private static final String STEPS = "800000";
    private static final int HALTED = 137;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern HALT_LINE = Pattern.compile(
            "^stasis: test hook stasis\\.test\\.haltAt: halting at (\\S+) of snapshot (\\d+) .*$", Pattern.MULTILINE);
    private static final Pattern MID_WRITE = Pattern.compile("after (\\d+) of (\\d+) bytes");

    @TempDir
    Path work;

    static Stream<Arguments> pointsAndSeeds() {
        return POINTS.stream().flatMap(point -> IntStream.range(0, SEEDS_PER_POINT)
                .mapToObj(i -> Arguments.of(point, BASE_SEED + POINTS.indexOf(point) * 1000L + i)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("pointsAndSeeds")
    void a_halt_at_a_commit_point_resumes_the_newest_complete_snapshot_with_the_uninterrupted_output(String point, long seed) {
        Random random = new Random(seed);
        int checkpoint = 1 + random.nextInt(3);
        String plan = point + ":" + checkpoint + (point.equals("mid-write") ? ":" + (1 + random.nextInt(99)) + "%" : "");
        Path snapshots = work.resolve("snapshots");
        JvmCommand command = JvmCommand.of(Samples.JOB, "--steps", STEPS).withAgent("dir=" + snapshots + ",interval=100ms");
        List<String> reference = UninterruptedRuns.stdoutOf(command);
        String context = "stasis.test.haltAt=" + plan + " (seed " + seed + ", rerun with -Dstasis.it.seed)";

        long haltedId;
        try (ForkedJvm halted = ForkedJvm.run(command.withJvmOptions("-Dstasis.test.haltAt=" + plan), work, "halted",
                RUN_TIMEOUT)) {
            String haltContext = context + "\n" + halted.describe();
            assertThat(halted.exitCode()).as("the JVM halted at the kill point\n" + haltContext).isEqualTo(HALTED);
            Matcher line = HALT_LINE.matcher(halted.stderr());
            assertThat(line.find()).as("the hook's last words\n" + haltContext).isTrue();
            assertThat(line.group(1)).isEqualTo(point);
            haltedId = Long.parseLong(line.group(2));
            assertThat(haltedId).as("ids count the commits of a fresh directory\n" + haltContext).isEqualTo(checkpoint);
            assertLeftAsTheKillPointLeavesIt(snapshots, point, haltedId, halted.pid(), line.group(), haltContext);
        }

        boolean committed = point.equals("after-rename") || point.equals("after-directory-fsync");
        long expected = committed ? haltedId : haltedId - 1;
        // Relaunched without the interval: the resume is what is tested, and 100 ms checkpoints would only slow it.
        JvmCommand relaunch = command.withAgent("dir=" + snapshots);
        try (ForkedJvm resumed = ForkedJvm.run(relaunch, work, "resumed", RUN_TIMEOUT)) {
            String resumeContext = context + "\n" + resumed.describe();
            assertThat(resumed.exitCode()).as(resumeContext).isZero();
            if (expected == 0) {
                assertThat(resumed.stderr()).as("nothing was committed: a fresh start\n" + resumeContext)
                        .doesNotContain("resumed from snapshot");
                assertThat(resumed.stdoutLines()).as(resumeContext).isEqualTo(reference);
            } else {
                assertThat(resumed.stderr()).as(resumeContext).contains("stasis: resumed from snapshot " + String.format("%06d", expected) + " ");
                KillAndResumeIT.assertContinuesReference(resumed.stdoutLines(), reference, resumeContext);
            }
            assertThat(SampleOutput.resultOf(resumed)).as(resumeContext).isEqualTo(UninterruptedRuns.resultOf(command));
            assertThat(namesIn(snapshots)).as("the halted run's temp file is swept\n" + resumeContext)
                    .noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    /** What the halted JVM left: the proof that it stopped where it was told to. */
    private static void assertLeftAsTheKillPointLeavesIt(Path snapshots, String point, long id, long pid, String haltLine,
                                                         String context) {
        Path temp = snapshots.resolve(String.format(".snapshot-%06d.stasis.%d.tmp", id, pid));
        Path committed = snapshots.resolve(String.format("snapshot-%06d.stasis", id));
        String listing = "\nsnapshot directory: " + namesIn(snapshots) + "\n" + context;
        switch (point) {
            case "before-temp-write" -> {
                assertThat(temp).as(listing).doesNotExist();
                assertThat(committed).as(listing).doesNotExist();
            }
            case "mid-write" -> {
                Matcher cut = MID_WRITE.matcher(haltLine);
                assertThat(cut.find()).as(listing).isTrue();
                assertThat(temp).as(listing).exists();
                assertThat(sizeOf(temp)).as("bytes written before the halt" + listing)
                        .isEqualTo(Long.parseLong(cut.group(1))).isLessThan(Long.parseLong(cut.group(2)));
                assertThat(committed).as(listing).doesNotExist();
            }
            case "after-file-fsync" -> {
                assertThat(temp).as(listing).exists();
                assertThat(sizeOf(temp)).as(listing).isPositive();
                assertThat(committed).as(listing).doesNotExist();
            }
            default -> {
                assertThat(temp).as(listing).doesNotExist();
                assertThat(committed).as(listing).exists();
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> namesIn(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
