package dev.koboldj.server.cli;

/** Process exit codes of every koboldj command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran but failed: unreadable or invalid input, I/O error, unsupported tensor type. */
    public static final int FAILURE = 1;
    /** The command line itself is wrong (picocli's default for invalid input). */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
