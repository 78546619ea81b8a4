package dev.stasis.agent;

import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleOpenerTest {

    @Test
    void opens_every_java_base_package_to_the_agent_module() throws Exception {
        Module base = Object.class.getModule();
        Module agent = ModuleOpener.class.getModule();
        // sun.nio.ch is not among the opens the test JVM was started with.
        assertThat(base.isOpen("sun.nio.ch", agent)).isFalse();

        ModuleOpener.openJavaBase(ByteBuddyAgent.install(), agent);

        assertThat(base.getPackages()).allMatch(p -> base.isOpen(p, agent));
        assertThat(base.isExported("jdk.internal.misc", agent)).isTrue();
        Field field = Class.forName("sun.nio.ch.Util").getDeclaredField("TEMP_BUF_POOL_SIZE");
        field.setAccessible(true);
        assertThat(field.getInt(null)).isPositive();
    }
}
