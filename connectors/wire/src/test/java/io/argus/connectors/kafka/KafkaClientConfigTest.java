package io.argus.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    @Test
    void passesEveryPropertyToClientsAndMasksSecretsInLogs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.jaas.config=secret stuff\n"
                + "ssl.truststore.password=hunter2\nssl.truststore.location=/etc/ts.jks\n");
        KafkaClientConfig c = new KafkaClientConfig("b:9092", Map.of("client.rack", "r1")).withPropertiesFile(file);

        assertThat(c.toProperties())
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("client.rack", "r1")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "secret stuff");
        assertThat(c.toString())
                .contains("security.protocol=SASL_SSL", "ssl.truststore.location=/etc/ts.jks")
                .doesNotContain("secret stuff", "hunter2");
    }

    @Test
    void masksEveryKindOfSecretButNotWhereTheyAre() {
        KafkaClientConfig c = KafkaClientConfig.of("b:9093")
                .with("security.protocol", "SASL_SSL")
                .with("sasl.mechanism", "SCRAM-SHA-512")
                .with("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"argus\" password=\"pw-jaas\";")
                .with("ssl.truststore.password", "pw-trust")
                .with("ssl.keystore.password", "pw-keys")
                .with("ssl.key.password", "pw-key")
                .with("SSL.KEYSTORE.PASSWORD", "pw-upper")
                .with("sasl.oauthbearer.client.secret", "pw-oauth")
                .with("ssl.keystore.location", "/etc/ks.p12")
                .with("ssl.keystore.type", "PKCS12");

        assertThat(c.toString())
                .contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                        "ssl.keystore.location=/etc/ks.p12", "ssl.keystore.type=PKCS12", "sasl.jaas.config=******")
                .doesNotContain("pw-", "ScramLoginModule", "argus");
    }

    @Test
    void namesTheBadSetting(@TempDir Path dir) {
        assertThatThrownBy(() -> KafkaClientConfig.of(" ")).hasMessageContaining("bootstrap-servers");
        assertThatThrownBy(() -> KafkaClientConfig.of("b:1").withPropertiesFile(dir.resolve("missing")))
                .hasMessageContaining("kafka-properties-file");
    }
}
