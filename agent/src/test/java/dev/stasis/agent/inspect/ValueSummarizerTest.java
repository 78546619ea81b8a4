package dev.stasis.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ValueSummarizerTest {
    private final ValueSummarizer values = new ValueSummarizer();

    @Test
    void shows_strings_quoted_escaped_and_truncated() {
        String longText = "x".repeat(100);

        assertThat(ValueText.of(values.of("a\"b\n"))).isEqualTo("\"a\\\"b\\n\"");
        assertThat(ValueText.of(values.of(longText))).isEqualTo("\"" + "x".repeat(80) + "\"... (100 chars)");
    }

    @Test
    void shows_arrays_with_their_length_and_first_elements() {
        String ints = ValueText.of(values.of(new int[] {1, 2, 3, 4, 5, 6}));
        String nested = ValueText.of(values.of(new long[][] {{1}, null}));
        String chars = ValueText.of(values.of(new char[] {'a', '\''}));

        assertThat(ints).matches("int\\[6\\]#\\d+ \\{1, 2, 3, 4, 5, \\.\\.\\.\\}");
        assertThat(nested).matches("long\\[2\\]\\[\\]#\\d+ \\{long\\[1\\]#\\d+ \\{\\.\\.\\.\\}, null\\}");
        assertThat(chars).matches("char\\[2\\]#\\d+ \\{'a', '\\\\''\\}");
    }

    @Test
    void the_same_object_keeps_its_id() {
        Object shared = new Object();

        assertThat(values.of(shared).id()).isEqualTo(values.of(shared).id()).isNotEqualTo(values.of(new Object()).id());
    }

    @Test
    void shows_the_size_of_jdk_collections_but_never_asks_the_programs_own() {
        List<String> programs = new AbstractList<>() {
            @Override
            public String get(int index) {
                throw new AssertionError("the program's code ran");
            }

            @Override
            public int size() {
                throw new AssertionError("the program's code ran");
            }
        };

        assertThat(ValueText.of(values.of(new ArrayList<>(List.of(1, 2))))).matches("java.util.ArrayList#\\d+ \\(size 2\\)");
        assertThat(ValueText.of(values.of(programs))).matches("dev.stasis.agent.inspect.ValueSummarizerTest\\$1#\\d+");
        assertThat(ValueText.of(values.of(Collections.unmodifiableList(programs))))
                .as("a JDK wrapper would ask the wrapped list").matches("java.util.Collections\\$Unmodifiable\\w*List#\\d+");
    }

    @Test
    void shows_boxes_enums_classes_and_lambdas_by_what_they_are() {
        Runnable lambda = () -> { };

        assertThat(ValueText.of(values.of(7L))).isEqualTo("(Long) 7");
        assertThat(ValueText.of(values.of('c'))).isEqualTo("(Character) 'c'");
        assertThat(ValueText.of(values.of(TimeUnit.SECONDS))).isEqualTo("java.util.concurrent.TimeUnit.SECONDS");
        assertThat(ValueText.of(values.of(String.class))).isEqualTo("class java.lang.String");
        assertThat(ValueText.of(values.of(lambda))).matches("lambda dev.stasis.agent.inspect.ValueSummarizerTest\\$\\$Lambda[^/]*#\\d+");
        assertThat(ValueText.of(ValueSummarizer.ofInt("boolean", 1))).isEqualTo("true");
        assertThat(ValueText.of(ValueSummarizer.ofInt("char", '\n'))).isEqualTo("'\\n'");
        assertThat(ValueText.of(ValueSummarizer.ofInt("byte", 200))).isEqualTo("-56");
    }
}
