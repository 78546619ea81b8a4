package dev.stasis.runtime.internal.snapshot.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

class BoundedInputTest {
    private static BoundedInput over(byte[] payload) {
        return new BoundedInput(new ByteArrayInputStream(payload), 64, payload.length);
    }

    @Test
    void claims_within_the_payload_pass_and_their_sum_may_not_exceed_it() {
        BoundedInput input = over(new byte[100]);

        input.claim(60, "a list");
        input.claim(40, "a map");

        assertThatThrownBy(() -> input.claim(1, "a string"))
                .isInstanceOf(RefusedReadException.class)
                .hasMessage("the arrays, collections and strings read so far claim 101 elements in all, more than the 100"
                        + " data bytes could hold");
    }

    @Test
    void a_claim_larger_than_the_bytes_left_is_refused_however_little_was_claimed_before() {
        BoundedInput input = over(new byte[100]);
        input.readBytes(30);

        assertThatThrownBy(() -> input.claim(71, "an array of java.lang.Object"))
                .isInstanceOf(RefusedReadException.class)
                .hasMessage("an array of java.lang.Object claims 71 elements, more than the 70 bytes of data left could hold");
    }

    @Test
    void a_negative_claim_is_refused_rather_than_taken_off_the_sum() {
        BoundedInput input = over(new byte[100]);

        assertThatThrownBy(() -> input.claim(-5, "a list")).hasMessage("a list claims -5 elements");
    }

    @Test
    void peeking_a_length_does_not_consume_it() {
        Output out = new Output(16);
        out.writeVarInt(300, true);
        out.writeVarInt(Integer.MAX_VALUE, true);
        BoundedInput input = over(out.toBytes());

        assertThat(input.peekVarInt()).isEqualTo(300);
        assertThat(input.readVarInt(true)).isEqualTo(300);
        assertThat(input.peekVarInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(input.readVarInt(true)).isEqualTo(Integer.MAX_VALUE);
        assertThat(input.peekVarInt()).as("nothing left").isEqualTo(-1);
    }

    @Test
    void a_utf8_string_claims_its_character_count_before_the_reader_allocates_for_it() {
        Output out = new Output(16);
        out.writeVarIntFlag(true, 1_000_001, true);
        BoundedInput input = over(out.toBytes());

        assertThatThrownBy(input::readString)
                .isInstanceOf(RefusedReadException.class)
                .hasMessage("a string claims 1000000 elements, more than the 3 bytes of data left could hold");
    }

    @Test
    void strings_read_back_as_written() {
        Output out = new Output(64);
        out.writeString("plain ascii");
        out.writeString("\u00fcmlaut \u00e9t\u00e9");
        out.writeString(null);
        out.writeString("");
        BoundedInput input = over(out.toBytes());

        assertThat(input.readString()).isEqualTo("plain ascii");
        assertThat(input.readString()).isEqualTo("\u00fcmlaut \u00e9t\u00e9");
        assertThat(input.readString()).isNull();
        assertThat(input.readString()).isEmpty();
    }

    @Test
    void bulk_reads_claim_their_length() {
        BoundedInput input = over(new byte[16]);

        assertThatThrownBy(() -> input.readLongs(1 << 30))
                .hasMessage("a long array claims 1073741824 elements, more than the 16 bytes of data left could hold");
    }
}
