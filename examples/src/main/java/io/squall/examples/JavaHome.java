package io.squall.examples;

/**
 * Prints the running JVM's home directory. The build runs it with the JDK the toolchains plugin
 * discovered and saves the output, so that the {@code ./squall} launcher starts that same JDK.
 */
public final class JavaHome {
    private JavaHome() {}

    /** Prints {@code java.home} without a newline. */
    public static void main(String[] args) {
        System.out.print(System.getProperty("java.home"));
    }
}
