package dev.stasis.samples.files;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.FileWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A batch job that works through an input file and writes its results to files, as many real jobs
 * do: it reads {@code <input>} line by line, writes one result line per input line to
 * {@code <output>} (replaced) and appends a summary line every twenty lines to {@code <log>}
 * (appended, kept across runs; flushed every sixty lines). All three go through buffered readers and writers, so at any
 * moment some results are still in a buffer and some are in the file. It paces itself (a
 * millisecond per line) so that a test can interrupt it anywhere.
 *
 * <p>It opens its files first thing: a run that starts over (no snapshot to resume) must not append
 * twice what an earlier run appended, which holds only when nothing was appended before the first
 * checkpoint could be taken.
 *
 * <p>Usage: {@code LedgerReport <input> <output> <log>}. Prints {@code progress <n>} every hundred
 * lines and, at the end, {@code RESULT <crc>} over everything it wrote.
 */
public final class LedgerReport {
    private static final int SUMMARY_EVERY = 20;
    private static final int LOG_FLUSH_EVERY = 60;
    private static final int PROGRESS_EVERY = 100;

    private LedgerReport() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: LedgerReport <input> <output> <log>");
            System.exit(2);
        }
        try (BufferedReader input = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
             BufferedWriter output = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(args[1]),
                     StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(new BufferedWriter(new FileWriter(args[2], StandardCharsets.UTF_8, true)))) {
            long result = run(input, output, log);
            System.out.println("RESULT " + Long.toHexString(result));
        }
    }

    private static long run(BufferedReader input, BufferedWriter output, PrintWriter log)
            throws IOException, InterruptedException {
        CRC32C written = new CRC32C();
        long balance = 0;
        int count = 0;
        for (String line = input.readLine(); line != null; line = input.readLine()) {
            count++;
            balance += amountOf(line);
            String result = count + " " + line + " balance=" + balance + "\n";
            output.write(result);
            written.update(result.getBytes(StandardCharsets.UTF_8));
            if (count % SUMMARY_EVERY == 0) {
                log.println("after " + count + " lines the balance is " + balance);
            }
            if (count % PROGRESS_EVERY == 0) {
                System.out.println("progress " + count);
            }
            if (count % LOG_FLUSH_EVERY == 0) {
                log.flush();
            }
            Thread.sleep(1);
        }
        log.println("done: " + count + " lines, balance " + balance);
        return written.getValue() ^ balance;
    }

    /** The amount in a line {@code <name>,<amount>}; lines without one count as zero. */
    private static long amountOf(String line) {
        int comma = line.lastIndexOf(',');
        if (comma < 0) {
            return 0;
        }
        try {
            return Long.parseLong(line.substring(comma + 1).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
