package io.argus.jobs.config;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Parses {@code --option value} arguments against a list of typed options, and prints --help from
 * the same list. Boolean options may be given without a value ({@code --bounded}); map options
 * are repeatable {@code --kafka-property KEY=VALUE}; numbers and durations must lie in their
 * {@link OptionRanges range}. Errors name the option at fault.
 */
public final class CommandLine {

    /** The parsed options and the arguments that were not options (file names, say). */
    public record Parsed(Configuration config, List<String> positional, boolean help) {}

    private CommandLine() {}

    public static Parsed parse(String[] args, List<ConfigOption<?>> options) {
        Map<String, ConfigOption<?>> byKey = new HashMap<>();
        options.forEach(o -> byKey.put(o.key(), o));
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && byKey.containsKey(name.substring(0, eq))) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            ConfigOption<?> option = byKey.get(name);
            if (option == null) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            String value = inline;
            if (value == null) {
                boolean isFlag = isBoolean(option) && (i + 1 == args.length || args[i + 1].startsWith("--")
                        || !(args[i + 1].equals("true") || args[i + 1].equals("false")));
                if (isFlag) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
            }
            if (isMap(option)) {
                int sep = value.indexOf('=');
                if (sep <= 0) {
                    throw new IllegalArgumentException("option --" + name + " takes KEY=VALUE, got '" + value + "'");
                }
                // Flink reads a map option from prefixed keys: kafka-property.<key> = <value>
                values.put(name + "." + value.substring(0, sep), value.substring(sep + 1));
            } else {
                values.put(name, value);
            }
        }
        Configuration config = Configuration.fromMap(values);
        for (ConfigOption<?> option : options) {
            try {
                config.get(option);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "option --" + option.key() + ": cannot read '" + values.get(option.key()) + "' as "
                                + typeName(option) + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
            }
        }
        OptionRanges.check(config, options);
        return new Parsed(config, positional, help);
    }

    /** Fails with "option --NAME is required" unless every option has a value. */
    public static void require(Configuration conf, ConfigOption<?>... options) {
        for (ConfigOption<?> option : options) {
            if (!conf.contains(option) && !option.hasDefaultValue()) {
                throw new IllegalArgumentException("option --" + option.key() + " is required");
            }
        }
    }

    /** Prints one line per option: flag, type, default, description. */
    public static void printHelp(PrintStream out, String usage, String summary, List<ConfigOption<?>> options) {
        printHelp(out, usage, summary, options, Map.of());
    }

    /**
     * As {@link #printHelp(PrintStream, String, String, List)}, for a command that runs with other
     * defaults than the options' own: {@code defaults} holds the text shown as their default.
     */
    public static void printHelp(PrintStream out, String usage, String summary, List<ConfigOption<?>> options,
            Map<ConfigOption<?>, String> defaults) {
        out.println("usage: " + usage);
        out.println();
        out.println(summary);
        out.println();
        out.println("options:");
        for (ConfigOption<?> o : options) {
            String range = OptionRanges.describe(o);
            String shown = defaults.containsKey(o) ? defaults.get(o) : o.hasDefaultValue() ? defaultText(o) : null;
            String def = shown == null ? ""
                    : " (default: " + shown + (range == null ? "" : "; accepts " + range) + ")";
            out.printf("  --%-26s %s%s%n", o.key() + " <" + typeName(o) + ">", describe(o), def);
        }
        out.println("  --help                      this text");
    }

    private static String describe(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        for (BlockElement b : o.description().getBlocks()) {
            if (b instanceof TextElement t) {
                sb.append(t.getFormat());
            }
        }
        return sb.toString();
    }

    /** The default as --help shows it: durations in s or ms, an empty map as none. */
    public static String defaultText(ConfigOption<?> o) {
        Object d = o.defaultValue();
        if (d instanceof java.time.Duration duration) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
        }
        if (d instanceof Map<?, ?> m && m.isEmpty()) {
            return "none";
        }
        return String.valueOf(d);
    }

    private static String typeName(ConfigOption<?> o) {
        if (isMap(o)) {
            return "key=value";
        }
        Object d = o.hasDefaultValue() ? o.defaultValue() : "";
        if (d instanceof Boolean) {
            return "bool";
        }
        if (d instanceof Integer || d instanceof Long) {
            return "int";
        }
        if (d instanceof Double) {
            return "number";
        }
        if (d instanceof java.time.Duration) {
            return "duration";
        }
        if (d instanceof Enum<?> e) {
            return String.join("|", java.util.Arrays.stream(e.getDeclaringClass().getEnumConstants())
                    .map(Object::toString).toList());
        }
        return "string";
    }

    private static boolean isBoolean(ConfigOption<?> o) {
        return o.hasDefaultValue() && o.defaultValue() instanceof Boolean;
    }

    private static boolean isMap(ConfigOption<?> o) {
        return o.hasDefaultValue() && o.defaultValue() instanceof Map;
    }
}
