package io.argus.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.argus.models.packaging.ModelSigning;
import io.argus.models.packaging.ModelTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Which model packages are trusted: declared once, for the job and for the registry commands that
 * must refuse what the jobs would refuse.
 */
public final class ModelTrustOptions {

    public static final ConfigOption<List<String>> TRUSTED_DIRS = key("model-trusted-dirs")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Directories model packages must lie in (separated by ';'). Unset: packages of DJL "
                    + "parameters load from any directory, and packages holding TorchScript (a program the task "
                    + "managers would run) are refused. Bundled models are always accepted; a registry is a "
                    + "location the jobs' own configuration names, so for what it holds only --model-public-key "
                    + "applies.");

    public static final ConfigOption<String> PUBLIC_KEY = key("model-public-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Ed25519 public key (PEM) that must have signed every model package directory "
                    + "(argus models sign). Unset: no signature required. Read once, when the job is built or "
                    + "the command starts.");

    /** These options, in --help order. */
    public static final List<ConfigOption<?>> ALL = List.of(TRUSTED_DIRS, PUBLIC_KEY);

    private ModelTrustOptions() {}

    /** The trust these options give; a key file that cannot be read is an error naming the option. */
    public static ModelTrust trust(Configuration conf) {
        List<Path> dirs = conf.getOptional(TRUSTED_DIRS).orElse(List.of()).stream().map(Path::of).toList();
        PublicKey key = null;
        String keyFile = conf.get(PUBLIC_KEY);
        if (keyFile != null) {
            try {
                key = ModelSigning.readPublicKey(Path.of(keyFile));
            } catch (IOException e) {
                throw new IllegalArgumentException("option --" + PUBLIC_KEY.key() + ": " + e.getMessage(), e);
            }
        }
        return ModelTrust.of(dirs, key);
    }
}
