package io.argus.models.packaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code golden} section: a few inputs shipped inside the package (held-out
 * windows the model decided right when the package was made) with the label expected for each,
 * and how many of them a copy of the model must still get right before it may serve. The manifest
 * holds the expectation, so a signature covers it; the inputs are a checksummed {@code .npy} file.
 *
 * @param file the {@code .npy} file of the package holding the inputs, one per row of its first axis
 * @param input what its rows are, as the model kind's golden codec names it ({@code frame-window},
 *     {@code spectrogram}, ...)
 * @param expected the label expected for each row, in row order
 * @param minAgreement the least share of rows whose best label must be the expected one, in (0, 1]
 * @param source where the inputs come from and how they were chosen (data, seed, command)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GoldenSet(String file, String input, List<String> expected, double minAgreement,
        Map<String, Object> source) {

    /** The file name trainers and {@code argus models golden} give the inputs. */
    public static final String FILE = "golden.npy";

    public GoldenSet {
        expected = expected == null ? null : List.copyOf(expected);
    }

    /** The least number of rows that must agree: {@code ceil(minAgreement * rows)}. */
    public int required() {
        return (int) Math.ceil(minAgreement * expected.size() - 1e-9);
    }
}
