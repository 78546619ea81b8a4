package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading one snapshot twice stands for two resumes of it: a SecureRandom the JDK seeds itself
 * (the default NativePRNG on Linux, DRBG) must give each resume its own bytes; a SHA1PRNG seeded
 * by the program keeps its sequence, as {@code java.util.Random} does.
 */
class SecureRandomSnapshotTest {
    @TempDir
    Path dir;

    private Path written(Object value) throws IOException {
        return Snapshots.write(dir.resolve("s.stasis"), Snapshots.frameHolding(value));
    }

    private static SecureRandom resume(Path snapshot) throws IOException {
        return (SecureRandom) Snapshots.read(snapshot).threads().get(0).frames().get(0).refs[0];
    }

    private static byte[] bytes(SecureRandom random) {
        byte[] out = new byte[32];
        random.nextBytes(out);
        return out;
    }

    @Test
    void the_jdk_default_is_native_prng_and_two_resumes_of_it_differ() throws IOException {
        SecureRandom original = new SecureRandom();
        original.nextBytes(new byte[8]);
        Path snapshot = written(original);

        SecureRandom first = resume(snapshot);
        SecureRandom second = resume(snapshot);

        assertThat(original.getAlgorithm()).isEqualTo("NativePRNG"); // Linux, JDK 17 and 25
        assertThat(first.getAlgorithm()).isEqualTo("NativePRNG");
        assertThat(first.getProvider().getName()).isEqualTo(original.getProvider().getName());
        assertThat(bytes(first)).isNotEqualTo(bytes(second));
    }

    @Test
    void drbg_keeps_its_parameters_and_two_resumes_of_it_differ() throws Exception {
        SecureRandom original = SecureRandom.getInstance("DRBG",
                DrbgParameters.instantiation(256, DrbgParameters.Capability.PR_AND_RESEED, "stasis".getBytes()));
        original.nextBytes(new byte[8]);
        Path snapshot = written(original);

        SecureRandom first = resume(snapshot);
        SecureRandom second = resume(snapshot);

        assertThat(first.getAlgorithm()).isEqualTo("DRBG");
        DrbgParameters.Instantiation parameters = (DrbgParameters.Instantiation) first.getParameters();
        assertThat(parameters.getStrength()).isEqualTo(256);
        assertThat(parameters.getCapability()).isEqualTo(DrbgParameters.Capability.PR_AND_RESEED);
        assertThat(parameters.getPersonalizationString()).isEqualTo("stasis".getBytes());
        assertThat(bytes(first)).isNotEqualTo(bytes(second));
    }

    @Test
    void the_default_drbg_two_resumes_differ() throws Exception {
        SecureRandom original = SecureRandom.getInstance("DRBG");
        Path snapshot = written(original);

        assertThat(bytes(resume(snapshot))).isNotEqualTo(bytes(resume(snapshot)));
    }

    @Test
    void sha1prng_seeded_before_first_use_keeps_its_sequence_in_every_resume() throws Exception {
        SecureRandom original = sha1prng(2026L);
        original.nextBytes(new byte[13]); // mid-block, so the carried-over remainder matters too
        original.nextGaussian(); // caches the second Gaussian of the pair
        Path snapshot = written(original);
        SecureRandom expected = sha1prng(2026L);
        expected.nextBytes(new byte[13]);
        expected.nextGaussian();

        SecureRandom first = resume(snapshot);
        SecureRandom second = resume(snapshot);

        double gaussian = expected.nextGaussian();
        byte[] next = bytes(expected);
        assertThat(first.nextGaussian()).isEqualTo(gaussian);
        assertThat(bytes(first)).isEqualTo(next);
        assertThat(second.nextGaussian()).isEqualTo(gaussian);
        assertThat(bytes(second)).isEqualTo(next);
        assertThat(original.nextGaussian()).as("the program's own instance goes on as before").isEqualTo(gaussian);
        assertThat(bytes(original)).isEqualTo(next);
    }

    @Test
    void an_unused_sha1prng_comes_back_unseeded_so_a_later_seed_still_decides_its_sequence() throws Exception {
        Path snapshot = written(SecureRandom.getInstance("SHA1PRNG"));

        SecureRandom back = resume(snapshot);
        back.setSeed(7L);

        assertThat(bytes(back)).isEqualTo(bytes(sha1prng(7L)));
    }

    @Test
    void java_util_random_keeps_its_sequence() throws IOException {
        Random original = new Random(99);
        original.nextInt();
        Random expected = new Random(99);
        expected.nextInt();
        Path snapshot = written(original);

        assertThat(((Random) Snapshots.read(snapshot).threads().get(0).frames().get(0).refs[0]).nextLong())
                .isEqualTo(expected.nextLong());
    }

    private static SecureRandom sha1prng(long seed) throws NoSuchAlgorithmException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        return random;
    }
}
