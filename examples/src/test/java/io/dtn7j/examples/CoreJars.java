package io.dtn7j.examples;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Makes {@code bundle.jar} and {@code core.jar} from this test run's class path, whichever phase Maven is in. */
final class CoreJars {

    private CoreJars() {
    }

    /** Writes {@code bundle.jar} and {@code core.jar} into {@code dir}. */
    static void writeTo(Path dir) throws IOException {
        copyOrJar(entry("bundle"), dir.resolve("bundle.jar"));
        copyOrJar(entry("core"), dir.resolve("core.jar"));
    }

    private static Path entry(String module) {
        for (String e : JavaProcess.classPath().split(File.pathSeparator)) {
            Path p = Path.of(e);
            String s = p.toString().replace('\\', '/');
            if (s.endsWith("/" + module + "/target/classes")
                    || p.getFileName().toString().matches("dtn7j-" + module + "-[^-]+(-SNAPSHOT)?\\.jar")) {
                return p;
            }
        }
        throw new IllegalStateException("no " + module + " classes on the class path " + JavaProcess.classPath());
    }

    private static void copyOrJar(Path from, Path jar) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.copy(from, jar);
            return;
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(from.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    /** The test classes directory (for programs that live in the test sources). */
    static Path testClasses() {
        for (String e : JavaProcess.classPath().split(File.pathSeparator)) {
            if (e.replace('\\', '/').endsWith("examples/target/test-classes")) {
                return Path.of(e);
            }
        }
        throw new IllegalStateException("no examples test classes on the class path");
    }

    static List<String> split(String commandLine) {
        return List.of(commandLine.trim().split("\\s+"));
    }
}
