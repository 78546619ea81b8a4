package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.internal.snapshot.SnapshotFormatException.Kind;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Snapshots forged to attack the reader: classes it must not touch, lengths and depths meant to
 * exhaust it. Each is refused with its reason, and a canary class whose initialiser sets a flag is
 * never even loaded. The files are intact (checksums, signature) unless a test damages them: what
 * is refused is what they say.
 */
class HostileSnapshotTest {
    private static final String PIGEON = "dev.stasis.runtime.internal.snapshot.Pigeon";
    private static final String CANARY = "dev.stasis.runtime.internal.snapshot.Canary";
    private static final String PARROT = "dev.stasis.runtime.internal.snapshot.Parrot";
    private static final SnapshotKey KEY = SnapshotKey.of("0123456789abcdef0123456789abcdef".getBytes(), "test key A");
    private static final SnapshotKey OTHER_KEY = SnapshotKey.of("fedcba9876543210fedcba9876543210".getBytes(), "test key B");

    @TempDir
    Path dir;

    /** Records every class a reader asks it for, then asks its parent. */
    static final class RecordingLoader extends ClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingLoader() {
            super(HostileSnapshotTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".stasis");
    }

    private static ForgedSnapshots.Payload pigeonRenamedTo(String name) {
        return ForgedSnapshots.payloadOf(Snapshots.frameHolding(new Pigeon(7))).renamingClass(PIGEON, name);
    }

    private static List<String> without(List<String> names, String name) {
        List<String> rest = new ArrayList<>(names);
        assertThat(rest.remove(name)).as("%s was in the class list", name).isTrue();
        return rest;
    }

