package dev.stasis.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Layouts re-derived from class bytes agree with what the instrumented code really saved: frames
 * are captured in-process at every poll of a target and read back through {@link FrameLayouts}.
 */
class FrameLayoutsTest {
    private static final String LAYOUT = "dev/stasis/agent/instrument/targets/LayoutTarget";
    private final FrameLayouts layouts = new FrameLayouts(ClassBytesSource.fromLoader(FrameLayoutsTest.class.getClassLoader()));

    @BeforeEach
    void installEngine() {
        Rewinding.install();
    }

    @AfterEach
    void uninstallEngine() {
        Rewinding.uninstall();
    }

    @Test
    void names_the_locals_and_the_stack_of_a_frame_stopped_at_a_call() throws Exception {
        Frame frame = capturedFrames("LayoutTarget").stream()
                .filter(f -> f.method.equals(LAYOUT + ".run()Ljava/lang/String;") && named(f).containsKey("(argument 0 of step)")
                        && named(f).get("round").equals(1))
                .findFirst().orElseThrow();

        Map<String, Object> values = named(frame);

        // count is loaded for "count +=" before the call and written after it: dead as a local, it is stack[0].
        assertThat(values).doesNotContainKey("count").containsEntry("big", 1L << 40).containsEntry("label", "seven")
                .containsEntry("ratio", 0.5).containsEntry("flag", 1).containsEntry("letter", (int) 'q')
                .containsEntry("scale", 2.5f).containsEntry("round", 1).containsEntry("nothing", null)
                .containsEntry("stack[0]", 12)
                .containsEntry("(argument 0 of step)", "seven").containsEntry("(argument 1 of step)", 1);
        assertThat((int[]) values.get("numbers")).containsExactly(1, 2, 3);
        FrameLayouts.Point point = layoutOf(frame);
        assertThat(point.line()).isEqualTo(lineOf("count += step(label, round);"));
        assertThat(point.locals()).filteredOn(FrameLayouts.Value::name, "nothing")
                .singleElement().satisfies(v -> assertThat(v.array()).isEqualTo(FrameLayouts.Slots.NONE));
        assertThat(point.locals()).filteredOn(FrameLayouts.Value::name, "letter")
                .singleElement().satisfies(v -> assertThat(v.type()).isEqualTo("char"));
    }

    @Test
    void names_the_locals_of_a_frame_stopped_at_a_loop_header() throws Exception {
        Frame frame = capturedFrames("LayoutTarget").stream()
                .filter(f -> f.method.equals(LAYOUT + ".run()Ljava/lang/String;") && named(f).containsKey("round")
                        && !named(f).containsKey("(argument 0 of step)") && named(f).get("round").equals(1))
                .findFirst().orElseThrow();

        assertThat(named(frame)).containsEntry("count", 12).containsEntry("round", 1).containsEntry("label", "seven")
                .doesNotContainKey("stack[0]");
        assertThat(layoutOf(frame).line()).isEqualTo(lineOf("for (int round = 0; round < 2; round++) {"));
    }

    @Test
    void names_parameters_at_the_entry_point_and_locals_of_a_callee() throws Exception {
        List<Frame> frames = capturedFrames("LayoutTarget");
        String step = LAYOUT + ".step(Ljava/lang/String;I)I";

        Frame entry = frames.stream().filter(f -> f.method.equals(step) && f.point == 0).findFirst().orElseThrow();
        Frame inLoop = frames.stream().filter(f -> f.method.equals(step) && named(f).containsKey("(argument 1 of unit)"))
                .filter(f -> Integer.valueOf(2).equals(named(f).get("i"))).findFirst().orElseThrow();

        assertThat(named(entry)).containsOnlyKeys("text", "round").containsEntry("text", "seven");
        assertThat(named(inLoop)).containsEntry("text", "seven").containsEntry("i", 2)
                .containsEntry("(argument 0 of unit)", "seven").containsEntry("(argument 1 of unit)", 2)
                .doesNotContainKey("total").doesNotContainKey("round");
        assertThat((int) named(inLoop).get("stack[0]")).as("total so far: round + 2").isIn(2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PrimitivesTarget", "StackBelowCallTarget", "NewAcrossCallTarget", "CountedLoopsTarget",
        "TryCatchTarget", "LambdaTarget", "LoopsTarget", "LayoutTarget"})
    void every_captured_frame_has_the_shape_and_reference_types_of_its_derived_layout(String target) throws Exception {
        List<Frame> frames = capturedFrames(target);

        assertThat(frames).isNotEmpty();
        for (Frame frame : frames) {
            FrameLayouts.Point point = layoutOf(frame);
            assertThat(new int[] {frame.ints.length, frame.longs.length, frame.floats.length, frame.doubles.length,
                frame.refs.length})
                    .as("array sizes of %s", frame)
                    .containsExactly(point.count(FrameLayouts.Slots.INTS), point.count(FrameLayouts.Slots.LONGS),
                            point.count(FrameLayouts.Slots.FLOATS), point.count(FrameLayouts.Slots.DOUBLES),
                            point.count(FrameLayouts.Slots.REFS));
            for (FrameLayouts.Value value : values(point)) {
                if (value.array() == FrameLayouts.Slots.REFS && frame.refs[value.index()] != null) {
                    Class<?> type = classOf(value.type());
                    assertThat(type.isInstance(frame.refs[value.index()]))
                            .as("%s of %s holds a %s", value, frame, frame.refs[value.index()].getClass()).isTrue();
                }
            }
        }
    }

