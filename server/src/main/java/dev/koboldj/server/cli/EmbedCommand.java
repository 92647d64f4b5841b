package dev.koboldj.server.cli;

import dev.koboldj.engine.embed.Embedding;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.server.api.Json;
import dev.koboldj.server.api.openai.EmbeddingsBody;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code koboldj embed}: vectors for texts given as arguments (or one per line on standard input, or token ids
 * with --tokens), one JSON array per input on standard output, without a server.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print embedding vectors for texts (arguments, or lines of standard input), one JSON array per line.")
public final class EmbedCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--model", "--embeddingsmodel"}, paramLabel = "FILE", description = "The GGUF embedding model (default: the built-in all-MiniLM-L6-v2).")
    Path model;

    @Option(names = "--tokens", paramLabel = "IDS", split = ";", description = "Token ids instead of text, comma-separated; several inputs separated by ';'.")
    List<String> tokens = new ArrayList<>();

    @Option(names = "--dimensions", paramLabel = "N", description = "Keep the first N components (Matryoshka), then normalise.")
    int dimensions;

    @Option(names = "--no-normalize", description = "Print vectors without L2 normalisation.")
    boolean noNormalize;

    @Option(names = "--base64", description = "Print each vector as base64 of its little-endian float32 values.")
    boolean base64;

    @Option(names = "--usecpu", description = "Run on the CPU.")
    boolean useCpu;

    @Option(names = "--usevulkan", arity = "0..*", paramLabel = "N", description = "Run on a Vulkan GPU (device N).")
    List<Integer> useVulkan;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    int threads;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Texts to embed; none reads standard input, one text per line.")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Logging.configure(true);
        Path file = model != null ? model : DefaultModels.path(spec.commandLine().getErr(), false);
        EmbeddingOptions options = BackendChoice.of(useCpu, useVulkan).apply(EmbeddingOptions.defaults()).withThreads(threads);
        try (EmbeddingModel m = EmbeddingModel.load(file, options)) {
            List<Embedding> out = tokens.isEmpty() ? m.embed(texts(), !noNormalize, dimensions, true) : m.embedTokens(tokenIds(), !noNormalize, dimensions, true);
            PrintWriter w = spec.commandLine().getOut();
            for (Embedding e : out) w.println(base64 ? Json.MAPPER.writeValueAsString(EmbeddingsBody.base64(e.vector())) : Json.MAPPER.writeValueAsString(e.vector()));
            w.flush();
        }
        return 0;
    }

    private int[][] tokenIds() {
        return tokens.stream().map(s -> Arrays.stream(s.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
    }

    private List<String> texts() throws java.io.IOException {
        List<String> inputs = new ArrayList<>(texts);
        if (inputs.isEmpty()) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) if (!line.isEmpty()) inputs.add(line);
        }
        if (inputs.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "nothing to embed: give texts, lines on standard input, or --tokens");
        return inputs;
    }
}
