package io.argus.tests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.argus.jobs.AnalyticsJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/development.md ("Layout and dependency direction"), checked on the
 * compiled main classes of every module (test classes and test jars left out), so that a
 * dependency against the direction fails the build instead of growing unseen.
 */
class ArchitectureTest {

    /** What the job jar's entry point runs: the pipeline, its options, the registry source, its metrics. */
    private static final String[] JOB = {"io.argus.jobs", "io.argus.jobs.config..", "io.argus.jobs.models..",
            "io.argus.jobs.metrics.."};

    /** The tools around the job: the command line, the demo, evaluation. */
    private static final String[] TOOLS = {"io.argus.jobs.cli..", "io.argus.jobs.demo..", "io.argus.jobs.eval.."};

    /** The classes of argus-wire (connectors/wire), whose packages it shares with connectors. */
    private static final DescribedPredicate<JavaClass> WIRE = from("argus-wire", "/connectors/wire/target/",
            "/argus-wire-");

    /** The classes of argus-media (connectors/media): FFmpeg helpers, segment cutting, replay, ingest. */
    private static final DescribedPredicate<JavaClass> MEDIA = from("argus-media", "/connectors/media/target/",
            "/argus-media-");

    /** The classes of argus-training (models/training): trainers, datasets, generated data, golden sets. */
    private static final DescribedPredicate<JavaClass> TRAINING = from("argus-training",
            "/models/training/target/", "/argus-training-");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ArchitectureTest::notATestJar)
                .importPackages("io.argus");
    }

    /**
     * Classes of a module that shares its packages with another, told apart by where they were
     * loaded from: the module's build folder, or its jar (not a package path, which both share).
     */
    private static DescribedPredicate<JavaClass> from(String module, String folder, String jar) {
        return DescribedPredicate.describe("in " + module, c -> c.getBaseComponentType().getSource()
                .map(source -> source.getUri().toString())
                .map(uri -> uri.contains(folder) || uri.contains(jar)).orElse(false));
    }

    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar");
    }

    @Test
    void everyModuleIsImported() {
        // a rule over no classes passes whatever the code does: make sure each module is there
        for (String pkg : new String[] {"io.argus.models", "io.argus.connectors", "io.argus.operators",
                "io.argus.jobs", "io.argus.testkit"}) {
            assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith(pkg))).as(pkg).isTrue();
        }
        assertThat(main.contain(AnalyticsJob.class)).isTrue();
        assertThat(main.stream().filter(WIRE::test).map(JavaClass::getSimpleName))
                .contains("MediaRecordFormat", "EventFormat", "DeadLetterFormat", "StatusFormat", "IncidentFormat",
                        "KafkaClientConfig");
        assertThat(main.stream().filter(MEDIA::test).map(JavaClass::getSimpleName))
                .contains("FFmpegErrors", "SegmentCutter", "ReplayProducer", "Ingest");
        assertThat(main.stream().filter(TRAINING::test).map(JavaClass::getSimpleName))
                .contains("AudioTrainer", "PoseActionTrainer", "FineTuning", "GoldenSets", "ActionRenderer");
    }

    @Test
    void theWireFormatsNeedOnlyJacksonAndTheKafkaClient() {
        check(noClasses().that(WIRE)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.bytedeco..", "ai.djl..",
                        "kafka..")
                .orShould().dependOnClassesThat(resideInAPackage("io.argus..").and(not(WIRE)))
                .because("a client of Argus' topics reads and writes them with argus-wire alone"));
    }

    @Test
    void mediaNeedsFFmpegAndTheKafkaClientButNoFlink() {
        check(noClasses().that(MEDIA)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "ai.djl..", "kafka..")
                .orShould().dependOnClassesThat(resideInAPackage("io.argus..").and(not(WIRE)).and(not(MEDIA)))
                .because("replay and ingest run beside a cluster, as plain Kafka producers of media records"));
    }

    @Test
    void theFlinkConnectorsUseNoFFmpeg() {
        check(noClasses().that().resideInAPackage("io.argus.connectors..").and(not(WIRE)).and(not(MEDIA))
                .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .orShould().dependOnClassesThat(MEDIA)
                .because("the Kafka sources and sinks carry media records as bytes; decoding is the operators' work"));
    }

    @Test
    void modelsKnowNothingOfFlinkKafkaOrTheModulesAbove() {
        check(noClasses().that().resideInAPackage("io.argus.models..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..",
                        "io.argus.connectors..", "io.argus.operators..", "io.argus.jobs..", "io.argus.testkit..")
                .because("models run wherever DJL runs: in training, the CLI and any operator"));
    }

    @Test
    void connectorsCarryNoModelsAndNoBroker() {
        check(noClasses().that().resideInAPackage("io.argus.connectors..")
                .should().dependOnClassesThat().resideInAnyPackage("io.argus.models..", "ai.djl..",
                        "io.argus.operators..", "io.argus.jobs..", "io.argus.testkit..", "kafka..")
                .because("a client of the wire formats must not pull in DJL, the PyTorch natives or the broker"));
    }

    @Test
    void operatorsUseNeitherTheJobNorTheTestKit() {
        check(noClasses().that().resideInAPackage("io.argus.operators..")
                .should().dependOnClassesThat().resideInAnyPackage("io.argus.jobs..", "io.argus.testkit..", "kafka..")
                .because("operators are wired by the job, never the other way round"));
    }

    @Test
    void theJobUsesNoToolAndNoTestKit() {
        check(noClasses().that().resideInAnyPackage(JOB)
                .should().dependOnClassesThat().resideInAnyPackage(TOOLS)
                .orShould().dependOnClassesThat().resideInAnyPackage("io.argus.testkit..", "kafka..")
                .because("the job jar runs on a Flink cluster, where neither the tools' classes nor the broker are"));
    }

    @Test
    void nothingTheJobRunsUsesTheTrainingCode() {
        check(noClasses().that(not(TRAINING)).and().resideOutsideOfPackages(TOOLS)
                .and().resideOutsideOfPackage("io.argus.testkit..")
                .should().dependOnClassesThat(TRAINING)
                .because("the job, its operators and connectors run models; only the tools and the test kit make them"));
    }

    @Test
    void onlyTheToolsUseTheTestKit() {
        String[] mayUse = new String[TOOLS.length + 1];
        System.arraycopy(TOOLS, 0, mayUse, 0, TOOLS.length);
        mayUse[TOOLS.length] = "io.argus.testkit..";
        check(noClasses().that().resideOutsideOfPackages(mayUse)
                .should().dependOnClassesThat().resideInAPackage("io.argus.testkit..")
                .because("the test kit (embedded broker, generated footage) is not in the job jar"));
    }

    private static void check(ArchRule rule) {
        rule.check(main);
    }
}
