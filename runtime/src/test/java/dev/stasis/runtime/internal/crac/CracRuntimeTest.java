package dev.stasis.runtime.internal.crac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.runtime.RuntimeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CracRuntimeTest {

    @Test
    void a_stock_jdk_is_refused_naming_the_jdk_and_the_alternatives() {
        assertThat(ModuleLayer.boot().findModule("jdk.crac")).as("these tests run on stock JDKs").isEmpty();
        assertThatThrownBy(() -> CracRuntime.create(new RuntimeConfig(Path.of("/tmp/x"), "auto", Duration.ofSeconds(1), 1,
                "Main", List.of())))
                .isInstanceOf(CracUnavailableException.class)
                .hasMessageContaining("engine=crac needs a JDK with CRaC (the module jdk.crac)")
                .hasMessageContaining(System.getProperty("java.home"))
                .hasMessageContaining("engine=portable (any JDK) or engine=criu");
    }

    @Test
    void a_jdk_claiming_crac_without_its_core_class_is_refused() {
        assertThatThrownBy(() -> CracRuntime.checkpointRestoreMethod(true))
                .isInstanceOf(CracUnavailableException.class)
                .hasMessageContaining("has the module jdk.crac but not jdk.crac.Core.checkpointRestore()");
    }
}
