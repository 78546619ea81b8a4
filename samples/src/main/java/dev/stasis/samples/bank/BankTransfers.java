package dev.stasis.samples.bank;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tellers move money between accounts at the same time, each transfer under the locks of both accounts.
 * Every teller follows its own seeded sequence of transfers and balances may go negative, so the final
 * balances do not depend on how the tellers interleave: a run that is checkpointed, killed and resumed
 * must end with exactly the balances of an uninterrupted one, or a transfer was lost or applied twice.
 * An auditor locks every account now and then and checks that no money appeared or vanished.
 *
 * <p>The main thread only opens the bank and starts the threads, then returns; the last teller to
 * finish prints the result. Arguments: tellers, transfers per teller, accounts.
 */
public final class BankTransfers {
    static final long OPENING_BALANCE = 1_000;

    private BankTransfers() {
    }

    public static void main(String[] args) {
        int tellers = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int transfers = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int accounts = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Bank bank = new Bank(accounts, OPENING_BALANCE);
        Thread auditor = new Thread(new Auditor(bank), "auditor");
        auditor.setDaemon(true);
        auditor.start();
        AtomicInteger working = new AtomicInteger(tellers);
        for (int i = 0; i < tellers; i++) {
            new Teller(i, transfers, bank, working).start();
        }
        System.out.println("opened " + accounts + " accounts for " + tellers + " tellers");
    }
}
