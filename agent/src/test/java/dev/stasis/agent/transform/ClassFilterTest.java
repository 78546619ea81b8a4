package dev.stasis.agent.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassFilterTest {
    private final ClassLoader app = new URLClassLoader(new URL[0], ClassLoader.getSystemClassLoader());
    private final ClassFilter all = new ClassFilter(List.of(), List.of());

    @Test
    void accepts_application_classes_of_any_application_loader() {
        assertThat(all.accepts(app, "com/acme/Job")).isTrue();
        assertThat(all.accepts(ClassLoader.getSystemClassLoader(), "Main")).isTrue();
    }

    @Test
    void never_touches_bootstrap_or_platform_classes() {
        assertThat(all.accepts(null, "com/acme/Job")).isFalse();
        assertThat(all.accepts(ClassLoader.getPlatformClassLoader(), "com/acme/Job")).isFalse();
    }

    @Test
    void never_touches_a_class_whose_name_is_unknown() {
        assertThat(all.accepts(app, null)).isFalse();
    }

    @Test
    void the_samples_are_application_code_although_they_live_under_dev_stasis() {
        assertThat(all.accepts(app, "dev/stasis/samples/job/SampleJob")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev/stasis/agent/StasisAgent", "dev/stasis/agent/instrument/Instrumenter", "dev/stasis/rt/Stasis",
            "dev/stasis/runtime/internal/PortableRuntime", "dev/stasis/shaded/asm/ClassReader", "java/lang/Foo",
            "javax/inject/Provider", "jdk/proxy1/$Proxy3", "sun/misc/X", "com/sun/proxy/$Proxy1",
            "reflectasm/java/util/zip/CRC32CConstructorAccess"})
    void never_touches_stasis_or_jdk_namespaces_even_in_application_loaders(String name) {
        assertThat(all.accepts(app, name)).isFalse();
    }

    @Test
    void include_limits_to_packages_and_their_subpackages() {
        ClassFilter filter = new ClassFilter(List.of("com/acme"), List.of());
        assertThat(filter.accepts(app, "com/acme/Job")).isTrue();
        assertThat(filter.accepts(app, "com/acme/sub/Step")).isTrue();
        assertThat(filter.accepts(app, "com/acmex/Job")).isFalse();
        assertThat(filter.accepts(app, "org/other/Job")).isFalse();
    }

    @Test
    void a_prefix_may_name_a_class_with_its_nested_classes() {
        ClassFilter filter = new ClassFilter(List.of(), List.of("com/acme/Generated"));
        assertThat(filter.accepts(app, "com/acme/Generated")).isFalse();
        assertThat(filter.accepts(app, "com/acme/Generated$Inner")).isFalse();
        assertThat(filter.accepts(app, "com/acme/GeneratedNot")).isTrue();
    }

    @Test
    void exclude_wins_over_include() {
        ClassFilter filter = new ClassFilter(List.of("com/acme"), List.of("com/acme/gen"));
        assertThat(filter.accepts(app, "com/acme/Job")).isTrue();
        assertThat(filter.accepts(app, "com/acme/gen/Parser")).isFalse();
    }
}
