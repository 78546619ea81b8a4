package bench.stasis.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Where a harness puts its markdown: always stdout, and appended to {@code -Dbench.report=<file>} when given. */
public final class Reports {
    public static final String REPORT_PROPERTY = "bench.report";

    private Reports() {
    }

    public static void publish(String markdown) {
        System.out.println();
        System.out.println(markdown);
        String file = System.getProperty(REPORT_PROPERTY);
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), markdown + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append the report to " + file + " (-D" + REPORT_PROPERTY + ")", e);
        }
    }

    /** Fixed-point figure with an English decimal point, whatever the machine's locale. */
    public static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
