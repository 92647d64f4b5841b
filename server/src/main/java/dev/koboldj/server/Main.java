package dev.koboldj.server;

import dev.koboldj.server.cli.EmbedCommand;
import dev.koboldj.server.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code koboldj} command: {@code serve} and {@code embed}. */
@Command(name = "koboldj", mixinStandardHelpOptions = true, version = "koboldj " + ServerApp.VERSION,
        description = "Local inference server for GGUF models.",
        subcommands = {ServeCommand.class, EmbedCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
