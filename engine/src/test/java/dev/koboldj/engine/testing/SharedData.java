package dev.koboldj.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Files in ../shared beside the checkout (set by surefire as {@code koboldj.shared}). A test that needs one calls
 * {@link #require(String)}: when the file is absent the test is skipped with the reason printed, never silently.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("koboldj.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** The file at {@code relative} under ../shared, or a printed skip of the calling test when it is absent. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            String reason = "SKIPPED: " + p + " is absent (../shared is not beside this checkout)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return p;
    }
}
