package io.argus.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.jobs.cli.ArgusCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The defaults the documentation states are the code's: every option line of
 * {@code docs/configuration.md} is the line the command's {@code --help} prints now, and a default
 * quoted in prose on the other pages ({@code `--top-k`, default 3}, {@code `--freeze all` (the
 * default)}) is the option's default in {@code argus job --help} (or the command that has it).
 */
class DocumentedDefaultsTest {

    private static final Path DOCS = Path.of("../../docs");
    private static final Pattern OPTION_LINE = Pattern.compile("^  --([a-z0-9-]+) <.*$");
    private static final Pattern DEFAULT = Pattern.compile("\\(default: ([^;)]+)");
    /** {@code `--key`, default X}, {@code `--key` ... (default X}, {@code `--key VALUE` (the default}. */
    private static final Pattern PROSE = Pattern.compile(
            "`--([a-z0-9-]+)(?: ([^`]+))?`(?:, default ([^.;,)\\s]+)|[^.;\\n`]{0,30}?\\(default ([^.;,)\\s]+)"
                    + "| \\(the default)");

    @Test
    void everyOptionLineOfConfigurationMdIsWhatTheCommandPrintsNow() throws Exception {
        Map<String, List<String>> sections = sections(Files.readString(DOCS.resolve("configuration.md")));
        assertThat(sections).containsKeys("job", "demo", "status", "replay", "evaluate", "models promote");
        for (Map.Entry<String, List<String>> s : sections.entrySet()) {
            List<String> live = optionLines(help(s.getKey()));
            assertThat(s.getValue()).as("options of argus %s in docs/configuration.md (bin/generate-config-docs "
                    + "writes them)", s.getKey()).containsExactlyElementsOf(live);
        }
    }

    @Test
    void everyDefaultQuotedInTheOtherPagesIsTheOptionsDefault() throws Exception {
        Map<String, String> defaults = new HashMap<>();
        for (String command : List.of("evaluate", "benchmark", "finetune", "replay", "status", "job")) {
            for (String line : optionLines(help(command))) {
                Matcher m = DEFAULT.matcher(line);
                Matcher key = OPTION_LINE.matcher(line);
                if (m.find() && key.matches()) {
                    defaults.put(key.group(1), m.group(1)); // the job's own defaults last, so they win
                }
            }
        }
        List<Path> pages = new ArrayList<>();
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md") && !p.endsWith("configuration.md")).forEach(pages::add);
        }
        pages.add(Path.of("../../README.md"));
        pages.add(Path.of("../../docker/README.md"));
        int quoted = 0;
        for (Path page : pages) {
            Matcher m = PROSE.matcher(Files.readString(page));
            while (m.find()) {
                String key = m.group(1);
                String stated = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(2);
                if (stated == null || !defaults.containsKey(key)) {
                    continue;
                }
                quoted++;
                assertThat(normalise(stated)).as("%s says the default of --%s is %s", page.getFileName(), key, stated)
                        .isEqualTo(normalise(defaults.get(key)));
            }
        }
        assertThat(quoted).as("defaults quoted in prose").isGreaterThanOrEqualTo(3);
    }

    /** The option lines of each command's code block, by command ({@code job} for the analytics job). */
    private static Map<String, List<String>> sections(String page) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String command = null;
        boolean inBlock = false;
        for (String line : page.split("\n")) {
            if (line.startsWith("## ")) {
                command = line.equals("## The analytics job") ? "job"
                        : line.startsWith("## argus ") ? line.substring("## argus ".length()) : null;
                continue;
            }
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock && command != null && OPTION_LINE.matcher(line).matches()) {
                out.computeIfAbsent(command, k -> new ArrayList<>()).add(line);
            }
        }
        return out;
    }

    private static List<String> optionLines(String help) {
        return help.lines().filter(l -> OPTION_LINE.matcher(l).matches()).toList();
    }

    /** What {@code argus COMMAND --help} prints. */
    private static String help(String command) throws IOException {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(ArgusCli.run(args.toArray(String[]::new), System.err)).as("argus %s --help", command).isZero();
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String normalise(String value) {
        return value.replace(" ", "").replace("`", "").toLowerCase(Locale.ROOT);
    }
}
