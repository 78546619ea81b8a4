package bench.stasis.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearest_rank_of_one_to_two_hundred() {
        long[] shuffled = LongStream.rangeClosed(1, 200).map(i -> (i * 37) % 200 + 1).toArray();

        assertThat(Percentiles.of(shuffled)).isEqualTo(new Percentiles(200, 100, 198, 200));
    }

    @Test
    void a_small_sample_has_its_largest_value_as_p99() {
        assertThat(Percentiles.of(new long[] {5, 1, 3})).isEqualTo(new Percentiles(3, 3, 5, 5));
    }

    @Test
    void an_empty_sample_is_refused() {
        assertThatThrownBy(() -> Percentiles.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
