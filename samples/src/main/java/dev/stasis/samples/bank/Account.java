package dev.stasis.samples.bank;

import java.util.concurrent.locks.ReentrantLock;

/** One account: its balance is read and changed only under its lock. */
final class Account {
    final int number;
    final ReentrantLock lock = new ReentrantLock();
    long balance;

    Account(int number, long balance) {
        this.number = number;
        this.balance = balance;
    }
}
