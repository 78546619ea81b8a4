package dev.stasis.samples.job;

import java.util.HashMap;
import java.util.Map;

/**
 * Accounts opened lazily, keyed by number. The digest visits them by key, never in the
 * map's iteration order, which depends on the table's capacity and not only on its contents.
 */
final class Ledger {

    private final int size;
    private final Map<Integer, Account> accounts = new HashMap<>();

    Ledger(int size) {
        this.size = size;
    }

    void post(int number, long amount) {
        Account account = accounts.get(number);
        if (account == null) {
            account = new Account(number);
            accounts.put(number, account);
        }
        account.post(amount);
    }

    long digest() {
        long digest = accounts.size();
        for (int number = 0; number < size; number++) {
            Account account = accounts.get(number);
            digest = digest * 1_000_003 + (account == null ? -1 : account.digest());
        }
        return digest;
    }
}
