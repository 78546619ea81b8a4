package dev.stasis.agent.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTableTest {

    @Test
    void aligns_id_time_size_and_state_columns() {
        String table = SnapshotTable.format(List.of(
                new SnapshotTable.Row("20261126-0002", Instant.parse("2026-11-26T07:40:13.512Z"), 3_500_000, "resumable"),
                new SnapshotTable.Row("7", Instant.parse("2026-11-26T07:39:00Z"), 900, "corrupt: checksum mismatch at offset 512")));

        assertThat(table.split(System.lineSeparator())).containsExactly(
                "ID             TIME                     SIZE  STATE",
                "20261126-0002  2026-11-26T07:40:13Z  3.3 MiB  resumable",
                "7              2026-11-26T07:39:00Z    900 B  corrupt: checksum mismatch at offset 512");
    }

    @Test
    void sizes_use_binary_units() {
        assertThat(SnapshotTable.size(0)).isEqualTo("0 B");
        assertThat(SnapshotTable.size(1023)).isEqualTo("1023 B");
        assertThat(SnapshotTable.size(1024)).isEqualTo("1.0 KiB");
        assertThat(SnapshotTable.size(5L << 30)).isEqualTo("5.0 GiB");
    }
}
