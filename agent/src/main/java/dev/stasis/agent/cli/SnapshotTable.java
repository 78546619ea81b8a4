package dev.stasis.agent.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The {@code list} output: aligned columns ID, TIME (UTC), SIZE, STATE. */
final class SnapshotTable {
    record Row(String id, Instant time, long bytes, String state) {
    }

    private SnapshotTable() {
    }

    static String format(List<Row> rows) {
        int idWidth = "ID".length();
        int sizeWidth = "SIZE".length();
        for (Row row : rows) {
            idWidth = Math.max(idWidth, row.id().length());
            sizeWidth = Math.max(sizeWidth, size(row.bytes()).length());
        }
        String line = "%-" + idWidth + "s  %-20s  %" + sizeWidth + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, line, "ID", "TIME", "SIZE", "STATE"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, line, row.id(), row.time().truncatedTo(ChronoUnit.SECONDS), size(row.bytes()), row.state()));
        }
        return out.toString();
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
