package dev.stasis.runtime.internal.snapshot.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.ReadOptions;
import dev.stasis.runtime.internal.snapshot.files.OpenFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * A JDK class the reading JVM lacks (a snapshot taken on another JDK, such as one holding virtual threads read on
 * JDK 17) is told apart from a damaged file: the file is intact and a JDK that has the class can resume it.
 */
class ManifestClassResolverTest {
    private static final String PRESENT = StringJoiner.class.getName();
    /** As long as {@link #PRESENT}, so renaming it in the bytes leaves the data well formed. */
    private static final String ABSENT = "java.util.StringJoineX";

    @Test
    void a_jdk_class_this_jvm_lacks_is_named_as_a_snapshot_of_another_jdk() {
        byte[] bytes = rename(written(new StringJoiner(", ")), PRESENT, ABSENT);
        Kryo reader = SnapshotKryoFactory.forReading(getClass().getClassLoader(), List.of(ABSENT),
                ReadOptions.DEFAULT_MAX_DEPTH, Long.MAX_VALUE, OpenFiles.LEAVE_CLOSED);

        assertThatThrownBy(() -> reader.readClassAndObject(new Input(bytes)))
                .isInstanceOf(OtherJdkException.class)
                .hasMessageStartingWith("the data needs JDK class " + ABSENT + ", which this JVM (Java "
                        + System.getProperty("java.version") + ") does not have")
                .hasMessageEndingWith("resume it on the JDK that took it");
    }

    @Test
    void a_missing_application_class_is_not_blamed_on_the_jdk() {
        String present = Holder.class.getName();
        String absent = present.substring(0, present.length() - 1) + "X";
        byte[] bytes = rename(written(new Holder()), present, absent);
        Kryo reader = SnapshotKryoFactory.forReading(getClass().getClassLoader(), List.of(absent),
                ReadOptions.DEFAULT_MAX_DEPTH, Long.MAX_VALUE, OpenFiles.LEAVE_CLOSED);

        assertThatThrownBy(() -> reader.readClassAndObject(new Input(bytes)))
                .isInstanceOf(KryoException.class)
                .isNotInstanceOf(OtherJdkException.class)
                .hasMessageContaining("Unable to find class: " + absent);
    }

    @Test
    void a_snapshot_holding_virtual_threads_read_where_there_are_none_is_said_to_need_jdk_21() {
        assertThat(ManifestClassResolver.otherJdkReason("java.lang.VirtualThread")).isEqualTo("the data needs JDK "
                + "class java.lang.VirtualThread, which this JVM (Java " + System.getProperty("java.version")
                + ") does not have: the snapshot holds virtual threads; resume it on JDK 21 or later");
    }

    static final class Holder {
        int value = 7;
    }

    private byte[] written(Object value) {
        Kryo writer = SnapshotKryoFactory.create(getClass().getClassLoader());
        Output output = new Output(256, -1);
        writer.writeClassAndObject(output, value);
        return output.toBytes();
    }

    /** The bytes with the ASCII class name {@code from} replaced by {@code to} (Kryo marks a name's last byte). */
    private static byte[] rename(byte[] bytes, String from, String to) {
        byte[] prefix = from.substring(0, from.length() - 1).getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, prefix);
        assertThat(at).as("the class name in the written bytes").isNotNegative();
        byte[] renamed = bytes.clone();
        byte[] replacement = to.substring(0, to.length() - 1).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(replacement, 0, renamed, at, replacement.length);
        renamed[at + replacement.length] = (byte) (to.charAt(to.length() - 1) | 0x80);
        return renamed;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
