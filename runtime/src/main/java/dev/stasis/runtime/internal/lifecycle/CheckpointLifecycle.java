package dev.stasis.runtime.internal.lifecycle;

import dev.stasis.rt.crac.Context;
import dev.stasis.rt.crac.Core;
import dev.stasis.rt.crac.Resource;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.RestoreException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The application's {@code org.crac} resources around a checkpoint, with {@code jdk.crac}'s rules:
 * {@code beforeCheckpoint} in reverse registration order, every resource notified even after one
 * failed; when any failed, {@code afterRestore} for all of them in registration order and a
 * {@link CheckpointException} with every cause suppressed (the checkpoint is not taken); after a
 * checkpoint, in this process or in a relaunched one, {@code afterRestore} in registration order.
 * Every engine calls these, so the resources see the same thing whichever engine checkpoints.
 *
 * <p>The resources run on a thread of their own in the main thread's group, not a daemon, so the
 * threads they start (a server's dispatcher) belong to the application as they would in
 * {@code jdk.crac}, whichever thread asked for the checkpoint (JMX's are daemons).
 */
public final class CheckpointLifecycle {
    private static final CheckpointLifecycle GLOBAL = new CheckpointLifecycle(Core.getGlobalContext(), System.err);

    private final Context context;
    private final PrintStream err;
    /** The resources notified by the checkpoint in progress, in registration order; null between checkpoints. */
    private List<Resource> notified;

    public CheckpointLifecycle(Context context, PrintStream err) {
        this.context = context;
        this.err = err;
    }

    /** The resources {@code org.crac} registers in this JVM. */
    public static CheckpointLifecycle global() {
        return GLOBAL;
    }

    /**
     * Notifies every registered resource, the last registered first. A resource registered meanwhile
     * is notified from the next checkpoint on, as {@code jdk.crac} does.
     *
     * @throws CheckpointException when any resource threw: {@code afterRestore} has already run for all of
     *                             them, and every exception (of both calls) is suppressed in it
     */
    public synchronized void beforeCheckpoint() throws CheckpointException {
        List<Resource> resources = context.registered();
        notified = resources;
        if (resources.isEmpty()) {
            return;
        }
        List<Failure> failures = ResourceThread.run(() -> {
            List<Failure> thrown = new ArrayList<>();
            for (int i = resources.size() - 1; i >= 0; i--) {
                notify(resources.get(i), Call.BEFORE_CHECKPOINT, context, thrown);
            }
            return thrown;
        });
        if (failures.isEmpty()) {
            return;
        }
        failures.addAll(notifyAfterRestore(resources));
        notified = null;
        CheckpointException refused = new ResourceCheckpointException("org.crac resources refused the checkpoint: "
                + Failure.describe(failures) + "; nothing was written, afterRestore has run for every resource and the"
                + " program runs on");
        failures.forEach(failure -> refused.addSuppressed(failure.thrown()));
        throw refused;
    }

    /** This process carries on after a checkpoint (taken or failed): {@code afterRestore}, first registered first. */
    public List<Throwable> afterCheckpoint() {
        return afterRestore();
    }

    /**
     * The process was brought back from a snapshot (a relaunch, or a whole-process restore): {@code afterRestore}
     * for the resources the checkpoint notified, or, in a fresh process, for those registered (again) so far.
     * Failures are printed to stderr and returned; they do not stop the program.
     */
    public synchronized List<Throwable> afterRestore() {
        List<Resource> resources = notified != null ? notified : context.registered();
        notified = null;
        if (resources.isEmpty()) {
            return List.of();
        }
        List<Failure> failures = ResourceThread.run(() -> notifyAfterRestore(resources));
        for (Failure failure : failures) {
            err.println("stasis: org.crac resource " + failure.describe() + "; the program runs on");
        }
        return failures.stream().map(Failure::thrown).toList();
    }

    /** The application's own resource objects of the checkpoint in progress, in registration order, for the snapshot. */
    public synchronized List<Object> resourcesToSave() {
        if (notified == null) {
            return List.of();
        }
        List<Object> saved = new ArrayList<>(notified.size());
        for (Resource resource : notified) {
            Object own = OrgCracResources.unwrap(resource);
            if (own != null) {
                saved.add(own);
            }
        }
        return Collections.unmodifiableList(saved);
    }

    /** A relaunch: registers the saved resources again, in their order, as the application registered them. */
    public void registerAgain(List<Object> saved) throws RestoreException {
        for (Object resource : saved) {
            OrgCracResources.register(resource, context);
        }
    }

    private List<Failure> notifyAfterRestore(List<Resource> resources) {
        List<Failure> thrown = new ArrayList<>();
        for (Resource resource : resources) {
            notify(resource, Call.AFTER_RESTORE, context, thrown);
        }
        return thrown;
    }

    /** {@code org.crac}'s proxies ignore the context argument and pass the application their own. */
    private static void notify(Resource resource, Call call, Context context, List<Failure> failures) {
        try {
            if (call == Call.BEFORE_CHECKPOINT) {
                resource.beforeCheckpoint(context);
            } else {
                resource.afterRestore(context);
            }
        } catch (Exception | Error e) { // a resource's failure is the checkpoint's, never the agent's
            failures.add(new Failure(OrgCracResources.describe(resource), call, e));
        }
    }

    enum Call {
        BEFORE_CHECKPOINT("beforeCheckpoint"), AFTER_RESTORE("afterRestore");

        final String method;

        Call(String method) {
            this.method = method;
        }
    }

    record Failure(String resource, Call call, Throwable thrown) {
        String describe() {
            return resource + "." + call.method + " threw " + thrown;
        }

        static String describe(List<Failure> failures) {
            return String.join("; ", failures.stream().map(Failure::describe).toList());
        }
    }
}
