package io.argus.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.models.classify.Classification;
import io.argus.models.classify.Classifier;
import io.argus.models.classify.ModelInfo;
import io.argus.models.input.FrameWindow;
import io.argus.models.packaging.InvalidModelPackageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decisions of hot reload, without a harness or a thread: which version a check loads, which
 * it reports refused, when it falls back, and what it records with the source.
 */
class VersionCheckTest {

    /** A registry in memory: the version it names, its fallbacks, its shadow and its refusals. */
    private static final class Source implements ModelSource<FrameWindow> {
        private static final long serialVersionUID = 1L;
        String serving = "1";
        List<String> fallbacks = List.of();
        String shadow;
        boolean unreadable;
        final Map<String, String> refused = new HashMap<>();
        final List<String> loaded = new ArrayList<>();

        @Override
        public String describe() {
            return "registry:test";
        }

        @Override
        public boolean watched() {
            return true;
        }

        @Override
        public String serving() throws IOException {
            if (unreadable) {
                throw new IOException("registry unreachable");
            }
            return serving;
        }

        @Override
        public List<String> fallbacks() {
            return fallbacks;
        }

        @Override
        public String shadow() throws IOException {
            if (unreadable) {
                throw new IOException("registry unreachable");
            }
            return shadow;
        }

        @Override
        public String refusal(String version) {
            return refused.get(version);
        }

        @Override
        public void refuse(String version, String reason, String by) {
            refused.put(version, reason + " (" + by + ")");
        }

        @Override
        public Classifier<FrameWindow> load(String version) throws Exception {
            loaded.add(version);
            if (version.startsWith("bad")) {
                throw new InvalidModelPackageException("registry:test@" + version, "weights.params is cut short");
            }
            if (version.startsWith("io")) {
                throw new IOException("disk full");
            }
            return new Classifier<>() {
                @Override
                public ModelInfo info() {
                    return new ModelInfo("m", version, List.of("a", "b"));
                }

                @Override
                public List<Classification> classify(List<FrameWindow> batch) {
                    return List.of();
                }
            };
        }
    }

    private final Source source = new Source();
    private final VersionCheck<FrameWindow> check = new VersionCheck<>(source, "job operator classify-action subtask 0");

    @Test
    void nothingIsLoadedWhileTheNamedVersionServesAndANewOneIsLoadedBesideIt() {
        assertThat(check.serving("1", Map.of())).isEqualTo(VersionCheck.Outcome.nothingNew());
        assertThat(source.loaded).isEmpty();

        source.serving = "2";
        VersionCheck.Outcome<FrameWindow> c = check.serving("1", Map.of());
        assertThat(c.version()).isEqualTo("2");
        assertThat(c.classifier().info().version()).isEqualTo("2");
        assertThat(c.from()).isEqualTo("1");
        assertThat(c.reason()).isNull();
        assertThat(c.replacing()).isNull();
    }

    @Test
    void aVersionAnotherJobRefusedIsReportedUnloadedAndThenPassedOverForTheLastGoodOne() {
        source.serving = "3";
        source.fallbacks = List.of("3", "2", "1");
        source.refused.put("3", "scores NaN");
        VersionCheck.Outcome<FrameWindow> first = check.serving("1", Map.of());
        assertThat(first.version()).isEqualTo("3");
        assertThat(first.classifier()).isNull();
        assertThat(first.reason()).isEqualTo("refused before: scores NaN");
        assertThat(source.loaded).isEmpty();

        // the operator records it as refused in this run; the next check takes the best fallback
        VersionCheck.Outcome<FrameWindow> next = check.serving("1", Map.of("3", first.reason()));
        assertThat(next.version()).isEqualTo("2");
        assertThat(next.classifier()).isNotNull();
        assertThat(next.replacing()).isNull();
    }

    @Test
    void theVersionServingIsLeftWhenItWasRefusedSinceItBeganToServe() {
        source.serving = "2";
        source.fallbacks = List.of("2", "1");
        source.refused.put("2", "gave 3 windows non-finite scores");
        VersionCheck.Outcome<FrameWindow> c = check.serving("2", Map.of());
        assertThat(c.version()).isEqualTo("1");
        assertThat(c.replacing()).isEqualTo("gave 3 windows non-finite scores");
        assertThat(c.from()).isEqualTo("2");
    }

    @Test
    void aPackageAtFaultIsRecordedAsRefusedWhileAnyOtherFailureIsOnlyReported() {
        source.serving = "bad-2";
        VersionCheck.Outcome<FrameWindow> bad = check.serving("1", Map.of());
        assertThat(bad.classifier()).isNull();
        assertThat(bad.reason()).contains("weights.params is cut short");
        assertThat(source.refused.get("bad-2")).contains("weights.params is cut short")
                .contains("job operator classify-action subtask 0, refused when a job loaded it");

        source.serving = "io-3";
        VersionCheck.Outcome<FrameWindow> io = check.serving("1", Map.of());
        assertThat(io.classifier()).isNull();
        assertThat(io.reason()).isEqualTo("disk full");
        assertThat(source.refused).doesNotContainKey("io-3"); // another job, or a later try, may read it
    }

    @Test
    void aSourceThatCannotBeReadChangesNothing() {
        source.unreadable = true;
        assertThat(check.serving("1", Map.of())).isEqualTo(VersionCheck.Outcome.nothingNew());
        assertThat(check.shadow("1", "2", Map.of())).isNull();
    }

    @Test
    void aShadowIsLoadedWhenNamedStoppedWhenNoLongerNamedAndLeftAloneOtherwise() {
        assertThat(check.shadow("1", null, Map.of())).as("none named, none runs").isNull();

        source.shadow = "2";
        VersionCheck.Outcome<FrameWindow> s = check.shadow("1", null, Map.of());
        assertThat(s.version()).isEqualTo("2");
        assertThat(s.classifier()).isNotNull();
        assertThat(check.shadow("1", "2", Map.of())).as("the one running").isNull();
        assertThat(check.shadow("1", null, Map.of("2", "failed as a shadow"))).as("refused in this run").isNull();

        source.shadow = null;
        assertThat(check.shadow("1", "2", Map.of())).isEqualTo(VersionCheck.Outcome.nothingNew());
        source.shadow = "1";
        assertThat(check.shadow("1", "2", Map.of())).as("it serves now").isEqualTo(VersionCheck.Outcome.nothingNew());

        source.shadow = "bad-4";
        VersionCheck.Outcome<FrameWindow> bad = check.shadow("1", "2", Map.of());
        assertThat(bad.classifier()).isNull();
        assertThat(source.refused.get("bad-4")).contains("refused as a shadow when a job loaded it");
    }

    @Test
    void aRefusalIsRecordedWhateverItsCauseWhenTheOperatorRefusesAServingVersion() {
        check.refuse("2", "gave 3 windows non-finite scores", "refused while serving");
        assertThat(source.refused.get("2")).isEqualTo(
                "gave 3 windows non-finite scores (job operator classify-action subtask 0, refused while serving)");
    }
}
