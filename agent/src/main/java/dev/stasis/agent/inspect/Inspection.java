package dev.stasis.agent.inspect;

import dev.stasis.runtime.internal.snapshot.Manifest;
import dev.stasis.runtime.internal.snapshot.VerifiedSnapshot;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code inspect} shows of one snapshot, ready to be printed as text or JSON.
 *
 * @param snapshot         what the file check found: the manifest, blocks, signature, payload size
 * @param classPath        the class path the objects were read with
 * @param problem          why the saved objects could not be read (then threads, statics and the
 *                         histogram are empty), or null
 * @param histogram        null when it could not be measured ({@code histogramProblem} says why)
 */
record Inspection(Path file, VerifiedSnapshot snapshot, String classPath, List<ThreadView> threads,
                  List<StaticsView> statics, ObjectHistogram.Result histogram, String histogramProblem, String problem) {

    Manifest manifest() {
        return snapshot.manifest();
    }

    /** A captured thread; frames innermost first, as in a stack trace. */
    record ThreadView(String name, boolean daemon, int priority, List<FrameView> frames) {
    }

    /**
     * One frame: where it stopped and its saved values. Without a usable layout ({@code layoutProblem}
     * says why) the values are the raw slots ({@code ints[0]}, {@code refs[2]}, ...).
     *
     * @param line source line, -1 when unknown
     */
    record FrameView(String method, String className, String methodName, String descriptor, String sourceFile,
                     int line, int point, String layoutProblem, List<Variable> locals, List<Variable> stack) {
    }

    /** A named value: a local, an operand-stack entry, a raw slot or a static field. */
    record Variable(String name, String type, boolean synthetic, ValueSummary value) {
    }

    /** The static fields of one class, as the snapshot recorded them. */
    record StaticsView(String className, List<Variable> fields) {
    }
}
