package dev.koboldj.server.api.kobold;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.ApiRoutes;
import dev.koboldj.server.api.EmbeddingService;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.Fields;
import dev.koboldj.server.api.Json;
import dev.koboldj.server.api.openai.EmbeddingsBody;
import dev.koboldj.server.http.Waiting;
import dev.koboldj.server.models.LoadedModel;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KoboldCPP's API as far as it concerns embeddings: {@code POST /api/extra/embeddings} (OpenAI's body and answer,
 * {@code truncate} on by default; a model name that is not loaded is ignored, as KoboldCPP serves one embedding
 * model), {@code GET /api/extra/version} (capabilities, {@code "embeddings": true} once a model is loaded),
 * {@code GET /api/v1/model} and {@code /api/v1/info/version}, {@code POST /api/extra/tokencount} (also
 * {@code /api/extra/tokenize}) and {@code /api/extra/detokenize} with the embedding model's tokenizer, there being
 * no text model.
 */
public final class KoboldApi implements ApiModule {
    /** The KoboldCPP release whose API shapes these endpoints follow (SillyTavern checks it for features). */
    public static final String KOBOLDCPP_VERSION = "1.102";
    /** The KoboldAI United API version KoboldCPP reports. */
    public static final String KOBOLDAI_API_VERSION = "1.2.5";

    private final EmbeddingService service;
    private final boolean protectedByKey;
    private final String koboldjVersion;
    private final ErrorFormat errors = new KoboldErrors();

    public KoboldApi(EmbeddingService service, boolean protectedByKey, String koboldjVersion) {
        this.service = service;
        this.protectedByKey = protectedByKey;
        this.koboldjVersion = koboldjVersion;
    }

    @Override
    public String name() {
        return "kobold";
    }

    @Override
    public ErrorFormat errors() {
        return errors;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post("/api/extra/embeddings", this::embeddings);
        routes.get("/api/extra/version", this::version);
        routes.get("/api/v1/model", ctx -> json(ctx, Map.of("result", "inactive")));
        routes.get("/api/v1/info/version", ctx -> json(ctx, Map.of("result", KOBOLDAI_API_VERSION)));
        routes.post("/api/extra/tokencount", this::tokencount);
        routes.post("/api/extra/tokenize", this::tokencount);
        routes.post("/api/extra/detokenize", this::detokenize);
    }

    private void embeddings(Context ctx) throws InterruptedException {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        String named = Fields.string(body, "model", null);
        String model = named != null && service.registry().find(named) != null ? named : null;
        EmbeddingsBody.Parsed p = EmbeddingsBody.parse(body, model, true);
        var result = Waiting.await(ctx, service.submit(p.request()));
        json(ctx, EmbeddingsBody.response(result, p.base64()));
    }

    private void version(Context ctx) {
        boolean loaded = service.registry().ready();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("result", "KoboldCpp");
        v.put("version", KOBOLDCPP_VERSION);
        v.put("protected", protectedByKey);
        v.put("llm", false);
        v.put("txt2img", false);
        v.put("vision", false);
        v.put("audio", false);
        v.put("transcribe", false);
        v.put("multiplayer", false);
        v.put("websearch", false);
        v.put("tts", false);
        v.put("embeddings", loaded);
        v.put("savedata", false);
        v.put("admin", 0);
        v.put("guidance", false);
        v.put("jinja", false);
        v.put("embeddingModel", loaded ? service.registry().defaultModel().name() : "");
        v.put("koboldj", koboldjVersion);
        json(ctx, v);
    }

    /** {@code {"prompt": text, "special": true}} -> {@code {"value": count, "ids": [...]}}. */
    private void tokencount(Context ctx) {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        String prompt = Fields.string(body, "prompt", "");
        boolean special = Fields.bool(body, "special", true);
        LoadedModel m = service.model(null);
        int[] ids = EmbeddingService.encode(m, prompt, special);
        json(ctx, Map.of("value", ids.length, "ids", ids));
    }

    /** {@code {"ids": [...]}} -> {@code {"result": text, "success": true}}. */
    private void detokenize(Context ctx) {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        int[] ids = body.hasNonNull("ids") ? Fields.tokenIds(body.get("ids"), "ids") : new int[0];
        LoadedModel m = service.model(null);
        EmbeddingService.checkIds(m, ids, "ids");
        json(ctx, Map.of("result", EmbeddingService.tokenizer(m).decode(ids), "success", true));
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.bytes(body));
    }
}
