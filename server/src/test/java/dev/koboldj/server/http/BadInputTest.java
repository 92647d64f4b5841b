package dev.koboldj.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.koboldj.engine.testing.SyntheticModels;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad request gets a 4xx with a JSON body in the style of the API it came to; one test per kind of mistake. */
class BadInputTest {
    static final String KEY = "s3cret";
    static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    @TempDir
    static Path dir;
    static ServerApp app;
    static String base;
    static int vocab;

    @BeforeAll
    static void start() throws Exception {
        ServerApp.Config c = Fixtures.config();
        app = Fixtures.start(new ServerApp.Config(c.host(), 0, KEY, 1 << 20, 64, c.limits()), Fixtures.syntheticBert(dir));
        base = Fixtures.base(app);
        vocab = app.registry().defaultModel().vocabSize();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static Http.Response openai(String body) {
        return Http.post(base + "/v1/embeddings", body, AUTH);
    }

    /** OpenAI's error shape, the status, the code, and nothing that looks like a stack trace. */
    static JsonNode assertOpenAiError(Http.Response r, int status, String code) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode e = r.json().get("error");
        assertTrue(e != null && e.get("message").isTextual() && !e.get("message").asText().isBlank(), r.body());
        assertTrue(e.get("type").isTextual(), r.body());
        assertEquals(code, e.get("code").asText(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack traces: " + r.body());
        return e;
    }

    static void assertKoboldError(Http.Response r, int status, String type) {
        assertEquals(status, r.status(), r.body());
        assertEquals(type, r.json().get("detail").get("type").asText(), r.body());
        assertTrue(r.json().get("detail").get("msg").isTextual(), r.body());
    }

    static void assertOllamaError(Http.Response r, int status) {
        assertEquals(status, r.status(), r.body());
        assertTrue(r.json().get("error").isTextual(), r.body());
    }

    static void assertTeiError(Http.Response r, int status, String type) {
        assertEquals(status, r.status(), r.body());
        assertEquals(type, r.json().get("error_type").asText(), r.body());
        assertTrue(r.json().get("error").isTextual(), r.body());
    }

    @Test
    void malformedJson() {
        String bad = "{\"input\": [\"the fox\"";
        assertOpenAiError(openai(bad), 400, "malformed_json");
        assertKoboldError(Http.post(base + "/api/extra/embeddings", bad, AUTH), 400, "bad_input");
        assertOllamaError(Http.post(base + "/api/embed", bad, AUTH), 400);
        assertTeiError(Http.post(base + "/embed", bad, AUTH), 400, "validation");
    }

    @Test
    void bodyThatIsNotAnObject() {
        assertOpenAiError(openai("[\"the fox\"]"), 400, "wrong_type");
        assertOpenAiError(openai(""), 400, "malformed_json");
    }

    @Test
    void inputOfTheWrongType() {
        JsonNode e = assertOpenAiError(openai("{\"input\": 5}"), 400, "wrong_type");
        assertEquals("input", e.get("param").asText());
        assertOpenAiError(openai("{\"input\": [\"the fox\", true]}"), 400, "wrong_type");
        assertOpenAiError(openai("{\"input\": [1, 2.5]}"), 400, "wrong_type");
        assertOpenAiError(openai("{\"input\": {\"text\": \"the fox\"}}"), 400, "wrong_type");
        assertOllamaError(Http.post(base + "/api/embed", "{\"input\": [[1, 2]]}", AUTH), 400);
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": 7}", AUTH), 422, "validation");
    }

