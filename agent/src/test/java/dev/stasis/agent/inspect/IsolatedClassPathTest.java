package dev.stasis.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.agent.inspect.fixtures.Canary;
import dev.stasis.agent.inspect.fixtures.Fruit;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IsolatedClassPathTest {
    private IsolatedClassPath classPath;

    static String testClasses() throws Exception {
        return Path.of(Canary.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @BeforeEach
    void open() throws Exception {
        System.clearProperty(Canary.PROPERTY);
        System.clearProperty(Fruit.PROPERTY);
        classPath = IsolatedClassPath.of(testClasses());
    }

    @AfterEach
    void close() throws Exception {
        classPath.close();
    }

    @Test
    void initialising_a_class_runs_none_of_its_static_initialiser() throws Exception {
        Class<?> canary = Class.forName(Canary.class.getName(), true, classPath.loader());

        assertThat(canary).isNotSameAs(Canary.class);
        assertThat(System.getProperty(Canary.PROPERTY)).as("the initialiser's trace").isNull();
        Field seen = canary.getDeclaredField("seen");
        seen.setAccessible(true);
        assertThat(seen.get(null)).as("a static set by the initialiser").isNull();
        assertThat(canary.getField("ANSWER").get(null)).as("a compile-time constant").isEqualTo(42);
    }

    @Test
    void an_enum_gets_its_constants_by_name_and_ordinal_and_nothing_else_of_its_initialiser() throws Exception {
        Class<?> fruit = Class.forName(Fruit.class.getName(), true, classPath.loader());

        Object[] constants = fruit.getEnumConstants();
        assertThat(Arrays.stream(constants).map(c -> ((Enum<?>) c).name())).containsExactly("APPLE", "BANANA", "CHERRY");
        assertThat(Arrays.stream(constants).map(c -> ((Enum<?>) c).ordinal())).containsExactly(0, 1, 2);
        assertThat(constants[1].getClass().getSuperclass()).as("the constant with a body").isSameAs(fruit);
        assertThat(constants[0].getClass()).isSameAs(fruit);
        assertThat(System.getProperty(Fruit.PROPERTY)).as("the initialiser's trace").isNull();
        Field colour = fruit.getDeclaredField("colour");
        colour.setAccessible(true);
        assertThat(colour.get(constants[0])).as("constructor arguments are not evaluated").isNull();
    }

    @Test
    void jdk_classes_are_the_jdks_own() throws Exception {
        assertThat(Class.forName("java.util.ArrayList", false, classPath.loader())).isSameAs(ArrayList.class);
    }

    @Test
    void stasis_itself_is_not_visible_to_the_program() {
        assertThatThrownBy(() -> Class.forName(IsolatedClassPath.class.getName(), false, classPath.loader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void a_class_that_is_not_on_the_class_path_is_not_found(@TempDir Path empty) throws Exception {
        try (IsolatedClassPath none = IsolatedClassPath.of(empty.toString())) {
            assertThatThrownBy(() -> Class.forName(Canary.class.getName(), false, none.loader()))
                    .isInstanceOf(ClassNotFoundException.class)
                    .hasMessage(Canary.class.getName() + " is not on the class path");
            assertThat(none.bytesOf("dev/stasis/agent/inspect/fixtures/Canary")).isNull();
        }
    }

    @Test
    void a_missing_entry_is_refused_by_name(@TempDir Path dir) {
        String missing = dir.resolve("gone.jar").toString();

        assertThatThrownBy(() -> IsolatedClassPath.of(dir + java.io.File.pathSeparator + missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class path entry " + missing + " does not exist");
    }
}
