package io.argus.models.training;

import ai.djl.Model;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/** What every trainer's epoch loop needs: a sample order, and the weights of the best epoch. */
public final class Epochs {

    private Epochs() {}

    /** {@code 0..n-1}, shuffled by {@code random} (Fisher-Yates), or in order when it is null. */
    public static int[] order(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The model's parameters as DJL writes them, the bytes of a package's weights file. */
    public static byte[] weights(Model model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.getBlock().saveParameters(out);
        }
        return bytes.toByteArray();
    }
}
