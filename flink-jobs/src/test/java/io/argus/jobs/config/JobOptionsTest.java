package io.argus.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * The job's options are composed from one class per component: every option a component declares
 * is in its {@code ALL} list and in {@link JobOptions#all()} exactly once, and no key is declared twice.
 */
class JobOptionsTest {

    @Test
    void everyComponentListsEachOfItsOptionsOnce() throws Exception {
        List<Class<?>> components = componentClasses();
        assertThat(components).extracting(Class::getSimpleName).contains("JobOptions", "KafkaOptions",
                "StateOptions", "StreamOptions", "VideoOptions", "AudioOptions", "InferenceOptions",
                "ModelTrustOptions", "IncidentOptions");
        for (Class<?> component : components) {
            List<ConfigOption<?>> declared = declaredOptions(component);
            assertThat(declared).as(component.getSimpleName()).isNotEmpty();
            assertThat(listed(component)).as(component.getSimpleName() + ".ALL")
                    .containsExactlyInAnyOrderElementsOf(declared);
        }
    }

    @Test
    void theJobTakesEveryComponentsOptionsAndEachKeyOnce() throws Exception {
        List<ConfigOption<?>> all = JobOptions.all();
        List<ConfigOption<?>> declared = new ArrayList<>();
        for (Class<?> component : componentClasses()) {
            declared.addAll(declaredOptions(component));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(all.stream().map(ConfigOption::key)).doesNotHaveDuplicates();
    }

    /** Every {@code *Options} class of this package, found among the compiled classes. */
    private static List<Class<?>> componentClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(JobOptions.class.getResource("JobOptions.class").toURI()).getParent();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.map(Path::getFileName).sorted().toList()) {
                String name = f.toString();
                if (name.endsWith("Options.class")) {
                    classes.add(Class.forName(JobOptions.class.getPackageName() + "."
                            + name.substring(0, name.length() - ".class".length())));
                }
            }
        }
        return classes;
    }

    private static List<ConfigOption<?>> declaredOptions(Class<?> component) throws IllegalAccessException {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : component.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                options.add((ConfigOption<?>) f.get(null));
            }
        }
        return options;
    }

    @SuppressWarnings("unchecked")
    private static List<ConfigOption<?>> listed(Class<?> component) throws ReflectiveOperationException {
        return (List<ConfigOption<?>>) component.getField("ALL").get(null);
    }
}
