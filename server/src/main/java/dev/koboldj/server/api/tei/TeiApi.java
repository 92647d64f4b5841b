package dev.koboldj.server.api.tei;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.koboldj.engine.tokenizer.TokenSpans;
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
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.TextTokenizer;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hugging Face text-embeddings-inference's API, for the default model: {@code POST /embed} ({@code inputs},
 * {@code normalize}, {@code truncate} off by default, {@code truncation_direction}, {@code dimensions}),
 * {@code POST /tokenize}, {@code POST /decode} and {@code GET /info}. Tokens from {@code /tokenize} carry their
 * decoded text (a special token its vocabulary entry); their character offsets ({@code start}, {@code stop}) are null.
 */
public final class TeiApi implements ApiModule {
    private final EmbeddingService service;
    private final String koboldjVersion;
    private final ErrorFormat errors = new TeiErrors();

    public TeiApi(EmbeddingService service, String koboldjVersion) {
        this.service = service;
        this.koboldjVersion = koboldjVersion;
    }

    @Override
    public String name() {
        return "tei";
    }

    @Override
    public ErrorFormat errors() {
        return errors;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post("/embed", this::embed);
        routes.post("/tokenize", this::tokenize);
        routes.post("/decode", this::decode);
        routes.get("/info", this::info);
    }

    private void embed(Context ctx) throws InterruptedException {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        List<EmbedInput> inputs = Fields.inputs(Fields.required(body, "inputs"), "inputs", true);
        boolean normalize = Fields.bool(body, "normalize", true);
        boolean truncate = Fields.bool(body, "truncate", false);
        String direction = Fields.string(body, "truncation_direction", "right");
        TruncationDirection dir = switch (direction.toLowerCase(Locale.ROOT)) {
            case "right" -> TruncationDirection.RIGHT;
            case "left" -> TruncationDirection.LEFT;
            default -> throw new ApiException(ErrorKind.INVALID_VALUE, "truncation_direction must be 'left' or 'right', got '" + direction + "'", "truncation_direction");
        };
        int dimensions = Fields.integer(body, "dimensions", 0);
        if (body.hasNonNull("dimensions") && dimensions < 1) throw new ApiException(ErrorKind.INVALID_VALUE, "dimensions must be at least 1, got " + dimensions, "dimensions");
        noPromptName(body);
        var result = Waiting.await(ctx, service.submit(new EmbedRequest(null, inputs, truncate, dir, normalize, dimensions)));
        json(ctx, result.embeddings().stream().map(e -> e.vector()).toList());
    }

    /** {@code index[i]} is the code point index of char i of {@code text} (TEI's offsets count code points, as Rust chars). */
    private static int[] codePointIndex(String text) {
        int[] index = new int[text.length() + 1];
        for (int i = 0, cp = 0; i <= text.length(); i++) {
            index[i] = cp;
            if (i < text.length() && !Character.isLowSurrogate(text.charAt(i))) cp++;
        }
        return index;
    }

    private void tokenize(Context ctx) {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        List<EmbedInput> inputs = Fields.inputs(Fields.required(body, "inputs"), "inputs", false);
        if (inputs.isEmpty()) throw new ApiException(ErrorKind.EMPTY_INPUT, "inputs is empty", "inputs");
        checkBatch(inputs.size());
        boolean special = Fields.bool(body, "add_special_tokens", true);
        noPromptName(body);
        LoadedModel m = service.model(null);
        TextTokenizer tok = EmbeddingService.tokenizer(m);
        List<List<Map<String, Object>>> out = new ArrayList<>();
        for (EmbedInput in : inputs) {
            String text = ((EmbedInput.Text) in).text();
            TokenSpans spans = tok.encodeWithSpans(text, special);
            int[] codePoints = codePointIndex(text);
            List<Map<String, Object>> tokens = new ArrayList<>();
            for (int i = 0; i < spans.ids().length; i++) {
                int id = spans.ids()[i];
                // As Hugging Face's special-tokens mask: only the tokens added around the text are special; a special
                // token written in the text, or an [UNK] the model made of a word, has the span of its source text.
                String source = spans.hasSpans() && spans.starts()[i] >= 0 ? text.substring(spans.starts()[i], spans.ends()[i]) : null;
                boolean isSpecial = spans.hasSpans() ? source == null : m.isSpecial(id);
                boolean located = source != null;
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", id);
                t.put("text", isSpecial ? tok.token(id) : located ? source : tok.decode(new int[]{id}));
                t.put("special", isSpecial);
                t.put("start", located ? codePoints[spans.starts()[i]] : null);
                t.put("stop", located ? codePoints[spans.ends()[i]] : null);
                tokens.add(t);
            }
            out.add(tokens);
        }
        json(ctx, out);
    }

    private void decode(Context ctx) {
        ObjectNode body = Json.object(ctx.bodyAsBytes());
        JsonNode ids = Fields.required(body, "ids");
        boolean skipSpecial = Fields.bool(body, "skip_special_tokens", true);
        List<int[]> seqs = new ArrayList<>();
        if (ids.isArray() && !ids.isEmpty() && ids.get(0).isArray()) {
            for (int i = 0; i < ids.size(); i++) seqs.add(Fields.tokenIds(ids.get(i), "ids[" + i + "]"));
        } else {
            seqs.add(Fields.tokenIds(ids, "ids"));
        }
        if (seqs.size() == 1 && seqs.getFirst().length == 0) throw new ApiException(ErrorKind.EMPTY_INPUT, "ids is empty", "ids");
        checkBatch(seqs.size());
        LoadedModel m = service.model(null);
        TextTokenizer tok = EmbeddingService.tokenizer(m);
        List<String> out = new ArrayList<>();
        for (int[] s : seqs) {
            EmbeddingService.checkIds(m, s, "ids");
            out.add(tok.decode(skipSpecial ? java.util.Arrays.stream(s).filter(id -> !m.isSpecial(id)).toArray() : s));
        }
        json(ctx, out);
    }

    private void info(Context ctx) {
        LoadedModel m = service.model(null);
        var info = m.info();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_id", info.name());
        out.put("model_sha", info.digest());
        out.put("model_dtype", info.quantization().toLowerCase(Locale.ROOT));
        out.put("model_type", Map.of("embedding", Map.of("pooling", info.pooling())));
        out.put("served_model_name", info.name());
        out.put("max_concurrent_requests", m.queue().limits().maxRequests());
        out.put("max_input_length", info.maxTokens());
        out.put("max_batch_tokens", m.queue().limits().maxBatchTokens());
        out.put("max_batch_requests", m.queue().limits().maxBatchSequences());
        out.put("max_client_batch_size", service.maxClientBatch());
        out.put("auto_truncate", false);
        out.put("tokenization_workers", Runtime.getRuntime().availableProcessors());
        out.put("version", koboldjVersion);
        out.put("sha", null);
        out.put("docker_label", null);
        json(ctx, out);
    }

    private void checkBatch(int n) {
        if (n > service.maxClientBatch()) {
            throw new ApiException(ErrorKind.TOO_MANY_INPUTS, "batch size " + n + " > maximum allowed batch size " + service.maxClientBatch(), "inputs");
        }
    }

    /** This server has no sentence-transformers prompts; asking for one is a validation error, not silently ignored. */
    private static void noPromptName(ObjectNode body) {
        String p = Fields.string(body, "prompt_name", null);
        if (p != null) throw new ApiException(ErrorKind.INVALID_VALUE, "prompt_name '" + p + "' is not available: this model has no prompts", "prompt_name");
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.bytes(body));
    }
}
