package io.argus.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeavePackagesOutTest {

    private static ConfusionMatrix fold(int rightA, int wrongA, int rightB, int wrongB) {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b"));
        for (int i = 0; i < rightA; i++) {
            m.add(0, 0);
        }
        for (int i = 0; i < wrongA; i++) {
            m.add(0, 1);
        }
        for (int i = 0; i < rightB; i++) {
            m.add(1, 1);
        }
        for (int i = 0; i < wrongB; i++) {
            m.add(1, 0);
        }
        return m;
    }

    @Test
    void theMeanAndTheWorstFoldAreOverFoldsNotWindows() {
        ConfusionMatrix perfect = fold(10, 0, 10, 0); // macro-F1 1
        ConfusionMatrix half = fold(1, 1, 1, 1); // macro-F1 0.5, few windows
        List<ConfusionMatrix> folds = List.of(perfect, half);
        assertThat(LeavePackagesOut.meanMacroF1(folds)).isCloseTo(0.75, within(1e-9));
        assertThat(LeavePackagesOut.worstMacroF1(folds)).isCloseTo(0.5, within(1e-9));
        assertThat(LeavePackagesOut.meanF1(folds, 0)).isCloseTo(0.75, within(1e-9));
        String table = LeavePackagesOut.summary(folds, "wide");
        assertThat(table).contains("| mean | | | **0.750** |", "| worst | | | **0.500** |", "| 1 | 4 | 0.500 | 0.500 |");
    }
}
