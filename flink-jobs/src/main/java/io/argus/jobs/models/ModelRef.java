package io.argus.jobs.models;

import java.io.Serializable;

/**
 * What a model option names, parsed in one place: a measured signal ({@code motion-energy},
 * {@code loudness}), a package shipped in the jar ({@code bundled:NAME}), a registry's model
 * ({@code registry:NAME}, the version it serves, followed while the job runs, or
 * {@code registry:NAME@VERSION}, one version, kept), or a package directory (anything else).
 */
public sealed interface ModelRef extends Serializable {

    String BUNDLED = "bundled:";
    String REGISTRY = "registry:";

    /** The reference as the user wrote it. */
    String text();

    /** A measured signal: no package, no input spec. */
    record Signal(String name) implements ModelRef {
        @Override
        public String text() {
            return name;
        }
    }

    /** A package shipped in the jar. */
    record Bundled(String name) implements ModelRef {
        @Override
        public String text() {
            return BUNDLED + name;
        }
    }

    /** A registry's model: the version it serves when {@code version} is null, else that version. */
    record Registry(String name, String version) implements ModelRef {

        /** Whether the job follows the version served, swapping as it changes. */
        public boolean follows() {
            return version == null;
        }

        @Override
        public String text() {
            return REGISTRY + name + (version == null ? "" : "@" + version);
        }
    }

    /** A package directory. */
    record Directory(String path) implements ModelRef {
        @Override
        public String text() {
            return path;
        }
    }

    /**
     * Parses a model option; {@code signal} is the measured signal the option may name instead of a
     * model ({@code motion-energy} for actions, {@code loudness} for audio), or null when it takes
     * packages only.
     */
    static ModelRef parse(String text, String signal) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no model named: give bundled:NAME, registry:NAME[@VERSION], a "
                    + "package directory" + (signal == null ? "" : " or " + signal));
        }
        if (text.equals(signal)) {
            return new Signal(text);
        }
        if (text.startsWith(BUNDLED)) {
            String name = text.substring(BUNDLED.length());
            if (name.isEmpty()) {
                throw new IllegalArgumentException(text + ": no model name after '" + BUNDLED + "'");
            }
            return new Bundled(name);
        }
        if (text.startsWith(REGISTRY)) {
            String rest = text.substring(REGISTRY.length());
            int at = rest.indexOf('@');
            String name = at < 0 ? rest : rest.substring(0, at);
            if (name.isEmpty()) {
                throw new IllegalArgumentException(text + ": no model name after '" + REGISTRY + "'");
            }
            if (at == rest.length() - 1) {
                throw new IllegalArgumentException(text + ": no version after '@'");
            }
            return new Registry(name, at < 0 ? null : rest.substring(at + 1));
        }
        return new Directory(text);
    }

    /** {@link #parse} for the job option {@code option}, whose name its errors carry. */
    static ModelRef parseOption(String option, String text, String signal) {
        try {
            return parse(text, signal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option --" + option + ": " + e.getMessage(), e);
        }
    }
}
