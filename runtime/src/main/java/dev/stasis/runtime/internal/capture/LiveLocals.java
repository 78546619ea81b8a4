package dev.stasis.runtime.internal.capture;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The current thread's frames with their local variables, through the JDK's {@code java.lang.LiveStackFrame}
 * (the stack walker the JDK's own tests use to read locals; java.base is opened to Stasis by the agent).
 * Needed where a JDK frame below the application holds the object a resume must run again: the task a
 * {@code ThreadPoolExecutor} worker runs is only a local of {@code runWorker}. Present on JDK 17 and 25; if
 * a JDK lacks it, {@link #available()} is false and pool workers are refused as before. Its monitors tell what a
 * virtual thread holds, which no thread dump says.
 */
final class LiveLocals {
    private static final Method GET_STACK_WALKER;
    private static final Method GET_LOCALS;
    private static final Method GET_MONITORS;

    static {
        Method walker = null;
        Method locals = null;
        Method monitors = null;
        try {
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            walker = live.getMethod("getStackWalker", Set.class);
            walker.setAccessible(true);
            locals = live.getMethod("getLocals");
            locals.setAccessible(true);
            monitors = live.getMethod("getMonitors");
            monitors.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            walker = null;
            locals = null;
            monitors = null;
        }
        GET_STACK_WALKER = walker;
        GET_LOCALS = locals;
        GET_MONITORS = monitors;
    }

    /** One frame: its class and method names and its locals (primitives appear as opaque slot objects). */
    record LiveFrame(String className, String methodName, Object[] locals) {
        boolean is(String owner, String method) {
            return className.equals(owner) && methodName.equals(method);
        }
    }

    private LiveLocals() {
    }

    static boolean available() {
        return GET_STACK_WALKER != null;
    }

    /** The current thread's frames, innermost first, hidden frames (lambda proxies) included. */
    static List<LiveFrame> currentThread() {
        try {
            StackWalker walker = (StackWalker) GET_STACK_WALKER.invoke(null,
                    EnumSet.of(StackWalker.Option.SHOW_HIDDEN_FRAMES));
            List<LiveFrame> frames = new ArrayList<>();
            walker.forEach(frame -> frames.add(new LiveFrame(frame.getClassName(), frame.getMethodName(),
                    localsOf(frame))));
            return frames;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the locals of the current thread's frames: " + e, e);
        }
    }

    /** A frame of the current thread and the monitors it holds (one at least). */
    record HeldMonitors(StackWalker.StackFrame frame, List<Object> monitors) {
    }

    /**
     * The current thread's frames that hold monitors, innermost first. A virtual thread is covered by no thread
     * dump's lock information; its own frames are. A frame's slots of monitors it has already left read null.
     */
    static List<HeldMonitors> heldMonitors() {
        try {
            StackWalker walker = (StackWalker) GET_STACK_WALKER.invoke(null,
                    EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
            List<HeldMonitors> held = new ArrayList<>();
            walker.forEach(frame -> {
                List<Object> monitors = new ArrayList<>();
                for (Object monitor : (Object[]) invoke(GET_MONITORS, frame)) {
                    if (monitor != null) {
                        monitors.add(monitor);
                    }
                }
                if (!monitors.isEmpty()) {
                    held.add(new HeldMonitors(frame, monitors));
                }
            });
            return held;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the monitors of the current thread's frames: " + e, e);
        }
    }

    private static Object invoke(Method method, StackWalker.StackFrame frame) {
        try {
            return method.invoke(frame);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + method.getName() + " of " + frame + ": " + e, e);
        }
    }

    private static Object[] localsOf(StackWalker.StackFrame frame) {
        try {
            return (Object[]) GET_LOCALS.invoke(frame);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the locals of " + frame + ": " + e, e);
        }
    }
}
