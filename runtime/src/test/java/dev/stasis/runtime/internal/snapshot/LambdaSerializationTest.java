package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambdas compiled with {@code Serializable} intersection casts: javac creates them through
 * {@code altMetafactory(FLAG_SERIALIZABLE)}, like the instrumenter does for application lambdas.
 * This class has a {@code $deserializeLambda$}, but the serializer never uses it.
 */
class LambdaSerializationTest {
    @TempDir
    Path dir;

    /** Holds state and makes a lambda that captures {@code this}. */
    static final class Counter {
        int base;

        Counter(int base) {
            this.base = base;
        }

        private int plusBase(int x) {
            return x + base;
        }

        IntSupplier nextAfterBase() {
            return (IntSupplier & Serializable) () -> plusBase(1);
        }
    }

    interface Marker {
    }

    static String twice(String s) {
        return s + s;
    }

    @Test
    void lambda_capturing_locals_round_trips_with_its_captured_values() throws IOException {
        int offset = 7;
        String prefix = "n=";
        Function<Integer, String> f = (Function<Integer, String> & Serializable) x -> prefix + (x + offset);

        Function<Integer, String> back = Snapshots.roundTripOne(dir, f);

        assertThat(back.apply(1)).isEqualTo("n=8");
        assertThat(back).isNotSameAs(f);
    }

    @Test
    void lambda_capturing_this_sees_the_restored_object() throws IOException {
        Counter counter = new Counter(5);
        Object[] back = Snapshots.roundTrip(dir, counter.nextAfterBase(), counter);

        Counter restoredThis = (Counter) back[1];
        restoredThis.base = 40;
        assertThat(((IntSupplier) back[0]).getAsInt()).isEqualTo(41);
    }

    @Test
    void non_capturing_lambda_round_trips() throws IOException {
        Supplier<String> s = (Supplier<String> & Serializable) () -> "constant";

        assertThat(Snapshots.roundTripOne(dir, s).get()).isEqualTo("constant");
    }

    @Test
    void static_method_reference_round_trips() throws IOException {
        Function<String, String> f = (Function<String, String> & Serializable) LambdaSerializationTest::twice;

        assertThat(Snapshots.roundTripOne(dir, f).apply("ab")).isEqualTo("abab");
    }

    @Test
    void bound_method_reference_round_trips_with_its_receiver() throws IOException {
        List<String> list = new ArrayList<>(List.of("x"));
        Supplier<Integer> size = (Supplier<Integer> & Serializable) list::size;
        Object[] back = Snapshots.roundTrip(dir, size, list);

        @SuppressWarnings("unchecked") List<String> listBack = (List<String>) back[1];
        listBack.add("y");
        @SuppressWarnings("unchecked") Supplier<Integer> sizeBack = (Supplier<Integer>) back[0];
        assertThat(sizeBack.get()).as("the captured receiver is the restored list").isEqualTo(2);
    }

    @Test
    void unbound_method_reference_round_trips() throws IOException {
        Function<String, Integer> length = (Function<String, Integer> & Serializable) String::length;
        BiFunction<String, String, Boolean> startsWith = (BiFunction<String, String, Boolean> & Serializable) String::startsWith;

        Object[] back = Snapshots.roundTrip(dir, length, startsWith);

        @SuppressWarnings("unchecked") Function<String, Integer> lengthBack = (Function<String, Integer>) back[0];
        @SuppressWarnings("unchecked") BiFunction<String, String, Boolean> startsBack = (BiFunction<String, String, Boolean>) back[1];
        assertThat(lengthBack.apply("four")).isEqualTo(4);
        assertThat(startsBack.apply("stasis", "sta")).isTrue();
    }

