package dev.stasis.samples.resources;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a scratch copy of its input open in a static cache after deleting it, as programs do with
 * anonymous temporary files: a file deleted while open cannot be opened again after a relaunch, so
 * a checkpoint taken while it runs must fail with the path from the static field to the stream,
 * and the program must finish as if nothing had happened.
 *
 * <p>Usage: {@code OpenFileCache <input> <go-file>}. It copies {@code input} to a scratch file
 * beside it, opens that and deletes it, prints
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
        Path scratch = Files.createTempFile(input.toAbsolutePath().getParent(), "scratch-", ".tmp");
        Files.copy(input, scratch, StandardCopyOption.REPLACE_EXISTING);
        FileInputStream in = new FileInputStream(scratch.toFile());
        Files.delete(scratch);
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
