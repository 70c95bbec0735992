package io.squall.tls;

import io.squall.tls.TlsConfigException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS configuration read from PEM files, which {@link #build()} turns into an {@link SSLContext} for
 * a Squall server ({@code HttpServerOptions.tls}, {@code TcpServer.Builder.tls}), a client
 * ({@code ConnectOptions}, {@code HttpRequest.Builder.sslContext}) or the JDK's own HTTP client.
 * Immutable: each method returns a new configuration.
 *
 * <pre>{@code
 * SSLContext server = TlsConfig.server()
 *         .certificateChain(Path.of("server.crt"))        // leaf first, then intermediates
 *         .privateKey(Path.of("server.key"), password)     // PKCS#8, encrypted or not; RSA, EC, EdDSA
 *         .clientAuth(ClientAuth.REQUIRED)                 // mutual TLS
 *         .trust(Path.of("clients-ca.pem"))                // the CAs client certificates must chain to
 *         .build();
 * SSLContext client = TlsConfig.client().trust(Path.of("ca.pem")).build();   // no trust(): the JDK's CAs
 * }</pre>
 *
 * <p>Files are read when {@link #build()} runs; every problem is a {@link TlsConfigException} naming
 * the file and its {@link TlsConfigException.Reason reason}: a missing or unreadable file, no PEM block
 * of the expected kind, a wrong password, a key that is not the certificate's. Traditional OpenSSL keys
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}) are read when unencrypted; encrypted ones must be
 * converted to PKCS#8 ({@code openssl pkcs8 -topk8}), as the error says.
 *
 * <p>Protocols default to TLS 1.3 and 1.2, cipher suites to AEAD suites with forward secrecy (AES-GCM,
 * ChaCha20-Poly1305). The context applies them, and the client authentication,
 * to every {@link javax.net.ssl.SSLEngine} it creates, so code that only takes an {@code SSLContext}
 * honours them. The JDK lets TLS 1.2 clients renegotiate, which scanners report as a denial-of-service
 * risk; a server turns it off JVM-wide with {@code -Djdk.tls.rejectClientInitiatedRenegotiation=true}
 * (set before the first handshake).
 */
public final class TlsConfig {
    private static final String[] DEFAULT_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * AEAD suites only, with forward secrecy: TLS 1.3's, and TLS 1.2's ECDHE with AES-GCM or
     * ChaCha20-Poly1305 (no CBC suites, which scanners flag for LUCKY13).
     */
    private static final String[] DEFAULT_CIPHER_SUITES = {
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private final boolean server;
    private final Path certificateChain;
    private final Path privateKey;
    private final char[] password;
    private final ClientAuth clientAuth;
    private final Path trust;
    private final String[] protocols;

    private TlsConfig(boolean server, Path certificateChain, Path privateKey, char[] password, ClientAuth clientAuth,
                      Path trust, String[] protocols) {
        this.server = server;
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.password = password;
        this.clientAuth = clientAuth;
        this.trust = trust;
        this.protocols = protocols;
    }

    /** A server configuration: needs {@link #certificateChain} and {@link #privateKey}. */
    public static TlsConfig server() {
        return new TlsConfig(true, null, null, null, ClientAuth.NONE, null, DEFAULT_PROTOCOLS);
    }

    /**
     * A client configuration: trusts the JDK's CAs unless {@link #trust} is given, and presents a
     * certificate if {@link #certificateChain} and {@link #privateKey} are given.
     */
    public static TlsConfig client() {
        return new TlsConfig(false, null, null, null, ClientAuth.NONE, null, DEFAULT_PROTOCOLS);
    }

    /** The PEM file of the certificate to present, followed by its intermediates (leaf first). */
    public TlsConfig certificateChain(Path file) {
        return new TlsConfig(server, Objects.requireNonNull(file, "file"), privateKey, password, clientAuth, trust, protocols);
    }

    /** The PEM file of the certificate's unencrypted private key. */
    public TlsConfig privateKey(Path file) {
        return privateKey(file, null);
    }

    /**
     * The PEM file of the certificate's private key, and the password of an {@code ENCRYPTED PRIVATE
     * KEY} (null if the key is not encrypted). The password is copied.
     */
    public TlsConfig privateKey(Path file, char[] password) {
        return new TlsConfig(server, certificateChain, Objects.requireNonNull(file, "file"),
                password == null ? null : password.clone(), clientAuth, trust, protocols);
    }

    /**
     * Whether a server asks clients for a certificate (default {@link ClientAuth#NONE}); anything else
     * needs {@link #trust}, the CAs the client certificates must chain to.
     *
     * @throws IllegalStateException on a client configuration
     */
    public TlsConfig clientAuth(ClientAuth mode) {
        if (!server) {
            throw new IllegalStateException("clientAuth applies to a server configuration");
        }
        return new TlsConfig(server, certificateChain, privateKey, password, Objects.requireNonNull(mode, "mode"), trust, protocols);
    }

    /**
     * The PEM bundle of trust anchors: for a client, the CAs (or self-signed certificates) a server
     * must chain to, instead of the JDK's; for a server, those of client certificates.
     */
    public TlsConfig trust(Path file) {
        return new TlsConfig(server, certificateChain, privateKey, password, clientAuth, Objects.requireNonNull(file, "file"), protocols);
    }

    /** The protocol versions to enable (default {@code TLSv1.3, TLSv1.2}). */
    public TlsConfig protocols(String... protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("no protocol");
        }
        return new TlsConfig(server, certificateChain, privateKey, password, clientAuth, trust, protocols.clone());
    }