    /** The reason after "snapshot F is unusable at byte offset N: refused at data byte M: ". */
    private static void assertRefused(Throwable e, Path file, String reason) {
        assertThat(e).isInstanceOf(SnapshotFormatException.class);
        assertThat(((SnapshotFormatException) e).kind()).isEqualTo(Kind.REFUSED);
        assertThat(e.getMessage()).matches(Pattern.quote("snapshot " + file + " is unusable at byte offset ")
                + "\\d+: refused at data byte \\d+: " + Pattern.quote(reason));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRead(Path file, ClassLoader loader, ReadOptions options) {
        return assertThatThrownBy(() -> SnapshotCodec.readContent(file, loader, options));
    }

    @Test
    void a_class_the_data_names_but_the_class_list_does_not_is_refused_before_it_is_loaded() throws Exception {
        ForgedSnapshots.Payload forged = pigeonRenamedTo(CANARY);
        Path file = ForgedSnapshots.write(file("unlisted"), forged.withClassNames(without(forged.classNames(), CANARY)),
                WriteOptions.defaults());
        RecordingLoader loader = new RecordingLoader();

        assertRead(file, loader, ReadOptions.defaults()).satisfies(e -> assertRefused(e, file, "the data names class " + CANARY
                + ", which the snapshot's class list does not have: refused before loading it (the data was altered, or"
                + " written by something other than Stasis)"));
        assertThat(loader.requested).doesNotContain(CANARY);
        assertThat(System.getProperty(Canary.INITIALISED)).as("the canary's initialiser never ran").isNull();
    }

    @Test
    void a_listed_class_in_a_file_whose_checksum_fails_is_never_loaded() throws Exception {
        Path file = ForgedSnapshots.write(file("damaged"), pigeonRenamedTo(CANARY), WriteOptions.defaults());
        byte[] bytes = Files.readAllBytes(file);
        int firstBlock = 20 + ByteBuffer.wrap(bytes, 16, 4).getInt() + 4;
        bytes[firstBlock + 9 + 1] ^= 0x01;
        Files.write(file, bytes);
        RecordingLoader loader = new RecordingLoader();

        assertRead(file, loader, ReadOptions.defaults())
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageStartingWith("snapshot " + file + " is unusable at byte offset " + firstBlock
                        + ": CRC32C mismatch in data block #0 at offsets " + firstBlock + "..")
                .satisfies(e -> assertThat(((SnapshotFormatException) e).kind()).isEqualTo(Kind.DAMAGED));
        assertThat(loader.requested).isEmpty();
        assertThat(System.getProperty(Canary.INITIALISED)).isNull();
    }

    @Test
    void a_listed_class_in_a_file_signed_with_another_key_is_never_loaded() throws Exception {
        Path file = ForgedSnapshots.write(file("forged"), pigeonRenamedTo(CANARY), WriteOptions.defaults().withKey(OTHER_KEY));
        RecordingLoader loader = new RecordingLoader();

        assertRead(file, loader, ReadOptions.defaults().withKey(KEY))
                .isInstanceOf(SnapshotFormatException.class)
                .hasMessageEndingWith(": HMAC-SHA256 mismatch: it was not written with the key in test key A, or it was"
                        + " altered after it was written; refused before any object was read")
                .satisfies(e -> assertThat(((SnapshotFormatException) e).kind()).isEqualTo(Kind.NOT_AUTHENTIC));
        assertThat(loader.requested).isEmpty();
        assertThat(System.getProperty(Canary.INITIALISED)).isNull();
    }

    @Test
    void the_same_forgery_in_an_intact_file_listing_the_class_reaches_its_initialiser() throws Exception {
        Path file = ForgedSnapshots.write(file("control"), pigeonRenamedTo(PARROT), WriteOptions.defaults().withKey(KEY));
        RecordingLoader loader = new RecordingLoader();

        Object back = SnapshotCodec.readContent(file, loader, ReadOptions.defaults().withKey(KEY))
                .threads().get(0).frames().get(0).refs[0];

        assertThat(back.getClass().getName()).isEqualTo(PARROT);
        assertThat(back).extracting("value").isEqualTo(7);
        assertThat(loader.requested).contains(PARROT);
        assertThat(System.getProperty(Parrot.INITIALISED)).as("what the canary tests prove did not happen").isEqualTo("true");
    }

    @Test
    void static_fields_of_a_class_outside_the_class_list_are_refused() throws Exception {
        SnapshotContent statics = new SnapshotContent(List.of(new ClassStatics(PIGEON, List.of("value"), List.of(1))), List.of());
        ForgedSnapshots.Payload forged = ForgedSnapshots.payloadOf(statics).renamingClass(PIGEON, CANARY);
        Path file = ForgedSnapshots.write(file("statics"), forged.withClassNames(without(forged.classNames(), CANARY)),
                WriteOptions.defaults());

        assertRead(file, new RecordingLoader(), ReadOptions.defaults()).satisfies(e -> assertRefused(e, file,
                "the data holds the static fields of class " + CANARY + ", which the snapshot's class list does not have:"
                        + " refused before loading it (the data was altered, or written by something other than Stasis)"));
    }

    @Test
    void a_lambda_naming_a_class_outside_the_class_list_is_refused_before_it_is_rebuilt() throws Exception {
        IntSupplier lambda = (IntSupplier & Serializable) () -> 42;
        String capturing = HostileSnapshotTest.class.getName();
        ForgedSnapshots.Payload payload = ForgedSnapshots.payloadOf(Snapshots.frameHolding(lambda));
        Path file = ForgedSnapshots.write(file("lambda"), payload.withClassNames(without(payload.classNames(), capturing)),
                WriteOptions.defaults());

        assertThat(((IntSupplier) Snapshots.roundTripOne(dir, lambda)).getAsInt()).as("listed, it is rebuilt").isEqualTo(42);
        assertRead(file, new RecordingLoader(), ReadOptions.defaults()).satisfies(e -> assertRefused(e, file,
                "a lambda in the data names class " + capturing + ", which the snapshot's class list does not have:"
                        + " refused before loading it (the data was altered, or written by something other than Stasis)"));
    }

    @Test
    void a_graph_nested_deeper_than_the_bound_is_refused_when_read() throws Exception {
        Path file = Snapshots.write(file("deep"), Snapshots.frameHolding(nested(60)));

        assertRead(file, getClass().getClassLoader(), ReadOptions.defaults().withMaxDepth(50)).satisfies(e -> assertRefused(e,
                file, "the object graph nests deeper than 50 levels, the most a snapshot holds (a writer refuses such a graph)"));
        assertThat(SnapshotCodec.readContent(file, getClass().getClassLoader(), ReadOptions.defaults().withMaxDepth(70)))
                .as("the same file within a larger bound").isNotNull();
    }

    @Test
    void a_writer_refuses_a_graph_its_readers_would_refuse_naming_the_path() throws IOException {
        try (var out = Files.newOutputStream(file("too-deep"))) {
            assertThatThrownBy(() -> SnapshotCodec.write(out, Snapshots.manifest(), Snapshots.frameHolding(nested(60)),
                    WriteOptions.defaults().withMaxDepth(50)))
                    .isInstanceOf(UncapturableObjectException.class)
                    .hasMessageStartingWith("cannot snapshot [Ljava.lang.Object; at thread main, frame a/Main.main([Ljava/lang/String;)V @1,"
                            + " ref slot 0 -> java.lang.Object[0] -> java.lang.Object[0] -> ")
                    .hasMessageContaining(" -> ... (23 more) -> ")
                    .hasMessageEndingWith(" (the object graph nests deeper than 50 levels, the most a snapshot holds: break the"
                            + " chain (e.g. keep a long linked structure in a list))");
        }
    }

    @Test
    void more_values_than_the_bound_are_refused() throws Exception {
        Path file = Snapshots.write(file("many"), Snapshots.frameHolding(new ArrayList<>(List.of("a", "b", "c", "d", "e", "f"))));

        assertRead(file, getClass().getClassLoader(), ReadOptions.defaults().withMaxObjects(5))
                .satisfies(e -> assertRefused(e, file, "the object graph holds more than 5 values"));
    }

    static Stream<Arguments> hugeLengths() {
        return Stream.of(
                Arguments.of("byte[]", (IntFunction<Object>) byte[]::new, false, "a byte array"),
                Arguments.of("long[]", (IntFunction<Object>) long[]::new, false, "a long array"),
                Arguments.of("boolean[]", (IntFunction<Object>) boolean[]::new, false, "an array of boolean"),
                Arguments.of("Object[]", (IntFunction<Object>) Object[]::new, false, "an array of java.lang.Object"),
                Arguments.of("String[]", (IntFunction<Object>) String[]::new, false, "an array of java.lang.String"),
                Arguments.of("String", (IntFunction<Object>) "\u00e9"::repeat, true, "a string"),
                Arguments.of("ArrayList", (IntFunction<Object>) n -> new ArrayList<>(Arrays.asList(new Object[n])), true,
                        "a java.util.ArrayList"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeLengths")
    void a_length_claiming_more_elements_than_the_data_could_hold_is_refused_before_allocating(
            String type, IntFunction<Object> holding, boolean flagged, String what) throws Exception {
        Path file = ForgedSnapshots.write(file("huge"), ForgedSnapshots.claimingLength(holding, Integer.MAX_VALUE - 1, flagged),
                WriteOptions.defaults());

        assertRead(file, getClass().getClassLoader(), ReadOptions.defaults()).satisfies(e -> {
            assertThat(e).isInstanceOf(SnapshotFormatException.class);
            assertThat(((SnapshotFormatException) e).kind()).isEqualTo(Kind.REFUSED);
            assertThat(e.getMessage()).matches(Pattern.quote("snapshot " + file + " is unusable at byte offset ")
                    + "\\d+: refused at data byte \\d+: " + Pattern.quote(what + " claims 2147483646 elements, more than the ")
                    + "\\d+ bytes of data left could hold");
        });
    }

    private static Object[] nested(int depth) {
        Object[] outer = new Object[1];
        Object[] inner = outer;
        for (int i = 1; i < depth; i++) {
            Object[] next = new Object[1];
            inner[0] = next;
            inner = next;
        }
        return outer;
    }
}
