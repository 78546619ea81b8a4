package dev.stasis.samples.bank;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** A thread of its own class: its fields are the teller's state, and the last one to finish prints the result. */
final class Teller extends Thread {
    /** Work between transfers, so that a run lasts long enough to be interrupted. */
    private static final int PAPERWORK = 2_000;

    private final int index;
    private final int transfers;
    private final Bank bank;
    private final AtomicInteger working;
    private final SplittableRandom random;
    private long done;
    private long paperwork;

    Teller(int index, int transfers, Bank bank, AtomicInteger working) {
        super("teller-" + index);
        this.index = index;
        this.transfers = transfers;
        this.bank = bank;
        this.working = working;
        this.random = new SplittableRandom(1_000_003L * (index + 1));
    }

    @Override
    public void run() {
        while (done < transfers) {
            int from = random.nextInt(bank.size());
            int to = random.nextInt(bank.size() - 1);
            if (to >= from) {
                to++;
            }
            long amount = 1 + random.nextInt(100);
            paperwork = fill(paperwork);
            bank.transfer(from, to, amount);
            done++;
        }
        if (working.decrementAndGet() == 0) {
            printResult();
        }
    }

    private static long fill(long seed) {
        long x = seed;
        for (int i = 0; i < PAPERWORK; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    private void printResult() {
        long total = bank.audit();
        System.out.println("RESULT total=" + total + " expected=" + bank.expectedTotal() + " checksum=" + bank.checksum()
                + " " + bank.journal().summary());
    }
}
