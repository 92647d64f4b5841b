package dev.koboldj.server;

import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.EmbeddingService;
import dev.koboldj.server.api.kobold.KoboldApi;
import dev.koboldj.server.api.ollama.OllamaApi;
import dev.koboldj.server.api.openai.OpenAiApi;
import dev.koboldj.server.api.tei.TeiApi;
import dev.koboldj.server.http.HttpServer;
import dev.koboldj.server.http.ServerMetrics;
import dev.koboldj.server.http.ServerModule;
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.ModelLoader;
import dev.koboldj.server.models.ModelRegistry;
import dev.koboldj.server.models.ModelSpec;
import dev.koboldj.server.models.TokenizerSource;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import dev.koboldj.server.scheduling.Forward;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The whole server: metrics, model registry, embedding service, the four API modules and the HTTP listener.
 * {@link #start} opens the port first (health answers 503 while loading), then loads every model in order, then
 * reports ready.
 */
public final class ServerApp implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    /**
     * How to serve: listen address, API key (null = none), body size limit in bytes, inputs per request, and the
     * per-model queue limits.
     */
    public record Config(String host, int port, String apiKey, long payloadLimit, int maxClientBatch, EmbeddingQueue.Limits limits) {
    }

    private final ServerMetrics metrics = new ServerMetrics();
    private final ModelRegistry registry = new ModelRegistry();
    private final HttpServer http;
    private final Config config;

    private ServerApp(Config config) {
        this.config = config;
        EmbeddingService service = new EmbeddingService(registry, config.maxClientBatch(), metrics);
        boolean keyed = config.apiKey() != null && !config.apiKey().isEmpty();
        ServerModule own = new ServerModule(registry, metrics);
        List<ApiModule> modules = List.of(own, new OpenAiApi(service), new KoboldApi(service, keyed, VERSION),
                new OllamaApi(service), new TeiApi(service, VERSION));
        this.http = new HttpServer(new HttpServer.Settings(config.host(), config.port(), config.apiKey(), config.payloadLimit()),
                modules, own, metrics);
    }

    /** Listens, loads the models, then turns ready; on a load failure everything started is closed again. */
    public static ServerApp start(Config config, List<ModelSpec> models, TokenizerSource tokenizers) throws IOException {
        return start(config, models, tokenizers, UnaryOperator.identity());
    }

    /** As {@link #start(Config, List, TokenizerSource)}, with each model's forward pass wrapped by {@code forwards}. */
    public static ServerApp start(Config config, List<ModelSpec> models, TokenizerSource tokenizers, UnaryOperator<Forward> forwards) throws IOException {
        ServerApp app = new ServerApp(config);
        try {
            app.http.start();
            ModelLoader loader = new ModelLoader(tokenizers, config.limits(), app.metrics, forwards);
            for (ModelSpec spec : models) {
                LoadedModel m = loader.load(spec);
                try {
                    app.registry.add(m);
                } catch (RuntimeException e) {
                    m.close();
                    throw e;
                }
            }
            app.registry.markReady();
            return app;
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public ModelRegistry registry() {
        return registry;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public Config config() {
        return config;
    }

    public List<LoadedModel> models() {
        return registry.all();
    }

    @Override
    public void close() {
        http.close();
        registry.close();
    }
}
