package dev.koboldj.server.api.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.ApiRoutes;
import dev.koboldj.server.api.EmbeddingService;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import dev.koboldj.server.api.Fields;
import dev.koboldj.server.api.Json;
import dev.koboldj.server.http.Waiting;
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.ModelInfo;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's API: {@code POST /v1/embeddings} and {@code GET /v1/models} (each model with its embedding dimension
 * and input limit). Inputs longer than the model's limit are cut unless the request says {@code "truncate": false},
 * as in KoboldCPP, whose {@code /v1/embeddings} this mirrors.
 */
public final class OpenAiApi implements ApiModule {
    private final EmbeddingService service;
    private final ErrorFormat errors = new OpenAiErrors();

    public OpenAiApi(EmbeddingService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public ErrorFormat errors() {
        return errors;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post("/v1/embeddings", this::embeddings);
        routes.get("/v1/models", this::models);
        routes.get("/v1/models/{id}", this::model);
    }

    private void embeddings(Context ctx) throws InterruptedException {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        EmbeddingsBody.Parsed p = EmbeddingsBody.parse(body, Fields.string(body, "model", null), true);
        var result = Waiting.await(ctx, service.submit(p.request()));
        ctx.contentType("application/json").result(Json.bytes(EmbeddingsBody.response(result, p.base64())));
    }

    private void models(Context ctx) {
        var data = service.registry().all().stream().map(m -> describe(m.info())).toList();
        ctx.contentType("application/json").result(Json.bytes(Map.of("object", "list", "data", data)));
    }

    private void model(Context ctx) {
        LoadedModel m = service.registry().find(ctx.pathParam("id"));
        if (m == null) throw new ApiException(ErrorKind.UNKNOWN_MODEL, "the model '" + ctx.pathParam("id") + "' is not loaded", "model");
        ctx.contentType("application/json").result(Json.bytes(describe(m.info())));
    }

    private static Map<String, Object> describe(ModelInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.name());
        m.put("object", "model");
        m.put("created", info.loadedAt().getEpochSecond());
        m.put("owned_by", "koboldj");
        m.put("dimensions", info.dimension());
        m.put("max_tokens", info.maxTokens());
        m.put("architecture", info.architecture());
        m.put("pooling", info.pooling());
        m.put("backend", info.backend());
        m.put("device", info.device());
        m.put("memory", Map.of("weights_bytes", info.weightBytes(), "activations_bytes", info.activationBytes()));
        return m;
    }
}
