package dev.stasis.runtime.internal.crac;

import dev.stasis.rt.crac.CheckpointRestoreCall;
import dev.stasis.runtime.CheckpointException;
import dev.stasis.runtime.CheckpointResult;
import dev.stasis.runtime.RuntimeConfig;
import dev.stasis.runtime.StasisRuntime;
import dev.stasis.runtime.internal.lifecycle.CheckpointLifecycle;
import dev.stasis.runtime.internal.lifecycle.CheckpointRestoreCalls;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code crac} engine: a checkpoint is the JDK's own {@code jdk.crac.Core.checkpointRestore()}, on a CRaC build
 * of the JDK. The JDK decides where the image goes ({@code -XX:CRaCCheckpointTo}) and whether the process goes on
 * after it; a restore is the JDK's {@code -XX:CRaCRestoreFrom}. Everything goes through reflection: the agent is
 * compiled against a stock JDK, which has no {@code jdk.crac}.
 */
public final class CracRuntime implements StasisRuntime {
    static final String MODULE = "jdk.crac";

    private final RuntimeConfig config;
    private final CheckpointLifecycle lifecycle = CheckpointLifecycle.global();
    private final Method checkpointRestore;
    private volatile String lastSnapshotId;
    private volatile long checkpointCount;
    private volatile long lastPauseMillis;
    private volatile String lastError;

    private CracRuntime(RuntimeConfig config, Method checkpointRestore) {
        this.config = config;
        this.checkpointRestore = checkpointRestore;
    }

    /**
     * @throws CracUnavailableException on a JDK without {@code jdk.crac}
     */
    public static CracRuntime create(RuntimeConfig config) throws CracUnavailableException {
        CracRuntime runtime = new CracRuntime(config, checkpointRestoreMethod(ModuleLayer.boot().findModule(MODULE).isPresent()));
        CheckpointRestoreCall.installInPlace(CheckpointRestoreCalls.inPlace(runtime));
        return runtime;
    }


    static Method checkpointRestoreMethod(boolean moduleResolved) throws CracUnavailableException {
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " at "
                + System.getProperty("java.home");
        if (!moduleResolved) {
            throw new CracUnavailableException("engine=crac needs a JDK with CRaC (the module " + MODULE + "), and this "
                    + "JVM is " + jdk + ", which has none; run on a CRaC JDK (e.g. Azul Zulu with CRaC, or a Liberica "
                    + "CRaC build), or use engine=portable (any JDK) or engine=criu (Linux, CRIU 4.x, root)");
        }
        try {
            return Class.forName(MODULE + ".Core", true, ClassLoader.getSystemClassLoader()).getMethod("checkpointRestore");
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new CracUnavailableException("this JVM (" + jdk + ") has the module " + MODULE + " but not "
                    + MODULE + ".Core.checkpointRestore(): " + e, e);
        }
    }

    /** The JDK restores a CRaC image itself ({@code -XX:CRaCRestoreFrom}); a plain launch starts fresh. */
    @Override
    public Optional<String> restoreAtStartup() {
        return Optional.empty();
    }

    /** The same {@code org.crac} preparation as the other engines, around the JDK's own checkpoint. */
    @Override
    public synchronized CheckpointResult checkpoint() throws CheckpointException {
        long start = System.nanoTime();
        try {
            lifecycle.beforeCheckpoint();
        } catch (CheckpointException e) {
            lastError = e.getMessage();
            throw e;
        }
        long restoreTimeBefore = restoreTime();
        try {
            checkpointRestore.invoke(null);
        } catch (InvocationTargetException | IllegalAccessException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            lastError = "the JDK's CRaC checkpoint failed: " + cause
                    + "; see the JDK's CRaC output above (a missing -XX:CRaCCheckpointTo=DIR is the usual cause)";
            CheckpointException failed = new CheckpointException(lastError, cause);
            lifecycle.afterCheckpoint().forEach(failed::addSuppressed);
            throw failed;
        }
        long restoreTimeAfter = restoreTime();
        boolean restored = restoreTimeAfter >= 0 && restoreTimeAfter != restoreTimeBefore;
        if (restored) {
            lifecycle.afterRestore();
        } else {
            lifecycle.afterCheckpoint();
        }
        lastError = null;
        checkpointCount++;
        lastPauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        lastSnapshotId = "crac-" + checkpointCount + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        return new CheckpointResult(lastSnapshotId, lastPauseMillis, -1, restored);
    }

    /**
     * When the JDK last restored this process from a CRaC image ({@code CRaCMXBean.getRestoreTime()}, -1 if never): a
     * change across {@code checkpointRestore()} means the call returned in a restored process.
     */
    private static long restoreTime() {
        try {
            Class<?> bean = Class.forName(MODULE + ".management.CRaCMXBean", true, ClassLoader.getSystemClassLoader());
            Object mx = ManagementFactory.class.getMethod("getPlatformMXBean", Class.class).invoke(null, bean);
            return (Long) bean.getMethod("getRestoreTime").invoke(mx);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }

    @Override
    public void markFinished() {
        // The JDK's image is the user's (-XX:CRaCCheckpointTo): Stasis keeps no state about it.
    }

    @Override
    public String lastSnapshotId() {
        return lastSnapshotId;
    }

    @Override
    public long checkpointCount() {
        return checkpointCount;
    }

    @Override
    public long lastPauseMillis() {
        return lastPauseMillis;
    }

    @Override
    public long lastSnapshotBytes() {
        return -1;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public Path snapshotDirectory() {
        return config.directory();
    }
}
