package dev.koboldj.server.cli;

import dev.koboldj.engine.backend.Pooling;
import dev.koboldj.engine.embed.EmbeddingOptions;
import dev.koboldj.engine.imports.DefaultModel;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.ModelSpec;
import dev.koboldj.server.models.Tokenizers;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code koboldj serve}: loads the embedding models and serves them over HTTP until stopped. With no model
 * given it serves the built-in default (all-MiniLM-L6-v2). Flags follow KoboldCPP where KoboldCPP has them.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve embedding models over HTTP: OpenAI (/v1/embeddings), KoboldCPP (/api/extra/embeddings),",
                "Ollama (/api/embed) and text-embeddings-inference (/embed) APIs, /health and /metrics.",
                "With no model given, serves the built-in all-MiniLM-L6-v2 on http://localhost:5001."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Read settings from a JSON file (KoboldCPP .kcpps keys where they overlap). Command-line flags win.")
    Path config;

    @Option(names = "--model", paramLabel = "FILE", description = "A GGUF model. Text generation is not available yet, so it is served as an embedding model.")
    Path model;

    @Option(names = "--embeddingsmodel", paramLabel = "FILE", description = "A GGUF embedding model to serve; repeat to serve several (the first is the default).")
    List<Path> embeddingModels = new ArrayList<>();

    @Option(names = "--embeddingsmaxctx", paramLabel = "N", description = "The most tokens one input may have (default: --contextsize if given, else the model's own limit).")
    Integer embeddingsMaxCtx;

    @Option(names = "--contextsize", paramLabel = "N", description = "Context size; caps embedding inputs when --embeddingsmaxctx is not given, as in KoboldCPP.")
    Integer contextSize;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: ${DEFAULT-VALUE}, KoboldCPP's).")
    int port = 5001;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads for inference (default: all cores).")
    int threads;

    @Option(names = "--password", paramLabel = "KEY", description = "API key clients must send as 'Authorization: Bearer KEY' on every POST endpoint.")
    String password;

    @Option(names = "--usecpu", description = "Run on the CPU.")
    boolean useCpu;

    @Option(names = "--usevulkan", arity = "0..*", paramLabel = "N", description = "Run on a Vulkan GPU (device N, default the first usable one).")
    List<Integer> useVulkan;

    @Option(names = "--quiet", description = "Print only the startup line and errors.")
    boolean quiet;

    @Option(names = "--max-batch-tokens", paramLabel = "N", description = "Most tokens one forward pass packs from queued requests (default: ${DEFAULT-VALUE}).")
    int maxBatchTokens = EmbeddingOptions.DEFAULT_BATCH_TOKENS;

    @Option(names = "--max-batch-sequences", paramLabel = "N", description = "Most inputs one forward pass packs (default: ${DEFAULT-VALUE}).")
    int maxBatchSequences = 256;

    @Option(names = "--max-concurrent-requests", paramLabel = "N", description = "Requests a model may have waiting or running; more are refused at once with 429 (503 on KoboldCPP and Ollama endpoints) (default: ${DEFAULT-VALUE}).")
    int maxConcurrentRequests = 512;

    @Option(names = "--max-client-batch", paramLabel = "N", description = "Most inputs one request may carry (default: ${DEFAULT-VALUE}).")
    int maxClientBatch = 2048;

    @Option(names = "--payload-limit", paramLabel = "SIZE", converter = SizeConverter.class, description = "Largest request body, e.g. 32m or 1g (default: 32m); larger ones get 413.")
    long payloadLimit = 32L << 20;

    @Option(names = "--maxrequestsize", paramLabel = "MB", description = "KoboldCPP's name for the payload limit, in megabytes.")
    Integer maxRequestSizeMb;

    @Option(names = "--pooling", paramLabel = "TYPE", description = "Override the model's pooling: none, mean, cls, last or rank.")
    String pooling;

    @Option(names = "--no-normalize", description = "Return vectors without L2 normalisation unless a request asks for it.")
    boolean noNormalize;

    @Override
    public Integer call() throws Exception {
        resolve();
        Logging.configure(quiet);
        List<ModelSpec> specs = modelSpecs();
        ServerApp app = ServerApp.start(serverConfig(), specs, Tokenizers.engine());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "koboldj-shutdown"));
        spec.commandLine().getOut().println(startupLine(app));
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** Merges the config file under the flags given on the command line and checks the values. */
    void resolve() throws java.io.IOException {
        if (config != null) apply(ConfigFile.read(config));
        if (maxRequestSizeMb != null && !matched("--payload-limit")) payloadLimit = (long) maxRequestSizeMb << 20;
        for (int v : new int[]{maxBatchTokens, maxBatchSequences, maxConcurrentRequests, maxClientBatch}) {
            if (v < 1) throw new CommandLine.ParameterException(spec.commandLine(), "batch and request limits must be at least 1");
        }
        if (port < 0 || port > 65535) throw new CommandLine.ParameterException(spec.commandLine(), "--port must be between 0 and 65535");
        if (useCpu && useVulkan != null) throw new CommandLine.ParameterException(spec.commandLine(), "--usecpu and --usevulkan cannot be used together");
        if (pooling != null) {
            try {
                Pooling.parse(pooling);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void apply(ConfigFile c) {
        if (!matched("--model")) {
            String m = c.string("model_param");
            if (m == null || m.isBlank()) m = c.string("model");
            if (m != null && !m.isBlank()) model = Path.of(m);
        }
        if (!matched("--embeddingsmodel")) for (String e : c.strings("embeddingsmodel")) embeddingModels.add(Path.of(e));
        if (!matched("--embeddingsmaxctx") && c.integer("embeddingsmaxctx") != null && c.integer("embeddingsmaxctx") > 0) embeddingsMaxCtx = c.integer("embeddingsmaxctx");
        if (!matched("--contextsize") && c.integer("contextsize") != null && c.integer("contextsize") > 0) contextSize = c.integer("contextsize");
        if (!matched("--host") && c.string("host") != null) host = c.string("host").isBlank() ? "0.0.0.0" : c.string("host");
        if (!matched("--port") && c.integer("port") != null) port = c.integer("port");
        if (!matched("--threads") && c.integer("threads") != null) threads = Math.max(0, c.integer("threads"));
        if (!matched("--password") && c.string("password") != null && !c.string("password").isEmpty()) password = c.string("password");
        if (!matched("--usecpu") && !matched("--usevulkan")) {
            if (Boolean.TRUE.equals(c.bool("usecpu"))) useCpu = true;
            else if (c.vulkanDevices() != null) useVulkan = c.vulkanDevices();
        }
        if (!matched("--quiet") && c.bool("quiet") != null) quiet = c.bool("quiet");
        if (!matched("--maxrequestsize") && c.integer("maxrequestsize") != null) maxRequestSizeMb = c.integer("maxrequestsize");
        if (!matched("--max-batch-tokens") && c.integer("max-batch-tokens") != null) maxBatchTokens = c.integer("max-batch-tokens");
        if (!matched("--max-batch-sequences") && c.integer("max-batch-sequences") != null) maxBatchSequences = c.integer("max-batch-sequences");
        if (!matched("--max-concurrent-requests") && c.integer("max-concurrent-requests") != null) maxConcurrentRequests = c.integer("max-concurrent-requests");
        if (!matched("--max-client-batch") && c.integer("max-client-batch") != null) maxClientBatch = c.integer("max-client-batch");
        if (!matched("--payload-limit") && c.string("payload-limit") != null) payloadLimit = SizeConverter.parse(c.string("payload-limit"));
        if (!matched("--pooling") && c.string("pooling") != null) pooling = c.string("pooling");
        if (!matched("--no-normalize") && c.bool("no-normalize") != null) noNormalize = c.bool("no-normalize");
    }

    ServerApp.Config serverConfig() {
        return new ServerApp.Config(host, port, password, payloadLimit, maxClientBatch,
                new EmbeddingQueue.Limits(maxBatchTokens, maxBatchSequences, maxConcurrentRequests));
    }

    EmbeddingOptions embeddingOptions() {
        EmbeddingOptions o = BackendChoice.of(useCpu, useVulkan).apply(EmbeddingOptions.defaults())
                .withThreads(threads).withMaxBatchTokens(maxBatchTokens).withNormalize(!noNormalize);
        Integer maxTokens = embeddingsMaxCtx != null ? embeddingsMaxCtx : contextSize;
        if (maxTokens != null) o = o.withMaxTokens(maxTokens);
        if (pooling != null) o = o.withPooling(Pooling.parse(pooling));
        return o;
    }

    /** The models to load, in order: --model, then each --embeddingsmodel; the default model when none is given. */
    List<ModelSpec> modelSpecs() throws java.io.IOException {
        EmbeddingOptions o = embeddingOptions();
        List<ModelSpec> specs = new ArrayList<>();
        if (model != null) specs.add(new ModelSpec(model, null, o));
        for (Path p : embeddingModels) specs.add(new ModelSpec(p, null, o));
        if (specs.isEmpty()) specs.add(new ModelSpec(DefaultModels.path(spec.commandLine().getErr(), quiet), DefaultModel.NAME, o));
        return specs;
    }

    static String startupLine(ServerApp app) {
        String shown = app.config().host() == null || app.config().host().isBlank() || app.config().host().equals("0.0.0.0")
                || app.config().host().equals("127.0.0.1") ? "localhost" : app.config().host();
        String models = app.models().stream().map(ServeCommand::describe).collect(Collectors.joining(", "));
        return "koboldj " + ServerApp.VERSION + " serving " + models + " at http://" + shown + ":" + app.port()
                + "/  (OpenAI /v1/embeddings, KoboldCPP /api/extra/embeddings, Ollama /api/embed, TEI /embed)";
    }

    private static String describe(LoadedModel m) {
        var i = m.info();
        return i.name() + " [" + i.architecture() + ", " + i.dimension() + " dims, " + i.maxTokens() + " tokens, " + i.backend() + "]";
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
