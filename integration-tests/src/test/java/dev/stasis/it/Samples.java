package dev.stasis.it;

import java.nio.file.Path;

/** The sample programs as the tests launch them, with lengths that keep the suite short. */
final class Samples {

    static final String JOB = "dev.stasis.samples.job.SampleJob";
    static final String PIGEONHOLE = "dev.stasis.samples.sat.PigeonholeSolve";
    static final String UNCAPTURABLE_SORT = "dev.stasis.samples.blocking.UncapturableSort";
    static final String OPEN_FILE_CACHE = "dev.stasis.samples.resources.OpenFileCache";
    static final String COUNTER_SERVER = "dev.stasis.samples.server.CounterServer";
    static final String LEDGER_REPORT = "dev.stasis.samples.files.LedgerReport";
    static final String CRAC_SERVICE = "dev.stasis.samples.crac.CountingService";
    static final String CRAC_OPEN_BATCH = "dev.stasis.samples.crac.OpenBatch";
    static final String LONG_SLEEP = "dev.stasis.samples.sleep.LongSleep";
    static final String TIMED_WAITS = "dev.stasis.samples.waits.TimedWaits";
    static final String BLOCKING_PIPELINE = "dev.stasis.samples.waits.BlockingPipeline";
    static final String BANK_TRANSFERS = "dev.stasis.samples.bank.BankTransfers";
    static final String LOCKED_WAIT = "dev.stasis.samples.waits.LockedWait";
    static final String WAITING_THREADS = "dev.stasis.samples.waits.WaitingThreads";
    static final String LONG_HELD_LOCK = "dev.stasis.samples.locks.LongHeldLock";
    static final String STAGED_PIPELINE = "dev.stasis.samples.pipeline.StagedPipeline";
    static final String POOL_JOB = "dev.stasis.samples.pools.PoolJob";
    static final String PARALLEL_SUMS = "dev.stasis.samples.pools.ParallelSums";
    static final String SCHEDULED_TICKS = "dev.stasis.samples.pools.ScheduledTicks";
    static final String VIRTUAL_FETCH = "dev.stasis.samples.virtualthreads.VirtualFetch";

    /** Several seconds: long enough for a few CLI calls in one run. Shared so the reference runs once. */
    static final String JOB_STEPS = "24000000";

    private Samples() {
    }

    /** The counter server under the agent on any free loopback port, snapshots in {@code snapshots}. */
    static JvmCommand counterServer(Path snapshots) {
        return JvmCommand.of(COUNTER_SERVER, "0").withAgent("dir=" + snapshots);
    }

    /** The sample job under the agent, snapshots in {@code snapshots}. */
    static JvmCommand job(Path snapshots) {
        return JvmCommand.of(JOB, "--steps", JOB_STEPS).withAgent("dir=" + snapshots);
    }
}