    @Test
    void optionsOfTheWrongTypeOrValue() {
        assertOpenAiError(openai("{\"input\": \"the fox\", \"encoding_format\": \"int8\"}"), 400, "invalid_value");
        assertOpenAiError(openai("{\"input\": \"the fox\", \"dimensions\": \"8\"}"), 400, "wrong_type");
        assertOpenAiError(openai("{\"input\": \"the fox\", \"dimensions\": 0}"), 400, "invalid_value");
        assertOpenAiError(openai("{\"input\": \"the fox\", \"dimensions\": " + (SyntheticModels.HIDDEN + 1) + "}"), 400, "invalid_value");
        assertOpenAiError(openai("{\"input\": \"the fox\", \"user\": 12}"), 400, "wrong_type");
        assertOpenAiError(openai("{\"input\": \"the fox\", \"model\": [\"bert\"]}"), 400, "wrong_type");
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": \"the fox\", \"truncation_direction\": \"middle\"}", AUTH), 422, "validation");
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": \"the fox\", \"normalize\": \"yes\"}", AUTH), 422, "validation");
        assertOllamaError(Http.post(base + "/api/embed", "{\"input\": \"the fox\", \"keep_alive\": [1]}", AUTH), 400);
    }

    @Test
    void missingInput() {
        assertOpenAiError(openai("{\"model\": \"bert\"}"), 400, "missing_field");
        assertOllamaError(Http.post(base + "/api/embeddings", "{\"model\": \"bert\"}", AUTH), 400);
        assertTeiError(Http.post(base + "/embed", "{}", AUTH), 422, "validation");
    }

    @Test
    void emptyInputs() {
        assertOpenAiError(openai("{\"input\": []}"), 400, "empty_input");
        assertOpenAiError(openai("{\"input\": \"\"}"), 400, "empty_input");
        assertOpenAiError(openai("{\"input\": [[]]}"), 400, "empty_input");
        assertOpenAiError(openai("{\"input\": [\"the fox\", \"\"]}"), 400, "empty_input");
        assertKoboldError(Http.post(base + "/api/extra/embeddings", "{\"input\": []}", AUTH), 400, "bad_input");
        assertOllamaError(Http.post(base + "/api/embed", "{\"input\": []}", AUTH), 400);
        assertOllamaError(Http.post(base + "/api/embeddings", "{\"prompt\": \"\"}", AUTH), 400);
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": []}", AUTH), 400, "empty");
    }

    @Test
    void tooManyInputs() {
        String inputs = Http.json(Collections.nCopies(65, "the fox"));
        assertOpenAiError(openai("{\"input\": " + inputs + "}"), 400, "too_many_inputs");
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": " + inputs + "}", AUTH), 413, "validation");
        assertEquals(200, openai("{\"input\": " + Http.json(Collections.nCopies(64, "the fox")) + "}").status(), "64 is the limit, not past it");
    }

    @Test
    void tokenIdsOutOfRange() {
        assertOpenAiError(openai("{\"input\": [1, 2, " + vocab + "]}"), 400, "token_out_of_range");
        assertOpenAiError(openai("{\"input\": [[1, 2], [3, -1]]}"), 400, "token_out_of_range");
        assertOpenAiError(openai("{\"input\": [1, 4294967296]}"), 400, "token_out_of_range");
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": [[" + vocab + "]]}", AUTH), 422, "tokenizer");
        assertEquals(200, openai("{\"input\": [1, 2, " + (vocab - 1) + "]}").status(), "the last id is in range");
    }

    @Test
    void inputTooLongWithTruncationOff() {
        List<Integer> ids = new ArrayList<>(Collections.nCopies(SyntheticModels.CONTEXT + 10, 5));
        String tokens = Http.json(ids);
        JsonNode e = assertOpenAiError(openai("{\"input\": " + tokens + ", \"truncate\": false}"), 400, "context_length_exceeded");
        assertTrue(e.get("message").asText().contains(Integer.toString(SyntheticModels.CONTEXT)), e.toString());
        assertKoboldError(Http.post(base + "/api/extra/embeddings", "{\"input\": [" + tokens + "], \"truncate\": false}", AUTH), 400, "bad_input");
        assertOllamaError(Http.post(base + "/api/embed", "{\"input\": \"" + "fox ".repeat(200) + "\", \"truncate\": false}", AUTH), 400);
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": [" + tokens + "]}", AUTH), 413, "validation");
        Http.Response cut = openai("{\"input\": " + tokens + "}");
        assertEquals(200, cut.status(), "truncation is on by default on /v1/embeddings: " + cut.body());
        assertEquals(SyntheticModels.CONTEXT, cut.json().get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void unknownModel() {
        JsonNode e = assertOpenAiError(openai("{\"input\": \"the fox\", \"model\": \"text-embedding-3-large\"}"), 404, "model_not_found");
        assertTrue(e.get("message").asText().contains("bert"), "the message names the loaded models: " + e);
        assertOllamaError(Http.post(base + "/api/embed", "{\"input\": \"the fox\", \"model\": \"nomic-embed-text\"}", AUTH), 404);
        assertOpenAiError(Http.get(base + "/v1/models/nomic-embed-text"), 404, "model_not_found");
    }

    @Test
    void payloadOverTheLimit() {
        String big = "{\"input\": \"" + "a".repeat((1 << 20) + 10) + "\"}";
        assertOpenAiError(openai(big), 413, "payload_too_large");
        assertTeiError(Http.post(base + "/embed", big.replace("\"input\"", "\"inputs\""), AUTH), 413, "validation");
    }

    @Test
    void missingOrWrongKey() {
        String body = "{\"input\": \"the fox\"}";
        assertOpenAiError(Http.post(base + "/v1/embeddings", body), 401, "invalid_api_key");
        assertOpenAiError(Http.post(base + "/v1/embeddings", body, Map.of("Authorization", "Bearer wrong")), 401, "invalid_api_key");
        assertOpenAiError(Http.post(base + "/v1/embeddings", body, Map.of("Authorization", KEY)), 401, "invalid_api_key");
        assertKoboldError(Http.post(base + "/api/extra/embeddings", body), 401, "unauthorized");
        assertOllamaError(Http.post(base + "/api/embed", body), 401);
        assertTeiError(Http.post(base + "/embed", "{\"inputs\": \"the fox\"}"), 401, "unauthorized");
        assertKoboldError(Http.post(base + "/api/extra/tokencount", "{\"prompt\": \"the fox\"}"), 401, "unauthorized");
        assertEquals(200, openai(body).status(), "the right key works");
        assertEquals(200, Http.get(base + "/api/extra/version").status(), "version endpoints stay open, as in KoboldCPP");
    }

    @Test
    void unknownEndpoint() {
        Http.Response r = Http.post(base + "/v1/completions", "{}", AUTH);
        assertEquals(404, r.status(), r.body());
        assertTrue(r.json().get("error").isTextual(), r.body());
    }

    @Test
    void errorsAreCountedByKindInTheMetrics() {
        openai("{\"input\": 5}");
        String metrics = Http.get(base + "/metrics").body();
        assertTrue(metrics.contains("koboldj_errors_total{api=\"openai\",kind=\"wrong_type\"}"), metrics);
    }
}
