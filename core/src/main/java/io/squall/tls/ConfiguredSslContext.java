package io.squall.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLContext} whose engines (and server sockets) come configured: protocol versions, cipher
 * suites (those of the given list that the JDK supports) and client authentication, which a plain context cannot carry. Any code that takes an {@code SSLContext}
 * (a Squall server, the JDK's HttpClient) thus applies a {@link TlsConfig} without knowing it.
 */
final class ConfiguredSslContext extends SSLContext {
    ConfiguredSslContext(SSLContext delegate, String[] protocols, String[] cipherSuites, ClientAuth clientAuth) {
        super(new Spi(delegate, protocols, supported(delegate, cipherSuites), clientAuth), delegate.getProvider(),
                delegate.getProtocol());
    }

    private static String[] supported(SSLContext context, String[] cipherSuites) {
        Set<String> available = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        return Arrays.stream(cipherSuites).filter(available::contains).toArray(String[]::new);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final String[] protocols;
        private final String[] cipherSuites;
        private final ClientAuth clientAuth;

        Spi(SSLContext delegate, String[] protocols, String[] cipherSuites, ClientAuth clientAuth) {
            this.delegate = delegate;
            this.protocols = protocols;
            this.cipherSuites = cipherSuites;
            this.clientAuth = clientAuth;
        }

        /** {@code parameters} with the configured protocols and client authentication. */
        private SSLParameters configure(SSLParameters parameters) {
            parameters.setProtocols(protocols.clone());
            parameters.setCipherSuites(cipherSuites.clone());
            switch (clientAuth) {
                case REQUIRED -> parameters.setNeedClientAuth(true);
                case OPTIONAL -> parameters.setWantClientAuth(true);
                case NONE -> parameters.setNeedClientAuth(false);
            }
            return parameters;
        }

        private SSLEngine configure(SSLEngine engine) {
            engine.setSSLParameters(configure(engine.getSSLParameters()));
            return engine;
        }

        @Override
        protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm,
                                  java.security.SecureRandom random) {
            throw new UnsupportedOperationException("a TlsConfig context is initialized already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory(); // client sockets: no client authentication to apply
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSocketFactory(delegate.getServerSocketFactory());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return configure(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return configure(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return configure(delegate.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }

        /** Server sockets configured like the engines. */
        private final class ServerSocketFactory extends SSLServerSocketFactory {
            private final SSLServerSocketFactory factory;

            ServerSocketFactory(SSLServerSocketFactory factory) {
                this.factory = factory;
            }

            private ServerSocket configure(ServerSocket socket) {
                SSLServerSocket tls = (SSLServerSocket) socket;
                tls.setSSLParameters(Spi.this.configure(tls.getSSLParameters()));
                return tls;
            }

            @Override
            public ServerSocket createServerSocket() throws IOException {
                return configure(factory.createServerSocket());
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return configure(factory.createServerSocket(port));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return configure(factory.createServerSocket(port, backlog));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                return configure(factory.createServerSocket(port, backlog, address));
            }

            @Override
            public String[] getDefaultCipherSuites() {
                return factory.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return factory.getSupportedCipherSuites();
            }
        }
    }
}