    @Test
    void a_method_that_is_not_in_the_class_is_an_error() {
        byte[] bytes = InstrumentingLoader.readClass(getClass().getClassLoader(), LAYOUT.replace('/', '.'));

        assertThatThrownBy(() -> layouts.of(bytes, LAYOUT + ".gone()V"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("class " + LAYOUT + " has no method " + LAYOUT + ".gone()V");
    }

    /** Captures (relaunch mode: the frames are only recorded) at every poll of the target's run. */
    private static List<Frame> capturedFrames(String target) throws Exception {
        Class<?> type = Rewinding.instrumented(target);
        Rewinding.ENGINE.arm(0, CaptureEngine.Mode.IN_PLACE);
        Rewinding.run(type);
        int polls = Math.min(Rewinding.ENGINE.polls(), 300);
        Rewinding.ENGINE.disarm();
        List<Frame> frames = new ArrayList<>();
        for (int n = 1; n <= polls; n++) {
            Rewinding.ENGINE.arm(n, CaptureEngine.Mode.RELAUNCH);
            Rewinding.run(type);
            frames.addAll(Rewinding.ENGINE.captured());
            Rewinding.ENGINE.disarm();
        }
        return frames;
    }

    private FrameLayouts.Point layoutOf(Frame frame) {
        String owner = frame.method.substring(0, frame.method.lastIndexOf('.', frame.method.indexOf('(')));
        byte[] bytes = InstrumentingLoader.readClass(getClass().getClassLoader(), owner.replace('/', '.'));
        FrameLayouts.Method method = layouts.of(bytes, frame.method);
        assertThat(frame.point).as("point of %s", frame).isLessThan(method.points().size());
        return method.points().get(frame.point);
    }

    /** Every saved value by its layout name; ints stay ints (booleans and chars included), as the frame holds them. */
    private Map<String, Object> named(Frame frame) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FrameLayouts.Value value : values(layoutOf(frame))) {
            values.put(value.name(), switch (value.array()) {
                case INTS -> frame.ints[value.index()];
                case LONGS -> frame.longs[value.index()];
                case FLOATS -> frame.floats[value.index()];
                case DOUBLES -> frame.doubles[value.index()];
                case REFS -> frame.refs[value.index()];
                case NONE -> null;
            });
        }
        return values;
    }

    private static List<FrameLayouts.Value> values(FrameLayouts.Point point) {
        List<FrameLayouts.Value> all = new ArrayList<>(point.locals());
        all.addAll(point.stack());
        return all;
    }

    private static Class<?> classOf(String javaName) throws ClassNotFoundException {
        String name = javaName;
        int dimensions = 0;
        while (name.endsWith("[]")) {
            name = name.substring(0, name.length() - 2);
            dimensions++;
        }
        Class<?> type = switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            default -> Class.forName(name, false, Rewinding.LOADER);
        };
        for (int i = 0; i < dimensions; i++) {
            type = type.arrayType();
        }
        return type;
    }

    private static int lineOf(String code) throws java.io.IOException {
        java.nio.file.Path source = java.nio.file.Path.of("src/test/java", LAYOUT + ".java");
        List<String> lines = java.nio.file.Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(code)) {
                return i + 1;
            }
        }
        throw new AssertionError(code + " not in " + source);
    }
}
