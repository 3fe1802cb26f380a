package io.argus.models.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures of model packages: the signature covers the exact bytes of the manifest,
 * which holds the SHA-256 of every other file, so it covers the whole package. Keys are PEM files
 * (PKCS#8 private, X.509 public), as {@code openssl genpkey -algorithm ed25519} writes them.
 */
public final class ModelSigning {

    static final String ALGORITHM = "Ed25519";

    private ModelSigning() {}

    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
        }
    }

    /** Signs the package in {@code dir}: writes {@value ModelPackage#SIGNATURE} next to its manifest. */
    public static void sign(Path dir, PrivateKey key) throws IOException {
        byte[] manifest = Files.readAllBytes(dir.resolve(ModelPackage.MANIFEST));
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(manifest);
            Files.writeString(dir.resolve(ModelPackage.SIGNATURE),
                    Base64.getEncoder().encodeToString(signer.sign()) + "\n", StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign with this key (an " + ALGORITHM + " private key is needed): " + e, e);
        }
    }

    public static void writePem(Path file, Key key) throws IOException {
        String type = key instanceof PrivateKey ? "PRIVATE KEY" : "PUBLIC KEY";
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return publicKey(pem(file, "PUBLIC KEY"));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an " + ALGORITHM + " public key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pem(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an " + ALGORITHM + " private key: " + e.getMessage(), e);
        }
    }

    static PublicKey publicKey(byte[] x509) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    }

    static byte[] decodeSignature(byte[] file) {
        return Base64.getDecoder().decode(new String(file, StandardCharsets.US_ASCII).trim());
    }

    private static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + " holds no PEM block '" + type + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": broken PEM: " + e.getMessage(), e);
        }
    }
}
