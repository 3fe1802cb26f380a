package io.argus.models.inference;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.argus.models.packaging.InvalidModelPackageException;
import io.argus.models.packaging.ModelPackage;
import io.argus.models.packaging.Reasons;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

/** Loads a package's DJL parameter file into a network, to the last byte, or says why it does not fit. */
final class Weights {

    private Weights() {}

    /**
     * @throws InvalidModelPackageException naming the file, its size, the architecture and the cause:
     *     the file ends early, bytes are left over, or DJL refused it
     */
    static void load(ModelPackage pkg, String file, Block block, NDManager manager)
            throws InvalidModelPackageException {
        byte[] data = pkg.file(file);
        ByteArrayInputStream bytes = new ByteArrayInputStream(data);
        try {
            block.loadParameters(manager, new DataInputStream(bytes));
        } catch (EOFException e) {
            throw refusal(pkg, file, data, "the file ends before every parameter of the network was read (cut "
                    + "short, or written for a smaller network)");
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw refusal(pkg, file, data, Reasons.of(e));
        }
        if (bytes.available() > 0) {
            throw refusal(pkg, file, data, bytes.available() + " bytes are left over once every parameter of the "
                    + "network was read (written for a larger network?)");
        }
    }

    private static InvalidModelPackageException refusal(ModelPackage pkg, String file, byte[] data, String why) {
        return new InvalidModelPackageException(pkg.location(), String.format(Locale.ROOT, "%s (%,d bytes) does not "
                + "fit %s: %s", file, data.length, pkg.manifest().architecture(), why));
    }
}
