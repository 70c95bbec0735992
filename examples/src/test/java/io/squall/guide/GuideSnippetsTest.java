package io.squall.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.squall.examples.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the guides' code true: every {@code ```java} block of {@code docs/guide/*.md} is either preceded
 * by {@code <!-- snippet: File.java#NAME -->}, and then equals (whitespace-normalised) the region between
 * {@code // tag::NAME[]} and {@code // end::NAME[]} of that file in this package, which compiles with the
 * tests; or by {@code <!-- not compiled -->}.
 */
class GuideSnippetsTest {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*(?:snippet:\\s*(\\S+?)#(\\S+)|(not compiled))\\s*-->");
    private static final Path SNIPPETS = Path.of("src/test/java/io/squall/guide");


    /** Collapses each run of whitespace to one space and trims. */
    private static String normalise(String code) {
        return code.strip().replaceAll("\\s+", " ");
    }

    /** The lines between {@code // tag::name[]} and {@code // end::name[]} of {@code file}. */
    static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("// tag::" + name + "[]")) {
                start = i + 1;
            } else if (line.equals("// end::" + name + "[]") && start >= 0) {
                return String.join("\n", lines.subList(start, i));
            }
        }
        throw new AssertionError("no region " + name + " in " + file);
    }

    /** The fenced java blocks of a Markdown text, each with the nearest HTML comment above it (or null). */
    record Block(int line, String marker, String code) {
    }

    static List<Block> javaBlocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals("```java")) {
                continue;
            }
            int j = i - 1;
            while (j >= 0 && lines[j].isBlank()) {
                j--;
            }
            String marker = j >= 0 && lines[j].strip().startsWith("<!--") ? lines[j].strip() : null;
            StringBuilder code = new StringBuilder();
            int k = i + 1;
            while (k < lines.length && !lines[k].strip().equals("```")) {
                code.append(lines[k]).append('\n');
                k++;
            }
            blocks.add(new Block(i + 1, marker, code.toString()));
            i = k;
        }
        return blocks;
    }

    @Test
    void everyJavaBlockOfTheGuidesIsATaggedRegionOrMarkedNotCompiled() throws IOException {
        Path root = RepositoryRoot.find();
        Path snippets = root.resolve("examples").resolve(SNIPPETS);
        List<Path> guides;
        try (Stream<Path> files = Files.list(root.resolve("docs/guide"))) {
            guides = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        assertFalse(guides.isEmpty());
        List<String> problems = new ArrayList<>();
        int compiled = 0;
        for (Path guide : guides) {
            for (Block block : javaBlocks(Files.readString(guide, StandardCharsets.UTF_8))) {
                String where = guide.getFileName() + ":" + block.line();
                Matcher marker = block.marker() == null ? null : MARKER.matcher(block.marker());
                if (marker == null || !marker.matches()) {
                    problems.add(where + ": a java block with neither <!-- snippet: File.java#NAME --> nor <!-- not compiled -->");
                } else if (marker.group(3) == null) {
                    Path file = snippets.resolve(marker.group(1));
                    if (!Files.isRegularFile(file)) {
                        problems.add(where + ": no snippet file " + marker.group(1));
                    } else if (!normalise(region(file, marker.group(2))).equals(normalise(block.code()))) {
                        problems.add(where + ": differs from " + marker.group(1) + "#" + marker.group(2)
                                + "; the region is:\n" + region(file, marker.group(2)));
                    } else {
                        compiled++;
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n\n", problems));
        }
        assertTrue(compiled > 0, "no guide block is a compiled snippet");
    }

    @Test
    void anUnmarkedOrChangedBlockIsFound() {
        List<Block> blocks = javaBlocks("text\n\n```java\nint x;\n```\n<!-- not compiled -->\n```java\ny();\n```\n");
        assertEquals(2, blocks.size());
        assertEquals(null, blocks.get(0).marker());
        assertEquals("int x;\n", blocks.get(0).code());
        assertTrue(MARKER.matcher(blocks.get(1).marker()).matches());
        assertTrue(MARKER.matcher("<!-- snippet: A.java#x-y -->").matches());
        assertFalse(MARKER.matcher("<!-- a note -->").matches());
        assertEquals(normalise("a(  b );\n  c();"), normalise("a( b );\nc();"));
    }
}
