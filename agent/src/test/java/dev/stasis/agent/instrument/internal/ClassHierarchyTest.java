package dev.stasis.agent.instrument.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stasis.agent.instrument.ClassBytesSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.BasicValue;

/** The type hierarchy comes from class bytes only: these classes exist nowhere but in a map. */
class ClassHierarchyTest {
    private final Map<String, byte[]> classes = new HashMap<>();
    private final ClassHierarchy hierarchy;

    ClassHierarchyTest() {
        define("gen/Animal", "java/lang/Object", false);
        define("gen/Pet", "java/lang/Object", true);
        define("gen/Dog", "gen/Animal", false, "gen/Pet");
        define("gen/Cat", "gen/Animal", false);
        ClassBytesSource system = ClassBytesSource.fromLoader(null);
        hierarchy = new ClassHierarchy(name -> classes.containsKey(name) ? classes.get(name) : system.bytesOf(name));
    }

    @Test
    void merges_sibling_classes_to_their_common_super_class_without_loading_them() {
        assertThat(hierarchy.commonSuperClass("gen/Dog", "gen/Cat")).isEqualTo("gen/Animal");
        assertThat(hierarchy.commonSuperClass("java/util/ArrayList", "java/util/LinkedList"))
                .isEqualTo("java/util/AbstractList");
    }

    @Test
    void merges_to_object_when_a_class_is_missing_or_an_interface() {
        assertThat(hierarchy.commonSuperClass("gen/Missing", "gen/Dog")).isEqualTo("java/lang/Object");
        assertThat(hierarchy.commonSuperClass("gen/Pet", "gen/Cat")).isEqualTo("java/lang/Object");
        assertThat(new HierarchyClassWriter(ClassWriter.COMPUTE_FRAMES, hierarchy)
                .getCommonSuperClass("gen/Nowhere", "gen/Cat")).isEqualTo("java/lang/Object");
    }

    @Test
    void sees_interfaces_through_super_classes() {
        assertThat(hierarchy.isInterface("gen/Pet")).isTrue();
        assertThat(hierarchy.isAssignable("gen/Pet", "gen/Dog")).isTrue();
        assertThat(hierarchy.isAssignable("gen/Pet", "gen/Cat")).isFalse();
        assertThat(hierarchy.isAssignable("java/util/Collection", "java/util/ArrayList")).isTrue();
    }

    @Test
    void verifier_merges_reference_values_with_the_class_bytes_hierarchy() {
        HierarchyVerifier verifier = new HierarchyVerifier(hierarchy, Type.getObjectType("gen/Zoo"));

        BasicValue merged = verifier.merge(value("gen/Dog"), value("gen/Cat"));
        BasicValue arrays = verifier.merge(value("[Lgen/Dog;"), value("[Lgen/Cat;"));
        BasicValue withNull = verifier.merge(value("gen/Dog"), new BasicValue(Type.getObjectType("null")));

        assertThat(merged.getType().getInternalName()).isEqualTo("gen/Animal");
        assertThat(arrays.getType().getDescriptor()).isEqualTo("[Lgen/Animal;");
        assertThat(withNull.getType().getInternalName()).isEqualTo("gen/Dog");
    }

    private static BasicValue value(String nameOrDescriptor) {
        return new BasicValue(nameOrDescriptor.startsWith("[") ? Type.getType(nameOrDescriptor)
                : Type.getObjectType(nameOrDescriptor));
    }

    private void define(String name, String superName, boolean isInterface, String... interfaces) {
        ClassWriter writer = new ClassWriter(0);
        int access = Opcodes.ACC_PUBLIC | (isInterface ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : 0);
        writer.visit(Opcodes.V17, access, name, null, superName, List.of(interfaces).toArray(String[]::new));
        writer.visitEnd();
        classes.put(name, writer.toByteArray());
    }
}
