package dev.koboldj.server.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.ApiRoutes;
import dev.koboldj.server.api.EmbedInput;
import dev.koboldj.server.api.EmbedRequest;
import dev.koboldj.server.api.EmbeddingService;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import dev.koboldj.server.api.Fields;
import dev.koboldj.server.api.Json;
import dev.koboldj.server.api.TruncationDirection;
import dev.koboldj.server.http.Waiting;
import dev.koboldj.server.models.ModelInfo;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ollama's API: {@code POST /api/embed} ({@code input} string or strings, {@code truncate} on by default,
 * {@code dimensions}; {@code keep_alive} and {@code options} accepted and ignored, models staying loaded),
 * the legacy {@code POST /api/embeddings} ({@code prompt} -> {@code embedding}, not normalised, as in Ollama),
 * {@code GET /api/tags}, {@code GET /api/ps}, {@code POST /api/show} and {@code GET /api/version}.
 */
public final class OllamaApi implements ApiModule {
    /** The Ollama API version reported, as KoboldCPP does. */
    public static final String OLLAMA_VERSION = "0.7.0";

    private final EmbeddingService service;
    private final ErrorFormat errors = new OllamaErrors();

    public OllamaApi(EmbeddingService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public ErrorFormat errors() {
        return errors;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post("/api/embed", this::embed);
        routes.post("/api/embeddings", this::legacyEmbeddings);
        routes.get("/api/tags", this::tags);
        routes.get("/api/ps", this::running);
        routes.post("/api/show", this::show);
        routes.get("/api/version", ctx -> json(ctx, Map.of("version", OLLAMA_VERSION)));
    }

    private void embed(Context ctx) throws InterruptedException {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        String model = Fields.string(body, "model", null);
        List<EmbedInput> inputs = Fields.inputs(Fields.required(body, "input"), "input", false);
        boolean truncate = Fields.bool(body, "truncate", true);
        int dimensions = Fields.integer(body, "dimensions", 0);
        if (body.hasNonNull("dimensions") && dimensions < 1) throw new ApiException(ErrorKind.INVALID_VALUE, "dimensions must be at least 1, got " + dimensions, "dimensions");
        acceptKeepAlive(body);
        var result = Waiting.await(ctx, service.submit(new EmbedRequest(model, inputs, truncate, TruncationDirection.RIGHT, null, dimensions)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", result.model());
        out.put("embeddings", result.embeddings().stream().map(e -> e.vector()).toList());
        out.put("total_duration", result.durationNanos());
        out.put("load_duration", 0);
        out.put("prompt_eval_count", result.promptTokens());
        json(ctx, out);
    }

    private void legacyEmbeddings(Context ctx) throws InterruptedException {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        String model = Fields.string(body, "model", null);
        String prompt = Fields.string(body, "prompt", null);
        if (prompt == null) throw new ApiException(ErrorKind.MISSING_FIELD, "the field 'prompt' is required", "prompt");
        acceptKeepAlive(body);
        var result = Waiting.await(ctx, service.submit(new EmbedRequest(model, List.of(new EmbedInput.Text(prompt)), true, TruncationDirection.RIGHT, false, 0)));
        json(ctx, Map.of("embedding", result.embeddings().getFirst().vector()));
    }

    /** keep_alive is a duration string or a number of seconds; options an object. Both are accepted and have no effect. */
    private static void acceptKeepAlive(ObjectNode body) {
        JsonNode k = body.get("keep_alive");
        if (k != null && !k.isNull() && !k.isTextual() && !k.isNumber()) throw Fields.wrongType("keep_alive", "a duration string or a number", k);
        JsonNode o = body.get("options");
        if (o != null && !o.isNull() && !o.isObject()) throw Fields.wrongType("options", "an object", o);
    }

    private void tags(Context ctx) {
        var models = service.registry().all().stream().map(m -> tag(m.info())).toList();
        json(ctx, Map.of("models", models));
    }

    /** Loaded models; they stay loaded while the server runs, so {@code expires_at} is far away. */
    private void running(Context ctx) {
        var models = service.registry().all().stream().map(m -> {
            ModelInfo info = m.info();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", info.name() + ":latest");
            r.put("model", info.name() + ":latest");
            r.put("size", info.weightBytes() + info.activationBytes());
            r.put("digest", info.digest());
            r.put("details", details(info));
            r.put("expires_at", NEVER);
            r.put("size_vram", "cpu".equals(info.backend()) ? 0 : info.weightBytes() + info.activationBytes());
            return r;
        }).toList();
        json(ctx, Map.of("models", models));
    }

    /** {@code model} (or the older {@code name}) as in Ollama; the facts Ollama gives that an embedding model has. */
    private void show(Context ctx) {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        String name = Fields.string(body, "model", Fields.string(body, "name", null));
        if (name == null) throw new ApiException(ErrorKind.MISSING_FIELD, "the field 'model' is required", "model");
        ModelInfo info = service.model(name).info();
        Map<String, Object> modelInfo = new LinkedHashMap<>();
        modelInfo.put("general.architecture", info.architecture());
        modelInfo.put("general.parameter_count", info.parameters());
        modelInfo.put(info.architecture() + ".context_length", info.maxTokens());
        modelInfo.put(info.architecture() + ".embedding_length", info.dimension());
        modelInfo.put(info.architecture() + ".pooling_type", info.pooling());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("license", "");
        r.put("modelfile", "");
        r.put("parameters", "");
        r.put("template", "");
        r.put("details", details(info));
        r.put("model_info", modelInfo);
        r.put("capabilities", List.of("embedding"));
        r.put("modified_at", info.modified().toString());
        json(ctx, r);
    }

    private static final String NEVER = "2318-01-01T00:00:00Z";

    private static Map<String, Object> tag(ModelInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", info.name() + ":latest");
        m.put("model", info.name() + ":latest");
        m.put("modified_at", info.modified().toString());
        m.put("size", info.fileSize());
        m.put("digest", info.digest());
        m.put("details", details(info));
        return m;
    }

    private static Map<String, Object> details(ModelInfo info) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("parent_model", "");
        details.put("format", "gguf");
        details.put("family", info.architecture());
        details.put("families", List.of(info.architecture()));
        details.put("parameter_size", parameterSize(info.parameters()));
        details.put("quantization_level", info.quantization());
        return details;
    }

    /** "22.7M", "1.5B" as Ollama writes parameter counts. */
    static String parameterSize(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.1fB", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        return String.format(Locale.ROOT, "%.1fK", n / 1e3);
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.bytes(body));
    }
}
