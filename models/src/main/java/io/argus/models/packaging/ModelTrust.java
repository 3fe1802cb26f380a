package io.argus.models.packaging;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job requires of a model package directory beyond intact checksums and file types:
 *
 * <ul>
 *   <li>with trusted directories configured, the package lies inside one of them (after resolving
 *       links);
 *   <li>a package holding TorchScript, which is a program that runs in the task manager, loads only
 *       from such a configured directory: with none configured it is refused;
 *   <li>with a public key configured, the manifest carries a valid Ed25519 signature by it
 *       ({@value ModelPackage#SIGNATURE}).
 * </ul>
 *
 * Packages bundled in the jar travel with the code and are trusted as it is ({@link #CALLER}).
 * Serializable, so that task managers check what the client checked.
 */
public final class ModelTrust implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The caller vouches for the package (bundled ones; tools reading what they or their user wrote):
     * any location, TorchScript allowed, no signature. Checksums, names and types are still checked.
     */
    public static final ModelTrust CALLER = new ModelTrust(List.of(), null, true);

    private final List<String> trustedDirs;
    private final byte[] publicKey;
    private final boolean codeAnywhere;

    private ModelTrust(List<String> trustedDirs, byte[] publicKey, boolean codeAnywhere) {
        this.trustedDirs = List.copyOf(trustedDirs);
        this.publicKey = publicKey == null ? null : publicKey.clone();
        this.codeAnywhere = codeAnywhere;
    }

    /**
     * @param trustedDirs directories packages must lie in (after resolving links); empty for any
     * @param publicKey the key whose signature every package must carry, or null for none
     */
    public static ModelTrust of(List<Path> trustedDirs, PublicKey publicKey) {
        List<String> dirs = new ArrayList<>();
        for (Path d : trustedDirs) {
            dirs.add(realOrAbsolute(d).toString());
        }
        return new ModelTrust(dirs, publicKey == null ? null : publicKey.getEncoded(), false);
    }

    /**
     * The same requirements for a package from a location the configuration itself names (a model
     * registry): TorchScript is accepted there, as from a trusted directory; the signature
     * requirement stays.
     */
    public ModelTrust trustingLocation() {
        return new ModelTrust(List.of(), publicKey, true);
    }

    public boolean requiresSignature() {
        return publicKey != null;
    }

    void checkLocation(Path dir) throws InvalidModelPackageException {
        if (trustedDirs.isEmpty()) {
            return;
        }
        Path real = realOrAbsolute(dir);
        for (String trusted : trustedDirs) {
            if (real.startsWith(Path.of(trusted))) {
                return;
            }
        }
        throw new InvalidModelPackageException(dir.toString(),
                "not inside a trusted model directory " + trustedDirs + " (--model-trusted-dirs)");
    }

    void checkCode(String where, String file) throws InvalidModelPackageException {
        if (!codeAnywhere && trustedDirs.isEmpty()) {
            throw new InvalidModelPackageException(where, file + " is TorchScript, a program the task manager would "
                    + "run: such packages load only from a directory configured as trusted (--model-trusted-dirs)");
        }
    }

    void checkSignature(String where, byte[] manifest, byte[] signature) throws InvalidModelPackageException {
        if (publicKey == null) {
            return;
        }
        if (signature == null) {
            throw new InvalidModelPackageException(where, "unsigned: a signing key is configured (--model-public-key) "
                    + "and the package has no " + ModelPackage.SIGNATURE);
        }
        try {
            Signature verifier = Signature.getInstance(ModelSigning.ALGORITHM);
            verifier.initVerify(ModelSigning.publicKey(publicKey));
            verifier.update(manifest);
            if (!verifier.verify(ModelSigning.decodeSignature(signature))) {
                throw new InvalidModelPackageException(where,
                        ModelPackage.SIGNATURE + " is not a signature of its manifest by the configured key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidModelPackageException(where, "unreadable " + ModelPackage.SIGNATURE + ": " + e.getMessage());
        }
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    @Override
    public String toString() {
        if (codeAnywhere) {
            return "model trust: vouched for by the caller";
        }
        return "model trust: " + (trustedDirs.isEmpty() ? "any directory, no TorchScript" : "directories " + trustedDirs)
                + (publicKey == null ? ", unsigned packages accepted" : ", signature required");
    }
}
