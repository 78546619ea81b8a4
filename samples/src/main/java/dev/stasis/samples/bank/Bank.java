package dev.stasis.samples.bank;

/** The accounts, and the two ways to touch several at once: a transfer and an audit. */
final class Bank {
    private final Account[] accounts;
    private final long expectedTotal;
    private final Journal journal = new Journal();

    Bank(int count, long openingBalance) {
        accounts = new Account[count];
        for (int i = 0; i < count; i++) {
            accounts[i] = new Account(i, openingBalance);
        }
        expectedTotal = openingBalance * count;
    }

    int size() {
        return accounts.length;
    }

    long expectedTotal() {
        return expectedTotal;
    }

    /** Locks are always taken in account order, so two transfers never wait for each other in a circle. */
    void transfer(int from, int to, long amount) {
        Account first = accounts[Math.min(from, to)];
        Account second = accounts[Math.max(from, to)];
        first.lock.lock();
        try {
            second.lock.lock();
            try {
                accounts[from].balance -= amount;
                accounts[to].balance += amount;
            } finally {
                second.lock.unlock();
            }
        } finally {
            first.lock.unlock();
        }
        journal.record(amount);
    }

    /** The sum of every balance, read with every account locked: no transfer is half done. */
    long audit() {
        int locked = 0;
        try {
            for (Account account : accounts) {
                account.lock.lock();
                locked++;
            }
            long total = 0;
            for (Account account : accounts) {
                total += account.balance;
            }
            return total;
        } finally {
            for (int i = locked - 1; i >= 0; i--) {
                accounts[i].lock.unlock();
            }
        }
    }

    /** A digest of every balance, in account order. */
    long checksum() {
        long hash = 17;
        for (Account account : accounts) {
            hash = hash * 31 + account.balance;
        }
        return hash;
    }

    Journal journal() {
        return journal;
    }
}
