package dev.stasis.runtime.internal.snapshot;

/** The innocent stand-in that hostile-snapshot tests write, then rename to {@link Canary} or {@link Parrot} in the bytes. */
final class Pigeon {
    int value;

    Pigeon(int value) {
        this.value = value;
    }
}