    /**
     * Reads the files and makes the context.
     *
     * @throws TlsConfigException if a file cannot be read or used (the message names it)
     * @throws IllegalStateException if the configuration is incomplete: a server without certificate or
     *     key, a certificate without key or the reverse, client authentication without trust
     */
    public SSLContext build() throws TlsConfigException {
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalStateException("give both certificateChain and privateKey, or neither");
        }
        if (server && certificateChain == null) {
            throw new IllegalStateException("a TLS server needs certificateChain and privateKey");
        }
        if (clientAuth != ClientAuth.NONE && trust == null) {
            throw new IllegalStateException("clientAuth " + clientAuth + " needs trust(the CAs of client certificates)");
        }
        KeyManagerFactory keys = certificateChain == null ? null : keyManagers();
        TrustManagerFactory trusted = trust == null ? null : trustManagers();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trusted == null ? null : trusted.getTrustManagers(), null);
            return new ConfiguredSslContext(context, protocols, DEFAULT_CIPHER_SUITES, clientAuth);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(Reason.UNUSABLE, null, "cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    private KeyManagerFactory keyManagers() throws TlsConfigException {
        List<X509Certificate> chain = Pem.readCertificates(certificateChain);
        PrivateKey key = Pem.readPrivateKey(privateKey, password);
        requireMatch(key, chain.getFirst().getPublicKey());
        try {
            char[] storePassword = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, storePassword, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, storePassword);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException(Reason.UNUSABLE, privateKey, "cannot use the key with " + certificateChain
                    + ": " + e.getMessage(), e);
        }
    }

    private TrustManagerFactory trustManagers() throws TlsConfigException {
        List<X509Certificate> anchors = Pem.readCertificates(trust);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException(Reason.UNUSABLE, trust, "cannot trust these certificates: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code key} is the private half of {@code certificateKey}: same modulus, or a signature that verifies. */
    private void requireMatch(PrivateKey key, PublicKey certificateKey) throws TlsConfigException {
        boolean matches;
        if (key instanceof RSAKey rsa && certificateKey instanceof RSAKey rsaPublic) {
            matches = rsa.getModulus().equals(rsaPublic.getModulus());
        } else if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())) {
            matches = false;
        } else {
            matches = signatureVerifies(key, certificateKey);
        }
        if (!matches) {
            throw new TlsConfigException(Reason.KEY_MISMATCH, privateKey, "this " + key.getAlgorithm()
                    + " private key does not belong to the first certificate of " + certificateChain
                    + " (whose key is " + certificateKey.getAlgorithm() + ")");
        }
    }

    private static boolean signatureVerifies(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // no check for other key types: the handshake will tell
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
