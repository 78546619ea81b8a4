package dev.stasis.samples.resources;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the files it reads open in a static cache, as some programs do: an open file cannot be
 * saved in a snapshot, so a checkpoint taken while it runs must fail with the path from the static
 * field to the stream, and the program must finish as if nothing had happened.
 *
 * <p>Usage: {@code OpenFileCache <input> <go-file>}. It opens {@code input}, prints
 * {@code waiting for <go-file>}, waits (checking every few milliseconds) until {@code go-file}
 * exists, so that a test can act while it runs, then hashes the input and prints
 * {@code RESULT <hash>}.
 */
public final class OpenFileCache {
    private static final Map<String, FileInputStream> OPEN = new HashMap<>();
    private static final int ROUNDS = 2_000;

    private OpenFileCache() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: OpenFileCache <input> <go-file>");
            System.exit(2);
        }
        Path input = Path.of(args[0]);
        Path go = Path.of(args[1]);
        FileInputStream in = new FileInputStream(input.toFile());
        OPEN.put(input.getFileName().toString(), in);
        byte[] data = in.readAllBytes();
        System.out.println("waiting for " + go);
        while (!Files.exists(go)) {
            Thread.sleep(5);
        }
        long hash = 17;
        for (int round = 0; round < ROUNDS; round++) {
            for (byte b : data) {
                hash = hash * 1_000_003 + b + round;
            }
        }
        System.out.println("RESULT " + Long.toHexString(hash) + " (" + OPEN.size() + " file open)");
    }
}
