package dev.stasis.agent.options;

import dev.stasis.agent.AgentOptions;
import dev.stasis.agent.AgentOptions.TermAction;
import dev.stasis.agent.AgentOptionsException;
import dev.stasis.runtime.ChangedInputs;
import dev.stasis.runtime.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {
    private static final Path CWD = Path.of("/work/app");

    private static AgentOptions parse(String text) throws AgentOptionsException {
        return AgentOptions.parse(text, CWD);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", ",", ",,"})
    void no_options_means_every_default(String text) throws Exception {
        AgentOptions o = parse(text);
        assertThat(o.directory()).isEqualTo(Path.of("/work/app/.stasis"));
        assertThat(o.restore()).isEqualTo("auto");
        assertThat(o.interval()).isNull();
        assertThat(o.onTerm()).isEqualTo(TermAction.EXIT);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.keep()).isEqualTo(3);
        assertThat(o.include()).isEmpty();
        assertThat(o.exclude()).isEmpty();
        assertThat(o.compression()).isEqualTo(Compression.NONE);
        assertThat(o.key()).as("unsigned snapshots unless a key is given").isNull();
        assertThat(o.changedInputs()).as("a changed input file stops a resume").isEqualTo(ChangedInputs.REFUSE);
    }

    @ParameterizedTest
    @CsvSource({"refuse,REFUSE", "accept,ACCEPT"})
    void changed_inputs_is_refuse_or_accept(String value, ChangedInputs expected) throws Exception {
        assertThat(parse("changedInputs=" + value).changedInputs()).isEqualTo(expected);
    }

    @Test
    void changed_inputs_other_than_refuse_or_accept_is_refused() {
        assertThatThrownBy(() -> parse("changedInputs=ignore"))
                .hasMessage("bad value for option 'changedInputs' in -javaagent options: 'ignore' is neither refuse nor accept;"
                        + " e.g. changedInputs=accept");
    }

    @ParameterizedTest
    @CsvSource({"lz4,LZ4", "none,NONE"})
    void compress_is_lz4_or_none(String value, Compression expected) throws Exception {
        assertThat(parse("compress=" + value).compression()).isEqualTo(expected);
    }

    @Test
    void compress_other_than_lz4_or_none_is_refused() {
        assertThatThrownBy(() -> parse("compress=zstd"))
                .hasMessage("bad value for option 'compress' in -javaagent options: 'zstd' is neither lz4 nor none; e.g. compress=lz4");
    }

    @Test
    void key_is_a_path_resolved_against_the_working_directory() throws Exception {
        assertThat(parse("key=secrets/job.key").key()).isEqualTo(Path.of("/work/app/secrets/job.key"));
        assertThat(parse("key=/etc/stasis/job.key").key()).isEqualTo(Path.of("/etc/stasis/job.key"));
    }

    @Test
    void key_that_is_not_a_path_is_refused() {
        assertThatThrownBy(() -> parse("key=a\u0000b"))
                .hasMessageStartingWith("bad value for option 'key' in -javaagent options: 'a\u0000b' is not a usable path")
                .hasMessageEndingWith("; e.g. key=/etc/stasis/myjob.key");
    }

    @Test
    void dir_relative_is_resolved_against_the_working_directory() throws Exception {
        assertThat(parse("dir=snaps/job1").directory()).isEqualTo(Path.of("/work/app/snaps/job1"));
    }

    @Test
    void dir_absolute_is_taken_as_is() throws Exception {
        assertThat(parse("dir=/var/lib/myjob").directory()).isEqualTo(Path.of("/var/lib/myjob"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "never", "latest", "20261126-073214-000001", "snap_1.a"})
    void restore_accepts_modes_and_snapshot_ids(String value) throws Exception {
        assertThat(parse("restore=" + value).restore()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "5m,300000", "1h,3600000"})
    void interval_takes_a_number_and_a_unit(String value, long millis) throws Exception {
        assertThat(parse("interval=" + value).interval()).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void timeout_takes_a_duration() throws Exception {
        assertThat(parse("timeout=250ms").timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void onterm_checkpoint_and_exit() throws Exception {
        assertThat(parse("onterm=checkpoint").onTerm()).isEqualTo(TermAction.CHECKPOINT);
        assertThat(parse("onterm=exit").onTerm()).isEqualTo(TermAction.EXIT);
    }

    @Test
    void keep_takes_a_positive_count() throws Exception {
        assertThat(parse("keep=1").keep()).isEqualTo(1);
        assertThat(parse("keep=12").keep()).isEqualTo(12);
    }

    @Test
    void include_and_exclude_split_on_semicolon_or_bar_into_internal_prefixes() throws Exception {
        AgentOptions o = parse("include=com.acme;org.example.job|net.x,exclude=com.acme.generated");
        assertThat(o.include()).containsExactly("com/acme", "org/example/job", "net/x");
        assertThat(o.exclude()).containsExactly("com/acme/generated");
    }

    @Test
    void several_options_combine_and_tolerate_spaces() throws Exception {
        AgentOptions o = parse("dir=/d, restore=never ,interval=1m,onterm=checkpoint,timeout=2s,keep=5,compress=lz4,key=/k,rebind=false");
        assertThat(o).isEqualTo(new AgentOptions(Path.of("/d"), "never", Duration.ofMinutes(1), TermAction.CHECKPOINT,
                Duration.ofSeconds(2), 5, List.of(), List.of(), Compression.LZ4, Path.of("/k"), false));
    }

    @Test
    void rebind_is_on_by_default_and_takes_only_true_or_false() throws Exception {
        assertThat(parse("").rebind()).isTrue();
        assertThat(parse("rebind=true").rebind()).isTrue();
        assertThat(parse("rebind=false").rebind()).isFalse();
        assertThatThrownBy(() -> parse("rebind=no")).isInstanceOf(AgentOptionsException.class)
                .hasMessage("bad value for option 'rebind' in -javaagent options: 'no' is neither true nor false; e.g. rebind=false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo=1", "foo", "di=x", "Dir=x", "=x", "verbose=true"})
    void unknown_option_names_it_and_lists_the_valid_ones(String text) {
        String key = text.contains("=") ? text.substring(0, text.indexOf('=')) : text;
        assertThatThrownBy(() -> parse("keep=2," + text))
                .isInstanceOf(AgentOptionsException.class)
                .hasMessage("unknown option '" + key + "' in -javaagent options; valid options: "
                        + "dir, restore, interval, onterm, timeout, keep, include, exclude, compress, key, rebind, changedInputs, engine, criu");
    }

    @Test
    void option_given_twice_is_refused() {
        assertThatThrownBy(() -> parse("keep=2,keep=3"))
                .hasMessage("option 'keep' is given twice in -javaagent options; give it once, e.g. keep=3");
    }

    @ParameterizedTest
    @CsvSource({"dir,dir=/var/lib/myjob", "restore,restore=never", "interval,interval=30s", "onterm,onterm=checkpoint",
            "timeout,timeout=10s", "keep,keep=3", "include,include=com.acme;org.example.job", "exclude,exclude=com.acme.generated",
            "compress,compress=lz4", "key,key=/etc/stasis/myjob.key", "rebind,rebind=false", "changedInputs,changedInputs=accept"})
    void option_without_value_is_refused_with_an_example(String key, String example) {
        assertThatThrownBy(() -> parse(key)).hasMessage("option '" + key + "' in -javaagent options has no value; e.g. " + example);
        assertThatThrownBy(() -> parse(key + "=")).hasMessage("option '" + key + "' in -javaagent options has no value; e.g. " + example);
    }

    @Test
    void dir_that_is_not_a_path_is_refused() {
        assertThatThrownBy(() -> parse("dir=a\u0000b"))
                .hasMessageStartingWith("bad value for option 'dir' in -javaagent options: 'a\u0000b' is not a usable path")
                .hasMessageEndingWith("; e.g. dir=/var/lib/myjob");
    }

    @Test
    void restore_that_is_no_mode_or_id_is_refused() {
        assertThatThrownBy(() -> parse("restore=../x"))
                .hasMessage("bad value for option 'restore' in -javaagent options: '../x' is neither auto, never, latest "
                        + "nor a snapshot id (letters, digits, '.', '_', '-'); e.g. restore=never");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "5 min", "1d", "-5s", "1.5s", "s"})
    void interval_without_a_known_unit_is_refused(String value) {
        assertThatThrownBy(() -> parse("interval=" + value))
                .hasMessage("bad value for option 'interval' in -javaagent options: '" + value
                        + "' is not a duration; write a number and a unit: 500ms, 30s, 5m or 1h; e.g. interval=30s");
    }

    @Test
    void zero_timeout_is_refused() {
        assertThatThrownBy(() -> parse("timeout=0s"))
                .hasMessage("bad value for option 'timeout' in -javaagent options: '0s' is zero; the duration must be positive, "
                        + "e.g. 30s; e.g. timeout=10s");
    }

    @Test
    void onterm_other_than_checkpoint_or_exit_is_refused() {
        assertThatThrownBy(() -> parse("onterm=ignore"))
                .hasMessage("bad value for option 'onterm' in -javaagent options: 'ignore' is neither checkpoint nor exit; "
                        + "e.g. onterm=checkpoint");
    }

    @Test
    void keep_that_is_not_a_number_is_refused() {
        assertThatThrownBy(() -> parse("keep=all"))
                .hasMessage("bad value for option 'keep' in -javaagent options: 'all' is not a whole number; e.g. keep=3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void keep_below_one_is_refused(String value) {
        assertThatThrownBy(() -> parse("keep=" + value))
                .hasMessage("bad value for option 'keep' in -javaagent options: " + value
                        + " keeps no snapshot to resume from; it must be at least 1; e.g. keep=3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"com/acme", "com..acme", "1com", "com.acme.", "com acme"})
    void include_that_is_not_a_package_prefix_is_refused(String value) {
        assertThatThrownBy(() -> parse("include=" + value))
                .hasMessage("bad value for option 'include' in -javaagent options: '" + value + "' is not a package prefix "
                        + "(Java names separated by dots; several separated by ';' or '|'); e.g. include=com.acme;org.example.job");
    }

    @Test
    void exclude_with_only_separators_is_refused() {
        assertThatThrownBy(() -> parse("exclude=;|"))
                .hasMessage("bad value for option 'exclude' in -javaagent options: no package prefix given; e.g. exclude=com.acme.generated");
    }

    @Test
    void engine_defaults_to_portable_and_takes_criu_or_crac() throws Exception {
        assertThat(parse("").engine()).isEqualTo(AgentOptions.Engine.PORTABLE);
        assertThat(parse("engine=portable").engine()).isEqualTo(AgentOptions.Engine.PORTABLE);
        assertThat(parse("engine=criu").engine()).isEqualTo(AgentOptions.Engine.CRIU);
        assertThat(parse("engine=crac").engine()).isEqualTo(AgentOptions.Engine.CRAC);
    }

    @Test
    void an_unknown_engine_is_refused_with_the_valid_ones() {
        assertThatThrownBy(() -> parse("engine=docker"))
                .isInstanceOf(AgentOptionsException.class)
                .hasMessage("bad value for option 'engine' in -javaagent options: 'docker' is none of portable, criu, crac; "
                        + "e.g. engine=criu");
    }

    @Test
    void criu_is_a_path_resolved_against_the_working_directory_or_a_name_looked_up_later() throws Exception {
        assertThat(parse("criu=/opt/criu/bin/criu").criu()).isEqualTo("/opt/criu/bin/criu");
        assertThat(parse("criu=bin/criu").criu()).isEqualTo(CWD.resolve("bin/criu").toString());
        assertThat(parse("criu=criu-4").criu()).isEqualTo("criu-4");
    }
}