    @Test
    void constructor_reference_round_trips() throws IOException {
        Supplier<List<String>> make = (Supplier<List<String>> & Serializable) ArrayList::new;
        Function<String, StringBuilder> builder = (Function<String, StringBuilder> & Serializable) StringBuilder::new;

        Object[] back = Snapshots.roundTrip(dir, make, builder);

        @SuppressWarnings("unchecked") Supplier<List<String>> makeBack = (Supplier<List<String>>) back[0];
        @SuppressWarnings("unchecked") Function<String, StringBuilder> builderBack = (Function<String, StringBuilder>) back[1];
        assertThat(makeBack.get()).isInstanceOf(ArrayList.class).isEmpty();
        assertThat(builderBack.apply("sb").append('!').toString()).isEqualTo("sb!");
    }

    @Test
    void lambda_keeps_its_marker_interfaces() throws IOException {
        Runnable r = (Runnable & Marker & Serializable) () -> { };

        assertThat(Snapshots.roundTripOne(dir, r)).isInstanceOf(Marker.class).isInstanceOf(Serializable.class);
    }

    @Test
    void one_lambda_shared_by_two_holders_stays_one_object() throws IOException {
        Supplier<String> s = (Supplier<String> & Serializable) () -> "shared";
        Object[] back = Snapshots.roundTrip(dir, s, List.of(s));

        assertThat(((List<?>) back[1]).get(0)).isSameAs(back[0]);
    }

    @Test
    void lambda_comparator_of_a_tree_set_round_trips() throws IOException {
        TreeSet<String> byLength = new TreeSet<>((Comparator<String> & Serializable) (a, b) -> a.length() - b.length());
        byLength.addAll(List.of("ccc", "a", "bb"));

        TreeSet<String> back = Snapshots.roundTripOne(dir, byLength);

        back.add("dddd");
        assertThat(new ArrayList<>(back)).containsExactly("a", "bb", "ccc", "dddd");
    }

    @Test
    void jdk_lambda_built_by_comparator_comparing_round_trips_with_the_captured_key_extractor() throws IOException {
        Function<String, Integer> length = (Function<String, Integer> & Serializable) String::length;
        TreeSet<String> byLength = new TreeSet<>(Comparator.comparing(length).thenComparing(Comparator.reverseOrder()));
        byLength.addAll(List.of("bb", "a", "cc"));

        TreeSet<String> back = Snapshots.roundTripOne(dir, byLength);

        back.add("b");
        assertThat(new ArrayList<>(back)).containsExactly("b", "a", "cc", "bb");
    }

    @Test
    void lambda_of_a_class_in_another_loaders_module_is_rebuilt_through_that_loader() throws Exception {
        Path classes = dir.resolve("classes");
        Path source = dir.resolve("src/other/Maker.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package other; import java.io.Serializable; import java.util.function.Supplier;"
                + " public class Maker { private final String name = \"maker\";"
                + " public Supplier<String> make(int n) { return (Supplier<String> & Serializable) () -> name + n; } }");
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), source.toString())).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> maker = loader.loadClass("other.Maker");
            Object lambda = maker.getMethod("make", int.class).invoke(maker.getConstructor().newInstance(), 7);
            Path file = Snapshots.write(dir.resolve("s.stasis"), Snapshots.frameHolding(lambda));

            Object back = SnapshotCodec.readContent(file, loader).threads().get(0).frames().get(0).refs[0];

            assertThat(((Supplier<?>) back).get()).isEqualTo("maker7");
            assertThat(back.getClass().getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void non_serializable_lambda_fails_with_the_path_to_it() {
        Runnable plain = () -> { };

        assertThatThrownBy(() -> Snapshots.roundTrip(dir, "first", List.of(plain)))
                .isInstanceOf(UncapturableObjectException.class)
                .hasMessageStartingWith("cannot snapshot " + plain.getClass().getName()
                        + " at thread main, frame a/Main.main([Ljava/lang/String;)V @1, ref slot 1 -> ")
                .hasMessageContaining("[0]")
                .hasMessageContaining("not serializable");
    }
}
