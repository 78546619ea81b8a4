package bench.stasis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void renders_header_rule_with_right_aligned_figures_and_rows() {
        String table = new MarkdownTable("name", "ms").row("kryo", "12").render();

        assertThat(table).isEqualTo("| name | ms |\n| --- | ---: |\n| kryo | 12 |\n");
    }

    @Test
    void refuses_a_row_with_the_wrong_number_of_cells() {
        MarkdownTable table = new MarkdownTable("name", "ms");

        assertThatThrownBy(() -> table.row("kryo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 2 cells");
    }

    @Test
    void formats_with_a_decimal_point_whatever_the_locale() {
        assertThat(Reports.format(1234.5678, 2)).isEqualTo("1234.57");
    }
}
