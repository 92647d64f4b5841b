package dev.koboldj.server.cli;

import dev.koboldj.engine.gguf.GgufFormatException;
import dev.koboldj.engine.quant.UnsupportedTensorTypeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions thrown by a command into a one-line message on stderr and {@link ExitCodes#FAILURE}. Expected
 * failures (bad files, I/O, unsupported types, rejected arguments) print no stack trace; anything else is a bug
 * and prints one.
 */
public final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        String message = describe(e);
        if (message != null) {
            err.println("koboldj " + cl.getCommandName() + ": " + message);
        } else {
            err.println("koboldj " + cl.getCommandName() + ": internal error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }

    /** The message for an expected failure, or null for an unexpected one. */
    static String describe(Throwable e) {
        return switch (e) {
            case UncheckedIOException u -> describe(u.getCause());
            case NoSuchFileException f -> "no such file: " + f.getFile();
            case AccessDeniedException f -> "permission denied: " + f.getFile();
            case FileSystemException f -> f.getMessage();
            case IOException io -> "I/O error: " + io.getMessage();
            case GgufFormatException g -> "not a valid GGUF file: " + g.getMessage();
            case UnsupportedTensorTypeException u -> u.getMessage();
            case IllegalArgumentException a -> a.getMessage();
            default -> null;
        };
    }
}
