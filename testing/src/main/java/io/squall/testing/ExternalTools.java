package io.squall.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Independent clients and tools that tests drive (curl, Python and Node libraries, Chromium, openssl),
 * installed when missing so that a fresh machine runs the same tests as a developer's.
 *
 * <p>Debian packages come through {@code apt-get} (only when running as root, the way CI runs), npm
 * packages through {@code npm install} into {@code target/test-tools/npm} of the module under test. Each
 * installation is tried once per JVM. Where a tool still cannot be had (no root, no registry), the test
 * is skipped through a JUnit assumption whose message says exactly what is missing, never failed.
 *
 * <pre>{@code
 * String curl = ExternalTools.requireCommand("curl", "curl");                 // path, or the test is skipped
 * String python = ExternalTools.requirePythonModule("websockets", "python3-websockets");
 * Path nodeModules = ExternalTools.requireNpmPackages("ws@8");              // for NODE_PATH
 * }</pre>
 */
public final class ExternalTools {
    private static final Logger log = LoggerFactory.getLogger(ExternalTools.class);
    /** Debian's interpreter: the one apt's python3-* packages install into. */
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";
    private static final Map<String, Boolean> tried = new HashMap<>();
    private static boolean aptUpdated;

    private ExternalTools() {}

    /**
     * The absolute path of {@code command} on the PATH, installing Debian's {@code debianPackage} first
     * when it is missing; skips the calling test when it cannot be had.
     */
    public static synchronized String requireCommand(String command, String debianPackage) {
        Path found = findOnPath(command);
        if (found == null && aptInstall(debianPackage)) {
            found = findOnPath(command);
        }
        assumeTrue(found != null, command + " is not installed and could not be installed (apt-get install "
                + debianPackage + ")");
        return found.toString();
    }

    /**
     * Debian's {@code python3} once it can import {@code module}, installing {@code debianPackage} when it
     * cannot; skips the calling test when the module cannot be had.
     */
    public static synchronized String requirePythonModule(String module, String debianPackage) {
        boolean ok = canRun(DEBIAN_PYTHON, "-c", "import " + module);
        if (!ok && (aptInstall("python3") | aptInstall(debianPackage))) {
            ok = canRun(DEBIAN_PYTHON, "-c", "import " + module);
        }
        assumeTrue(ok, "Python module " + module + " is not installed and could not be installed (apt-get install "
                + debianPackage + ")");
        return DEBIAN_PYTHON;
    }

    /**
     * A {@code node_modules} directory holding {@code packages} (npm specs such as {@code ws@8}),
     * installed into {@code target/test-tools/npm} when missing; skips the calling test when Node, npm or
     * a package cannot be had. Run scripts with {@code NODE_PATH} set to the result.
     */
    public static synchronized Path requireNpmPackages(String... packages) {
        requireCommand("node", "nodejs");
        String npm = requireCommand("npm", "npm");
        Path prefix = Path.of("target", "test-tools", "npm").toAbsolutePath();
        Path modules = prefix.resolve("node_modules");
        List<String> missing = new ArrayList<>();
        for (String spec : packages) {
            String name = spec.lastIndexOf('@') > 0 ? spec.substring(0, spec.lastIndexOf('@')) : spec;
            if (!Files.isRegularFile(modules.resolve(name).resolve("package.json"))) {
                missing.add(spec);
            }
        }
        if (!missing.isEmpty() && tried.putIfAbsent("npm " + missing, true) == null) {
            List<String> command = new ArrayList<>(List.of(npm, "install", "--no-audit", "--no-fund",
                    "--no-save", "--prefix", prefix.toString()));
            command.addAll(missing);
            try {
                Files.createDirectories(prefix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(command, 300);
            missing.removeIf(spec -> Files.isRegularFile(modules.resolve(
                    spec.lastIndexOf('@') > 0 ? spec.substring(0, spec.lastIndexOf('@')) : spec)
                    .resolve("package.json")));
        }
        assumeTrue(missing.isEmpty(), "npm packages " + missing + " are not installed and could not be installed");
        return modules;
    }

    /** The first executable {@code command} on the PATH, or null. */
    public static Path findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Installs a Debian package once per JVM; true if apt-get reported success. */
    private static boolean aptInstall(String debianPackage) {
        Boolean earlier = tried.get("apt " + debianPackage);
        if (earlier != null) {
            return earlier;
        }
        boolean ok = false;
        if (isRoot() && findOnPath("apt-get") != null) {
            if (!aptUpdated) {
                aptUpdated = true;
                run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-q"), 600);
            }
            log.info("installing Debian package {} for the tests", debianPackage);
            ok = run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q",
                    "--no-install-recommends", debianPackage), 900);
        }
        tried.put("apt " + debianPackage, ok);
        return ok;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean canRun(String... command) {
        return Files.isExecutable(Path.of(command[0])) && run(List.of(command), 60);
    }

    /** Runs a command with DEBIAN_FRONTEND=noninteractive; true if it exited 0 in time (its output is logged). */
    private static boolean run(List<String> command, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn("{} did not finish in {} s", command, timeoutSeconds);
                return false;
            }
            if (process.exitValue() != 0) {
                log.debug("{} exited {}: {}", command, process.exitValue(), new String(out, StandardCharsets.UTF_8));
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
