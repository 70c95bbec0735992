package io.squall.tls;

import io.squall.tls.TlsConfigException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads certificates and private keys from PEM files (RFC 7468) with the JDK alone.
 *
 * <p>Private keys: PKCS#8 ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, the
 * PBES2 schemes OpenSSL writes), and the traditional unencrypted {@code RSA PRIVATE KEY} (PKCS#1) and
 * {@code EC PRIVATE KEY} (SEC 1), which are re-wrapped as PKCS#8. Key types: RSA, EC, EdDSA, RSASSA-PSS.
 * A traditional key encrypted with OpenSSL's legacy scheme ({@code Proc-Type: 4,ENCRYPTED}) is refused
 * with a message saying how to convert it.
 */
final class Pem {
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem"
            + " (add -nocrypt for an unencrypted key)";
    private static final Set<String> KEY_LABELS = Set.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
            "EC PRIVATE KEY");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");
    /** DER of the AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Pem() {}

    /** One PEM block: its label, its RFC 1421 header lines (legacy encrypted keys) and its decoded body. */
    record Block(String label, List<String> headers, byte[] der) {}

    /** Every PEM block of {@code file}, in order. */
    static List<Block> read(Path file) throws TlsConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsConfigException(Reason.UNREADABLE_FILE, file, "cannot read: " + e, e);
        }
        List<Block> blocks = new ArrayList<>();
        String label = null;
        List<String> headers = new ArrayList<>();
        StringBuilder base64 = new StringBuilder();
        for (String raw : text.split("\r?\n|\r")) {
            String line = raw.strip();
            if (label == null) {
                if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
                    label = line.substring(11, line.length() - 5);
                    headers = new ArrayList<>();
                    base64.setLength(0);
                }
            } else if (line.equals("-----END " + label + "-----")) {
                try {
                    blocks.add(new Block(label, List.copyOf(headers), Base64.getMimeDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new TlsConfigException(Reason.MALFORMED, file, "bad Base64 in the " + label + " block", e);
                }
                label = null;
            } else if (line.contains(":")) {
                headers.add(line);
            } else {
                base64.append(line);
            }
        }
        if (label != null) {
            throw new TlsConfigException(Reason.MALFORMED, file, "the " + label + " block has no END line");
        }
        return blocks;
    }

    /** The certificates of {@code file}, in order (at least one). */
    static List<X509Certificate> readCertificates(Path file) throws TlsConfigException {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : read(file)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new TlsConfigException(Reason.MALFORMED, file, "not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigException(Reason.NO_PEM_BLOCK, file, "no PEM block \"BEGIN CERTIFICATE\"");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key of {@code file}; {@code password} decrypts an {@code ENCRYPTED PRIVATE KEY}
     * (null: none given).
     */
    static PrivateKey readPrivateKey(Path file, char[] password) throws TlsConfigException {
        Block block = read(file).stream().filter(b -> KEY_LABELS.contains(b.label())).findFirst()
                .orElseThrow(() -> new TlsConfigException(Reason.NO_PEM_BLOCK, file, "no private key PEM block"
                        + " (expected BEGIN PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"));
        if (block.headers().stream().anyMatch(h -> h.startsWith("Proc-Type:"))) {
            throw new TlsConfigException(Reason.MALFORMED, file, "the " + block.label()
                    + " is encrypted with OpenSSL's legacy scheme, which the JDK cannot read; " + CONVERT);
        }
        try {
            return switch (block.label()) {
                case "PRIVATE KEY" -> pkcs8(file, block.der());
                case "ENCRYPTED PRIVATE KEY" -> decrypt(file, block.der(), password);
                case "RSA PRIVATE KEY" -> pkcs8(file, Der.sequence(Der.INTEGER_ZERO, RSA_ALGORITHM, Der.octetString(block.der())));
                default -> pkcs8(file, Der.sequence(Der.INTEGER_ZERO, Der.sequence(EC_PUBLIC_KEY_OID, ecCurve(block.der())),
                        Der.octetString(block.der())));
            };
        } catch (Der.MalformedException e) {
            throw new TlsConfigException(Reason.MALFORMED, file, "the " + block.label() + " block is not valid DER ("
                    + e.getMessage() + "); " + CONVERT, e);
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws TlsConfigException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsConfigException(Reason.MALFORMED, file, "not a private key of a supported type (" + KEY_ALGORITHMS + ")");
    }

    private static PrivateKey decrypt(Path file, byte[] der, char[] password) throws TlsConfigException {
        if (password == null) {
            throw new TlsConfigException(Reason.WRONG_PASSWORD, file, "the private key is encrypted and no password was given");
        }
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new TlsConfigException(Reason.MALFORMED, file, "not a valid ENCRYPTED PRIVATE KEY: " + e.getMessage(), e);
        }
        String scheme = info.getAlgName();
        PKCS8EncodedKeySpec spec;
        try {
            AlgorithmParameters parameters = info.getAlgParameters();
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(scheme).generateSecret(new PBEKeySpec(password)),
                    parameters);
            spec = info.getKeySpec(cipher);
        } catch (InvalidKeySpecException e) {
            throw new TlsConfigException(Reason.WRONG_PASSWORD, file, "wrong password for the encrypted private key", e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(Reason.MALFORMED, file, "unsupported key encryption " + scheme
                    + "; re-encrypt it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem", e);
        }
        try {
            return pkcs8(file, spec.getEncoded());
        } catch (TlsConfigException e) {
            // A wrong password can decrypt to bytes with valid padding that are no key.
            throw new TlsConfigException(Reason.WRONG_PASSWORD, file, "wrong password for the encrypted private key", e);
        }
    }

    /** The curve OID (as DER) of a SEC 1 ECPrivateKey: its {@code [0] parameters} field. */
    private static byte[] ecCurve(byte[] sec1) throws Der.MalformedException {
        Der.Reader key = new Der.Reader(sec1).enter(0x30);
        key.skip(0x02); // version
        key.skip(0x04); // privateKey
        while (key.hasMore()) {
            if (key.peekTag() == 0xa0) {
                byte[] curve = key.enter(0xa0).element(0x06);
                return curve;
            }
            key.skip(key.peekTag());
        }
        throw new Der.MalformedException("no curve parameters in the EC PRIVATE KEY");
    }

    /** The smallest DER reader and writer the key formats above need. */
    static final class Der {
        static final byte[] INTEGER_ZERO = {0x02, 0x01, 0x00};

        private Der() {}

        /** DER that does not parse as expected. */
        static final class MalformedException extends Exception {
            MalformedException(String message) {
                super(message);
            }
        }

        static byte[] sequence(byte[]... elements) {
            return tlv(0x30, concat(elements));
        }

        static byte[] octetString(byte[] content) {
            return tlv(0x04, content);
        }

        private static byte[] tlv(int tag, byte[] content) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
            out.write(tag);
            int n = content.length;
            if (n < 0x80) {
                out.write(n);
            } else {
                int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(n >>> (8 * i));
                }
            }
            out.writeBytes(content);
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return out.toByteArray();
        }

        /** Reads the elements of one DER byte range in order. */
        static final class Reader {
            private final byte[] der;
            private int position;
            private final int end;

            Reader(byte[] der) {
                this(der, 0, der.length);
            }

            private Reader(byte[] der, int start, int end) {
                this.der = der;
                this.position = start;
                this.end = end;
            }

            boolean hasMore() {
                return position < end;
            }

            int peekTag() throws MalformedException {
                if (position >= end) {
                    throw new MalformedException("truncated");
                }
                return der[position] & 0xff;
            }

            /** A reader over the content of the next element, which must have {@code tag}. */
            Reader enter(int tag) throws MalformedException {
                int[] contentRange = next(tag);
                return new Reader(der, contentRange[0], contentRange[1]);
            }

            /** The whole next element (tag, length and content), which must have {@code tag}. */
            byte[] element(int tag) throws MalformedException {
                int start = position;
                next(tag);
                return Arrays.copyOfRange(der, start, position);
            }

            void skip(int tag) throws MalformedException {
                next(tag);
            }

            private int[] next(int tag) throws MalformedException {
                if (peekTag() != tag) {
                    throw new MalformedException(String.format("expected tag 0x%02x, found 0x%02x", tag, peekTag()));
                }
                int p = position + 1;
                if (p >= end) {
                    throw new MalformedException("truncated");
                }
                int length = der[p++] & 0xff;
                if (length >= 0x80) {
                    int bytes = length & 0x7f;
                    if (bytes == 0 || bytes > 3 || p + bytes > end) {
                        throw new MalformedException("bad length");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        length = (length << 8) | (der[p++] & 0xff);
                    }
                }
                if (length > end - p) {
                    throw new MalformedException("truncated");
                }
                position = p + length;
                return new int[] {p, p + length};
            }
        }
    }
}
