package dev.stasis.samples.virtualthreads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A crawler on virtual threads (JDK 21 and later). Fetching a page is waiting for it as for a slow server
 * ({@code Thread.sleep}), then digesting its content, recording it in a shared ledger (a {@code synchronized}
 * method) and adding its byte count to a total guarded by a {@code ReentrantLock}. Mode {@code threads}: that
 * many virtual threads each fetch their share of the pages, one at a time, and main waits for them in {@code
 * join}; mode {@code executor}: one virtual thread per page from {@code newVirtualThreadPerTaskExecutor()}, that
 * many pages at a time, main waiting for their {@code Future}s. The last line gives the digest of all pages in order
 * and whether every page was fetched exactly once: the same however often the job was checkpointed, killed and
 * resumed, or a page was lost or fetched twice. Arguments: mode, virtual threads (or pages at a time), pages,
 * digest rounds per page.
 *
 * <p>Stasis captures virtual threads like platform ones: each is stopped at a capturable point holding no lock,
 * and a resume starts a virtual thread of the same name that goes on from there.
 */
public final class VirtualFetch {
    private VirtualFetch() {
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        String mode = args[0];
        int threads = Integer.parseInt(args[1]);
        int pages = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        PageLedger ledger = new PageLedger(pages);
        ByteTotal total = new ByteTotal();
        AtomicInteger fetched = new AtomicInteger();
        System.out.println("started " + mode + " with " + threads + " virtual threads for " + pages + " pages");
        switch (mode) {
            case "threads" -> fetchOnThreads(threads, pages, rounds, ledger, total, fetched);
            case "executor" -> fetchOnExecutor(threads, pages, rounds, ledger, total, fetched);
            default -> throw new IllegalArgumentException("mode must be threads or executor: " + mode);
        }
        // Computed before println: a checkpoint inside these calls must not find System.out on main's stack.
        long digest = ledger.digest();
        boolean eachOnce = ledger.eachFetchedOnce();
        long bytes = total.get();
        System.out.println("RESULT digest " + digest + " of " + pages + " pages, " + bytes + " bytes, each fetched once "
                + eachOnce);
    }

    /** {@code threads} virtual threads, each fetching every {@code threads}-th page; main joins them. */
    private static void fetchOnThreads(int threads, int pages, int rounds, PageLedger ledger, ByteTotal total,
                                       AtomicInteger fetched) throws InterruptedException {
        ThreadFactory factory = VirtualThreadFactory.named("fetcher-");
        List<Thread> fetchers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread fetcher = factory.newThread(() -> fetchEvery(first, threads, pages, rounds, ledger, total, fetched));
            fetchers.add(fetcher);
            fetcher.start();
        }
        for (Thread fetcher : fetchers) {
            fetcher.join();
        }
    }

    /**
     * One virtual thread per page, as {@code Executors.newVirtualThreadPerTaskExecutor()} gives: pages are
     * submitted in waves of {@code wave}, and main waits for each wave's futures, which return the page's bytes.
     */
    private static void fetchOnExecutor(int wave, int pages, int rounds, PageLedger ledger, ByteTotal total,
                                        AtomicInteger fetched) throws InterruptedException, ExecutionException {
        ExecutorService executor = VirtualThreadFactory.perTaskExecutor();
        long bytes = 0;
        for (int first = 0; first < pages; first += wave) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int page = first; page < Math.min(pages, first + wave); page++) {
                int one = page;
                futures.add(executor.submit(() -> fetchOne(one, rounds, ledger, total, fetched)));
            }
            for (Future<Long> future : futures) {
                bytes += future.get();
            }
        }
        executor.shutdown();
        if (!executor.awaitTermination(1, TimeUnit.MINUTES) || bytes != total.get()) {
            throw new IllegalStateException("the executor did not end, or its futures gave " + bytes + " bytes");
        }
    }

    /** Pages {@code first}, {@code first + step}, ...: one virtual thread's share. */
    private static void fetchEvery(int first, int step, int pages, int rounds, PageLedger ledger, ByteTotal total,
                                   AtomicInteger fetched) {
        for (int page = first; page < pages; page += step) {
            fetchOne(page, rounds, ledger, total, fetched);
        }
    }

    /** Fetches one page; returns its bytes. */
    private static long fetchOne(int page, int rounds, PageLedger ledger, ByteTotal total, AtomicInteger fetched) {
        awaitServer(page);
        long content = digestPage(page, rounds);
        ledger.fetched(page, content);
        long bytes = 1024 + page % 512;
        total.add(bytes);
        int done = fetched.incrementAndGet();
        if (done % 500 == 0) {
            System.out.println("fetched " + done);
        }
        return bytes;
    }

    /** A slow server: 1 to 4 ms per page. A virtual thread waiting here gives its carrier to another. */
    private static void awaitServer(int page) {
        try {
            Thread.sleep(1 + page % 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long digestPage(int page, int rounds) {
        long x = page * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Each page's content digest, and how often each page was recorded. */
    static final class PageLedger {
        private final long[] contents;
        private final int[] times;

        PageLedger(int pages) {
            contents = new long[pages];
            times = new int[pages];
        }

        synchronized void fetched(int page, long content) {
            contents[page] = content;
            times[page]++;
        }

        synchronized long digest() {
            long digest = 17;
            for (long content : contents) {
                digest = digest * 31 + content;
            }
            return digest;
        }

        synchronized boolean eachFetchedOnce() {
            for (int count : times) {
                if (count != 1) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A running total behind a {@code ReentrantLock}, which no virtual thread may be captured holding. */
    static final class ByteTotal {
        private final ReentrantLock lock = new ReentrantLock();
        private long bytes;

        void add(long more) {
            lock.lock();
            try {
                bytes += more;
            } finally {
                lock.unlock();
            }
        }

        long get() {
            lock.lock();
            try {
                return bytes;
            } finally {
                lock.unlock();
            }
        }
    }
}
