package dev.stasis.samples.bank;

/** Checks, every so often, that the accounts still hold exactly the money the bank opened with. */
final class Auditor implements Runnable {
    private static final long EVERY_MILLIS = 200;

    private final Bank bank;
    private long audits;

    Auditor(Bank bank) {
        this.bank = bank;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Thread.sleep(EVERY_MILLIS);
                long total = bank.audit();
                audits++;
                if (total != bank.expectedTotal()) {
                    System.out.println("AUDIT BROKEN total=" + total + " expected=" + bank.expectedTotal());
                } else {
                    System.out.println("audit " + audits + " ok total=" + total);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
