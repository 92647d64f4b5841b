package dev.koboldj.bench.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The benchmark corpus: one text per non-empty line. */
final class Corpus {
    private Corpus() {
    }

    static List<String> load(Path file, int limit) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).limit(limit).toList();
    }

    /** ../shared/data/corpus-en-1000.txt beside the checkout (or under -Dkoboldj.shared). */
    static Path defaultPath() {
        String shared = System.getProperty("koboldj.shared");
        for (Path p : new Path[]{shared == null ? null : Path.of(shared, "data", "corpus-en-1000.txt"),
                Path.of("..", "shared", "data", "corpus-en-1000.txt"), Path.of("..", "..", "shared", "data", "corpus-en-1000.txt"),
                Path.of("/work/shared/data/corpus-en-1000.txt")}) {
            if (p != null && Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
        }
        throw new IllegalStateException("corpus-en-1000.txt not found: pass --corpus FILE");
    }
}
