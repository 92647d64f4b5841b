package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("info"), r.out());
        assertTrue(r.out().contains("quantize"), r.out());
        assertTrue(r.out().contains("Exit codes:"), r.out());
    }

    @Test
    void versionIsPrinted() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("koboldj "), r.out());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Cli none = Cli.run();
        assertEquals(ExitCodes.USAGE, none.exitCode());
        assertTrue(none.err().contains("Missing command"), none.err());
        Cli unknown = Cli.run("frobnicate");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("frobnicate"), unknown.err());
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, Cli.run("info").exitCode());
        assertEquals(ExitCodes.USAGE, Cli.run("quantize", "a.gguf", "b.gguf").exitCode());
    }
}
