package dev.stasis.agent.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writes_nested_objects_and_arrays_indented() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value("x").value(true).nullValue().beginObject().endObject().beginArray().endArray().endArray()
                .endObject().toString();

        assertThat(json).isEqualTo("{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    true,\n    null,\n    {},\n    []\n  ]\n}");
    }

    @Test
    void escapes_every_string_so_that_a_parser_reads_it_back_unchanged() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \0 del \u007f e\u0301 \u2028 😀 lone \ud800 end";

        String json = new JsonWriter().beginObject().name(nasty).value(nasty).endObject().toString();

        assertThat(json).matches("[\\x20-\\x7e\\n]*").as("ASCII only");
        JsonObject parsed = JsonParser.parseString(json).getAsJsonObject();
        assertThat(parsed.get(nasty).getAsString()).isEqualTo(nasty);
    }

    @Test
    void numbers_json_cannot_write_become_strings() {
        String json = new JsonWriter().beginArray().number("2.5").number("NaN").number("-Infinity").number("1.0E-9").endArray()
                .toString();

        JsonArray parsed = JsonParser.parseString(json).getAsJsonArray();
        assertThat(parsed.get(0).getAsDouble()).isEqualTo(2.5);
        assertThat(parsed.get(1).getAsString()).isEqualTo("NaN");
        assertThat(parsed.get(2).getAsString()).isEqualTo("-Infinity");
        assertThat(parsed.get(3).getAsDouble()).isEqualTo(1.0E-9);
    }
}
