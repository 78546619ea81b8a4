package dev.stasis.runtime.internal.snapshot.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Runs a property over generated damage with QuickTheories. The seed is random per run; a failure
 * prints it ("Seed was ..."), and {@code -DQT_SEED=<seed>} replays that run.
 */
final class DamageProperty {
    /** Each example reads files of up to a few MiB, so shrinking is kept short. */
    private static final int SHRINK_CYCLES = 40;

    private DamageProperty() {
    }

    /**
     * Checks {@code property} on {@code examples} generated damaged files. QuickTheories skips an
     * example whose random draws repeat an earlier one's (its draws lean towards the ends of each
     * range), so fewer distinct files may be checked; the count is asserted so that a generator
     * that collapses to a handful of values is noticed, and printed.
     */
    static void forAll(int examples, Gen<Damage> damage, Consumer<Damage> property) {
        forAll(examples, examples * 2 / 3, damage, property);
    }

    /**
     * As {@link #forAll(int, Gen, Consumer)}, for damage drawn from a small space, where repeats are
     * common and the number of distinct files varies from run to run: at least {@code minDistinct}.
     */
    static void forAll(int examples, int minDistinct, Gen<Damage> damage, Consumer<Damage> property) {
        AtomicInteger checked = new AtomicInteger();
        qt().withExamples(examples).withShrinkCycles(SHRINK_CYCLES).withGenerateAttempts(1_000)
                .forAll(damage.assuming(d -> !d.changesNothing()).describedAs(Damage::toString))
                .checkAssert(d -> {
                    property.accept(d);
                    checked.incrementAndGet();
                });
        System.out.println(StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow().getMethodName())
                + ": " + checked + " distinct damaged files refused (" + examples + " examples)");
        assertThat(checked.get()).as("distinct examples checked of %d", examples).isGreaterThanOrEqualTo(minDistinct);
    }

    /**
     * Any base, the small ones more often: they take microseconds to read, the multi-MiB ones
     * milliseconds, and both kinds come up in every run.
     */
    static Gen<BaseSnapshot> anyBase() {
        return Generate.frequency(
                Pair.of(3, Generate.pick(BaseSnapshots.small())),
                Pair.of(1, Generate.pick(BaseSnapshots.all())));
    }

    /** Bases with at least two data blocks, for damage that moves whole blocks. */
    static Gen<BaseSnapshot> multiBlockBase() {
        return Generate.pick(BaseSnapshots.withSeveralBlocks());
    }
}
