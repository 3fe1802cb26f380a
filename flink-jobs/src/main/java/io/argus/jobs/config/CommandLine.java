package io.argus.jobs.config;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Parses {@code --option value} arguments against a list of typed options, and prints --help from
 * the same list. The tokens are read by picocli, from a command spec built from the options
 * themselves (so each option is declared once, as a Flink {@link ConfigOption}, with its name,
 * type, default and description); the values are then read by Flink's configuration and checked
 * against their {@link OptionRanges range}. Boolean options may be given without a value
 * ({@code --bounded}) or with {@code true}/{@code false}; map options are repeatable
 * {@code --kafka-property KEY=VALUE}; a later value of an option replaces an earlier one. Arguments
 * that are not options are refused unless the command takes them ({@link Arguments}). Errors name
 * the option or argument at fault, as the user typed it.
 */
public final class CommandLine {

    /** The parsed options and the arguments that were not options (file names, say). */
    public record Parsed(Configuration config, List<String> positional, boolean help) {}

    /** The arguments a command takes besides its options: at most {@code max}, shown as {@code label}. */
    public record Arguments(int max, String label) {

        /** No arguments: only options. */
        public static final Arguments NONE = new Arguments(0, "");

        public static Arguments upTo(int max, String label) {
            return new Arguments(max, label);
        }
    }

    private CommandLine() {}

    /** Parses a command line of options only: any other argument is an error. */
    public static Parsed parse(String[] args, List<ConfigOption<?>> options) {
        return parse(args, options, Arguments.NONE);
    }

    public static Parsed parse(String[] args, List<ConfigOption<?>> options, Arguments arguments) {
        CommandSpec spec = spec(options, arguments);
        ParseResult result;
        try {
            result = new picocli.CommandLine(spec).parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(message(e, args, options), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : options) {
            OptionSpec o = spec.findOption("--" + option.key());
            if (!result.hasMatchedOption(o)) {
                continue;
            }
            if (isMap(option)) {
                for (String entry : result.matchedOptionValue(o.longestName(), List.<String>of())) {
                    int sep = entry.indexOf('=');
                    if (sep <= 0) {
                        throw new IllegalArgumentException("option --" + option.key() + " takes KEY=VALUE, got '"
                                + entry + "'");
                    }
                    // Flink reads a map option from prefixed keys: kafka-property.<key> = <value>
                    values.put(option.key() + "." + entry.substring(0, sep), entry.substring(sep + 1));
                }
            } else {
                values.put(option.key(), String.valueOf((Object) result.matchedOptionValue(o.longestName(), null)));
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
        List<String> positional = result.matchedPositionals().isEmpty() ? List.of()
                : result.matchedPositionalValue(0, List.<String>of());
        return new Parsed(config, List.copyOf(positional), result.isUsageHelpRequested());
    }

    /**
     * The picocli spec of a command: one option per Flink option, booleans with an optional
     * {@code true}/{@code false}, maps repeatable; values stay text until Flink reads them.
     */
    private static CommandSpec spec(List<ConfigOption<?>> options, Arguments arguments) {
        CommandSpec spec = CommandSpec.create();
        spec.parser().overwrittenOptionsAllowed(true).expandAtFiles(false);
        spec.addOption(OptionSpec.builder("--help", "-h").usageHelp(true).build());
        for (ConfigOption<?> option : options) {
            OptionSpec.Builder o = OptionSpec.builder("--" + option.key()).paramLabel("<" + typeName(option) + ">");
            if (isBoolean(option)) {
                o.type(Boolean.class).arity("0..1");
            } else if (isMap(option)) {
                o.type(List.class).auxiliaryTypes(String.class).arity("1");
            } else {
                o.type(String.class).arity("1");
            }
            spec.addOption(o.build());
        }
        if (arguments.max() > 0) {
            // positions 0 to max-1, each optional (the command says which it needs); any further is unmatched
            spec.addPositional(PositionalParamSpec.builder().paramLabel(arguments.label()).type(List.class)
                    .auxiliaryTypes(String.class).index("0.." + (arguments.max() - 1)).arity("1").required(false)
                    .build());
        }
        return spec;
    }

    /** picocli's complaint in the words of the other errors: the option or argument as typed, and what to do. */
    private static String message(ParameterException e, String[] args, List<ConfigOption<?>> options) {
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec o) {
            return "option " + o.longestName() + " needs a value";
        }
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (arg.startsWith("-") && !arg.matches("-\\d.*")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                List<String> near = unmatched.getSuggestions();
                return "unknown option " + name + (near.isEmpty() || near.size() > 3 ? " (see --help)"
                        : " (did you mean " + String.join(" or ", near) + "? see --help)");
            }
            int after = argumentAfterFlag(args, options);
            if (after < 0) {
                return "unexpected argument '" + arg + "' (see --help)";
            }
            String flag = args[after - 1];
            if (args[after].equals(arg)) {
                return "unexpected argument '" + arg + "': " + flag + " takes true, false or no value (see --help)";
            }
            return "unexpected argument '" + arg + "'; '" + args[after] + "' after " + flag + " was read as an "
                    + "argument (" + flag + " takes true, false or no value; see --help)";
        }
        return e.getMessage() + " (see --help)";
    }

    /** The index of the first argument that is read as an argument but follows a boolean flag, or -1. */
    private static int argumentAfterFlag(String[] args, List<ConfigOption<?>> options) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("-") || args[i].equalsIgnoreCase("true") || args[i].equalsIgnoreCase("false")) {
                continue;
            }
            for (ConfigOption<?> o : options) {
                if (isBoolean(o) && args[i - 1].equals("--" + o.key())) {
                    return i;
                }
            }
        }
        return -1;
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
