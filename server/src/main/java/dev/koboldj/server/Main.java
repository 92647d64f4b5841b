package dev.koboldj.server;

import dev.koboldj.server.cli.EmbedCommand;
import dev.koboldj.server.cli.ExitCodes;
import dev.koboldj.server.cli.FailureHandler;
import dev.koboldj.server.cli.ImportCommand;
import dev.koboldj.server.cli.InfoCommand;
import dev.koboldj.server.cli.QuantizeCommand;
import dev.koboldj.server.cli.ServeCommand;
import dev.koboldj.server.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code koboldj} command. Each subcommand is one class in {@code dev.koboldj.server.cli}; to add one, write a
 * {@code @Command} class that implements {@code Callable<Integer>} (returning an {@link ExitCodes} value, writing
 * through {@code spec.commandLine().getOut()/getErr()}) and add it to {@code subcommands} below. Expected failures
 * (bad files, I/O errors, unsupported types) may simply be thrown: {@link FailureHandler} prints their message
 * without a stack trace and exits with {@link ExitCodes#FAILURE}; usage errors exit with {@link ExitCodes#USAGE}.
 */
@Command(name = "koboldj",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Local inference server and tools for GGUF models, in pure Java.",
        subcommands = {
                ServeCommand.class,
                EmbedCommand.class,
                InfoCommand.class,
                QuantizeCommand.class,
                ImportCommand.class,
                CommandLine.HelpCommand.class,
        },
        exitCodeOnSuccess = ExitCodes.OK,
        exitCodeOnExecutionException = ExitCodes.FAILURE,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:failure (unreadable or invalid file, I/O error, unsupported tensor type)",
                "2:invalid command line"})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
    }

    /** The configured command line; tests redirect its output with setOut/setErr and call execute. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new FailureHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
