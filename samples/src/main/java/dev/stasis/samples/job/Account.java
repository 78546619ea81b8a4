package dev.stasis.samples.job;

/** One account of the ledger: a balance and a small ring of its latest postings. */
final class Account {

    private static final int HISTORY = 8;

    private final int id;
    private final int[] history = new int[HISTORY];
    private int cursor;
    private long balance;

    Account(int id) {
        this.id = id;
    }

    void post(long amount) {
        balance += amount;
        history[cursor] = (int) amount;
        cursor = (cursor + 1) % HISTORY;
    }

    long digest() {
        long digest = id * 0x9E3779B97F4A7C15L + balance;
        for (int i = 0; i < HISTORY; i++) {
            digest = digest * 31 + history[(cursor + i) % HISTORY];
        }
        return digest;
    }
}
