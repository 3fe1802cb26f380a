package io.argus.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static Configuration parse(String... args) {
        return CommandLine.parse(args, JobOptions.all()).config();
    }

    @Test
    void typedOptionsWithDefaults() {
        Configuration c = parse("--bootstrap-servers", "k1:9092,k2:9092", "--video-fps=5", "--checkpoint-interval",
                "2 s", "--delivery-guarantee", "AT_LEAST_ONCE");
        assertThat(c.get(KafkaOptions.BOOTSTRAP_SERVERS)).isEqualTo("k1:9092,k2:9092");
        assertThat(c.get(VideoOptions.FPS)).isEqualTo(5.0);
        assertThat(c.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(JobOptions.DELIVERY_GUARANTEE)).isEqualTo(JobOptions.Guarantee.AT_LEAST_ONCE);
        assertThat(c.get(KafkaOptions.EVENTS_TOPIC)).isEqualTo("argus.events");
        assertThat(c.get(JobOptions.BOUNDED)).isFalse();
    }

    @Test
    void booleanFlagsNeedNoValue() {
        assertThat(parse("--bounded").get(JobOptions.BOUNDED)).isTrue();
        assertThat(parse("--bounded", "--parallelism", "3").get(JobOptions.BOUNDED)).isTrue();
        assertThat(parse("--audio", "false").get(AudioOptions.ENABLED)).isFalse();
        assertThat(parse("--bounded=false").get(JobOptions.BOUNDED)).isFalse();
        CommandLine.Parsed p = CommandLine.parse(new String[] {"--bounded", "file.mkv"}, JobOptions.all(),
                CommandLine.Arguments.upTo(1, "FILE"));
        assertThat(p.config().get(JobOptions.BOUNDED)).isTrue();
        assertThat(p.positional()).containsExactly("file.mkv");
    }

    @Test
    void argumentsACommandDoesNotTakeAreRefusedNotIgnored() {
        assertThatThrownBy(() -> parse("stray-arg")).hasMessage("unexpected argument 'stray-arg' (see --help)");
        assertThatThrownBy(() -> parse("--bounded", "maybe")).hasMessage(
                "unexpected argument 'maybe': --bounded takes true, false or no value (see --help)");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--bounded", "maybe", "file.mkv"}, JobOptions.all(),
                CommandLine.Arguments.upTo(1, "FILE"))).hasMessage(
                "unexpected argument 'file.mkv'; 'maybe' after --bounded was read as an argument (--bounded takes "
                        + "true, false or no value; see --help)");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"a.mkv", "b.mkv"}, JobOptions.all(),
                CommandLine.Arguments.upTo(1, "FILE"))).hasMessage("unexpected argument 'b.mkv' (see --help)");
    }

    @Test
    void aLaterValueReplacesAnEarlierOneAndValuesMayLookLikeFlags() {
        assertThat(parse("--parallelism", "2", "--parallelism", "3").get(JobOptions.PARALLELISM)).isEqualTo(3);
        assertThat(parse("--job-name", "-x-").get(JobOptions.JOB_NAME)).isEqualTo("-x-");
        assertThat(parse("--job-name", "@not-a-file").get(JobOptions.JOB_NAME)).isEqualTo("@not-a-file");
        assertThatThrownBy(() -> parse("--job-name", "--bounded")).hasMessage("option --job-name needs a value");
    }

    @Test
    void kafkaPropertiesRepeatAndKeepSeparatorsInValues() {
        Configuration c = parse("--kafka-property", "security.protocol=SASL_SSL", "--kafka-property",
                "sasl.jaas.config=org.Foo required user=\"a,b\" pass=\"x:y\";");
        Map<String, String> props = KafkaOptions.clientConfig(c).properties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "org.Foo required user=\"a,b\" pass=\"x:y\";");
    }

    @Test
    void errorsNameTheOption() {
        assertThatThrownBy(() -> parse("--nope", "1")).hasMessage("unknown option --nope (see --help)");
        assertThatThrownBy(() -> parse("--nope=1")).hasMessage("unknown option --nope (see --help)");
        assertThatThrownBy(() -> parse("--paralelism", "2"))
                .hasMessage("unknown option --paralelism (did you mean --parallelism? see --help)");
        assertThatThrownBy(() -> parse("--parallelism", "two")).hasMessageStartingWith("option --parallelism:");
        assertThatThrownBy(() -> parse("--delivery-guarantee", "maybe"))
                .hasMessageStartingWith("option --delivery-guarantee:");
        assertThatThrownBy(() -> parse("--video-fps")).hasMessage("option --video-fps needs a value");
        assertThatThrownBy(() -> parse("--kafka-property", "novalue")).hasMessageContaining("KEY=VALUE");
    }

    @Test
    void numbersOutsideTheirRangeAreRefusedWithTheRange() {
        assertThatThrownBy(() -> parse("--parallelism", "0"))
                .hasMessage("option --parallelism: 0 is out of range (at least 1 or -1)");
        assertThatThrownBy(() -> parse("--video-fps", "0"))
                .hasMessage("option --video-fps: 0.0 is out of range (0.1 to 120)");
        assertThatThrownBy(() -> parse("--motion-threshold", "1"))
                .hasMessage("option --motion-threshold: 1.0 is out of range (above 0 and below 1)");
        assertThatThrownBy(() -> parse("--idle-flush", "0 ms"))
                .hasMessage("option --idle-flush: 0 ms is out of range (1 ms to 1 h)");
        assertThat(parse("--parallelism", "-1", "--checkpoint-interval", "0", "--video-channels", "3")
                .get(VideoOptions.CHANNELS)).isEqualTo(3);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine.printHelp(new PrintStream(out, true, StandardCharsets.UTF_8), "u", "s", JobOptions.all());
        String help = out.toString(StandardCharsets.UTF_8);
        for (ConfigOption<?> o : JobOptions.all()) {
            assertThat(help).contains("--" + o.key() + " <");
        }
        assertThat(help).contains("(default: 10 s; accepts at least 10 ms or 0 ms)")
                .contains("EXACTLY_ONCE|AT_LEAST_ONCE|NONE");
        assertThat(CommandLine.parse(new String[] {"--help"}, JobOptions.all()).help()).isTrue();
    }

    @Test
    void theConfigurationPageDocumentsEveryJobOption() throws Exception {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/configuration.md"));
        for (ConfigOption<?> o : JobOptions.all()) {
            assertThat(page).as("docs/configuration.md").contains("--" + o.key() + " <");
        }
    }
}
