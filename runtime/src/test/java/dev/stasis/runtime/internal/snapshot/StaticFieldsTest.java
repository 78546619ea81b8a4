package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticFieldsTest {

    static final class Statics {
        static int counter = 3;
        static long big = 1L << 40;
        static double ratio = 0.5;
        static boolean flag = true;
        static byte b = 1;
        static short s = 2;
        static char c = 'c';
        static float f = 1.5f;
        static volatile String name = "first";
        static final List<String> FINAL_LIST = new ArrayList<>(List.of("a"));
        static final int FINAL_INT = Integer.parseInt("17");
        static Object $stasis$marker = "instrumenter state";
        int instanceField = 9;
    }

    enum Phase {
        START, STOP;
        static int transitions = 4;
    }

    @Test
    void captures_every_static_field_by_name_with_boxed_primitives() {
        ClassStatics statics = StaticFields.capture(Statics.class);

        assertThat(statics.className()).isEqualTo(Statics.class.getName());
        assertThat(statics.fieldNames()).containsExactlyInAnyOrder("counter", "big", "ratio", "flag", "b", "s", "c", "f",
                "name", "FINAL_LIST", "FINAL_INT");
        assertThat(valueOf(statics, "big")).isEqualTo(1L << 40);
        assertThat(valueOf(statics, "c")).isEqualTo('c');
        assertThat(valueOf(statics, "FINAL_LIST")).isSameAs(Statics.FINAL_LIST);
    }

    @Test
    void enum_constants_and_their_values_array_are_not_captured() {
        ClassStatics statics = StaticFields.capture(Phase.class);

        assertThat(statics.fieldNames()).containsExactly("transitions");
    }

    @Test
    void restore_writes_every_field_including_static_finals() {
        List<String> newList = new ArrayList<>(List.of("restored"));
        ClassStatics saved = new ClassStatics(Statics.class.getName(),
                List.of("counter", "big", "ratio", "flag", "b", "s", "c", "f", "name", "FINAL_LIST", "FINAL_INT"),
                Arrays.asList(30, 7L, 0.25, false, (byte) -1, (short) -2, 'z', 2.5f, null, newList, 99));
        ClassStatics before = StaticFields.capture(Statics.class);
        try {
            StaticFields.restore(Statics.class, saved);

            assertThat(Statics.counter).isEqualTo(30);
            assertThat(Statics.big).isEqualTo(7L);
            assertThat(Statics.ratio).isEqualTo(0.25);
            assertThat(Statics.flag).isFalse();
            assertThat(Statics.b).isEqualTo((byte) -1);
            assertThat(Statics.s).isEqualTo((short) -2);
            assertThat(Statics.c).isEqualTo('z');
            assertThat(Statics.f).isEqualTo(2.5f);
            assertThat(Statics.name).isNull();
            assertThat(Statics.FINAL_LIST).isSameAs(newList);
            assertThat(valueOf(StaticFields.capture(Statics.class), "FINAL_INT")).isEqualTo(99);
        } finally {
            StaticFields.restore(Statics.class, before);
        }
        assertThat(Statics.counter).isEqualTo(3);
    }

    @Test
    void capture_then_restore_round_trips() {
        ClassStatics before = StaticFields.capture(Statics.class);
        Statics.counter = 1000;
        Statics.name = "changed";

        StaticFields.restore(Statics.class, before);

        assertThat(Statics.counter).isEqualTo(3);
        assertThat(Statics.name).isEqualTo("first");
    }

    @Test
    void a_field_the_class_no_longer_has_is_an_error_naming_class_and_field() {
        ClassStatics saved = new ClassStatics(Statics.class.getName(), List.of("removed"), List.of(1));

        assertThatThrownBy(() -> StaticFields.restore(Statics.class, saved))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("class " + Statics.class.getName() + " has no static field 'removed' that the snapshot recorded:"
                        + " the class changed since the snapshot was taken");
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_before_anything_is_written_to_that_field() {
        ClassStatics saved = new ClassStatics(Statics.class.getName(), List.of("counter"), List.of("not an int"));

        assertThatThrownBy(() -> StaticFields.restore(Statics.class, saved))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static field " + Statics.class.getName() + ".counter of type int cannot hold");
        assertThat(Statics.counter).isEqualTo(3);
    }

    @Test
    void the_instrumenters_marker_fields_are_left_alone() {
        ClassStatics saved = new ClassStatics(Statics.class.getName(), List.of("$stasis$marker"), List.of("x"));

        assertThatThrownBy(() -> StaticFields.restore(Statics.class, saved)).isInstanceOf(IllegalStateException.class);
        assertThat(Statics.$stasis$marker).isEqualTo("instrumenter state");
    }

    private static Object valueOf(ClassStatics statics, String field) {
        return statics.values().get(statics.fieldNames().indexOf(field));
    }
}
