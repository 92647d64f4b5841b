package dev.koboldj.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.models.TextTokenizer;
import dev.koboldj.server.models.Tokenizers;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KoboldCPP, Ollama and TEI request and response shapes over plain HTTP, with all-MiniLM-L6-v2; vectors are
 * compared with the library's.
 */
class ApiShapesTest {
    static final List<String> TEXTS = List.of("What is the capital of France?", "Paris is the capital of France.");
    static ServerApp app;
    static String base;
    static EmbeddingModel library;
    static TextTokenizer tokenizer;
    static float[][] normalised;

    @BeforeAll
    static void start() throws Exception {
        app = Fixtures.start(Fixtures.config(), Fixtures.miniLm());
        base = Fixtures.base(app);
        library = EmbeddingModel.load(Fixtures.miniLm(), Fixtures.options());
        tokenizer = Tokenizers.engine().tokenizer(library);
        normalised = library.embedTokens(ids(TEXTS));
    }

    @AfterAll
    static void stop() {
        app.close();
        library.close();
    }

    static int[][] ids(List<String> texts) {
        return texts.stream().map(t -> library.tokenize(t)).toArray(int[][]::new);
    }

    @Test
    void sillyTavernShapeOnKoboldCppEmbeddings() {
        Http.Response r = Http.post(base + "/api/extra/embeddings", Http.json(java.util.Map.of("input", TEXTS, "truncate", true)));
        assertEquals(200, r.status(), r.body());
        JsonNode body = r.json();
        assertEquals("list", body.get("object").asText());
        assertEquals("all-MiniLM-L6-v2", body.get("model").asText());
        for (int i = 0; i < TEXTS.size(); i++) {
            JsonNode d = body.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertArrayEquals(normalised[i], Http.floats(d.get("embedding")));
        }
        assertTrue(body.get("usage").get("prompt_tokens").asInt() > 0);
    }

    @Test
    void koboldCppEmbeddingsIgnoreAModelNameItDoesNotServe() {
        Http.Response r = Http.post(base + "/api/extra/embeddings", "{\"model\": \"kcpp\", \"input\": \"" + TEXTS.getFirst() + "\", \"encoding_format\": \"base64\"}");
        assertEquals(200, r.status(), r.body());
        assertArrayEquals(normalised[0], Http.base64Floats(r.json().get("data").get(0).get("embedding").asText()));
    }

    @Test
    void koboldCppVersionModelAndTokenCount() {
        JsonNode v = Http.get(base + "/api/extra/version").json();
        assertEquals("KoboldCpp", v.get("result").asText());
        assertTrue(v.get("embeddings").asBoolean(), v.toString());
        assertFalse(v.get("llm").asBoolean());
        assertFalse(v.get("protected").asBoolean());
        assertEquals("inactive", Http.get(base + "/api/v1/model").json().get("result").asText(), "no text model is loaded");
        assertEquals("1.2.5", Http.get(base + "/api/v1/info/version").json().get("result").asText());
        JsonNode count = Http.post(base + "/api/extra/tokencount", "{\"prompt\": \"" + TEXTS.getFirst() + "\"}").json();
        int[] want = tokenizer.encode(TEXTS.getFirst(), true);
        assertEquals(want.length, count.get("value").asInt());
        int[] got = new int[count.get("ids").size()];
        for (int i = 0; i < got.length; i++) got[i] = count.get("ids").get(i).asInt();
        assertArrayEquals(want, got);
        JsonNode plain = Http.post(base + "/api/extra/tokencount", "{\"prompt\": \"" + TEXTS.getFirst() + "\", \"special\": false}").json();
        assertEquals(want.length - 2, plain.get("value").asInt(), "without [CLS] and [SEP]");
        JsonNode detok = Http.post(base + "/api/extra/detokenize", Http.json(java.util.Map.of("ids", want))).json();
        assertTrue(detok.get("success").asBoolean());
        assertEquals(TEXTS.getFirst().toLowerCase(), detok.get("result").asText());
    }

    @Test
    void ollamaEmbedLegacyEmbeddingsTagsAndVersion() {
        JsonNode r = Http.post(base + "/api/embed", Http.json(java.util.Map.of("model", "all-MiniLM-L6-v2", "input", TEXTS, "keep_alive", "5m"))).json();
        assertEquals("all-MiniLM-L6-v2", r.get("model").asText());
        for (int i = 0; i < TEXTS.size(); i++) assertArrayEquals(normalised[i], Http.floats(r.get("embeddings").get(i)));
        assertTrue(r.get("prompt_eval_count").asInt() > 0);
        assertTrue(r.get("total_duration").asLong() > 0);

        JsonNode legacy = Http.post(base + "/api/embeddings", "{\"model\": \"all-MiniLM-L6-v2:latest\", \"prompt\": \"" + TEXTS.getFirst() + "\"}").json();
        float[] raw = library.embedTokens(ids(TEXTS.subList(0, 1)), false, 0, true).getFirst().vector();
        assertArrayEquals(raw, Http.floats(legacy.get("embedding")), "the legacy endpoint is not normalised, as in Ollama");

        JsonNode tags = Http.get(base + "/api/tags").json();
        JsonNode m = tags.get("models").get(0);
        assertEquals("all-MiniLM-L6-v2:latest", m.get("name").asText());
        assertEquals("gguf", m.get("details").get("format").asText());
        assertEquals("bert", m.get("details").get("family").asText());
        assertEquals("F32", m.get("details").get("quantization_level").asText());
        assertEquals(64, m.get("digest").asText().length());
        assertTrue(Http.get(base + "/api/version").json().get("version").isTextual());

        JsonNode ps = Http.get(base + "/api/ps").json().get("models").get(0);
        assertEquals("all-MiniLM-L6-v2:latest", ps.get("name").asText());
        JsonNode memory = Http.get(base + "/v1/models").json().get("data").get(0).get("memory");
        assertEquals(memory.get("weights_bytes").asLong() + memory.get("activations_bytes").asLong(), ps.get("size").asLong(),
                "what the model holds on its backend");
        assertEquals(m.get("digest").asText(), ps.get("digest").asText());

        JsonNode show = Http.post(base + "/api/show", Http.json(java.util.Map.of("model", "all-MiniLM-L6-v2:latest"))).json();
        assertEquals(library.dimension(), show.get("model_info").get("bert.embedding_length").asInt());
        assertEquals(library.maxTokens(), show.get("model_info").get("bert.context_length").asInt());
        assertEquals("embedding", show.get("capabilities").get(0).asText());
        assertEquals("F32", show.get("details").get("quantization_level").asText());
        var unknown = Http.post(base + "/api/show", Http.json(java.util.Map.of("model", "no-such-model")));
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("error").asText().contains("no-such-model"), unknown.body());
    }

    @Test
    void teiEmbedTokenizeDecodeAndInfo() {
        JsonNode r = Http.post(base + "/embed", Http.json(java.util.Map.of("inputs", TEXTS))).json();
        for (int i = 0; i < TEXTS.size(); i++) assertArrayEquals(normalised[i], Http.floats(r.get(i)));
        JsonNode raw = Http.post(base + "/embed", Http.json(java.util.Map.of("inputs", TEXTS.getFirst(), "normalize", false))).json();
        assertArrayEquals(library.embedTokens(ids(TEXTS.subList(0, 1)), false, 0, true).getFirst().vector(), Http.floats(raw.get(0)));

        String longText = "word ".repeat(300) + "ending differently with other words " .repeat(100);
        int max = library.maxTokens();
        JsonNode right = Http.post(base + "/embed", Http.json(java.util.Map.of("inputs", longText, "truncate", true))).json();
        assertArrayEquals(library.embed(List.of(longText), true, 0, true).getFirst().vector(), Http.floats(right.get(0)),
                "right truncation is the library's: the end of the text goes, [CLS] and [SEP] stay");
        JsonNode left = Http.post(base + "/embed", Http.json(java.util.Map.of("inputs", longText, "truncate", true, "truncation_direction", "Left"))).json();
        int[] content = tokenizer.encode(longText, false);
        int[] full = library.tokenize(longText);
        int[] kept = new int[max];
        kept[0] = full[0];
        System.arraycopy(content, content.length - (max - 2), kept, 1, max - 2);
        kept[max - 1] = full[full.length - 1];
        assertArrayEquals(library.embedTokens(new int[][]{kept})[0], Http.floats(left.get(0)), "left truncation keeps the last words and the special tokens");

        JsonNode tokens = Http.post(base + "/tokenize", "{\"inputs\": \"hello world\"}").json().get(0);
        assertEquals("[CLS]", tokens.get(0).get("text").asText());
        assertTrue(tokens.get(0).get("special").asBoolean());
        assertEquals("hello", tokens.get(1).get("text").asText());
        assertFalse(tokens.get(1).get("special").asBoolean());
        int[] helloIds = tokenizer.encode("hello world", true);
        assertEquals(helloIds[1], tokens.get(1).get("id").asInt());
        assertTrue(tokens.get(0).get("start").isNull(), "a special token has no offsets, as in TEI");

        // Offsets count code points of the input (TEI's Rust chars) and the text is the input's own, not the vocabulary's.
        String mixed = "Émile 😀 [MASK] visited Zürich";
        JsonNode located = Http.post(base + "/tokenize", Http.json(java.util.Map.of("inputs", mixed))).json().get(0);
        int[] cps = mixed.codePoints().toArray();
        int[] spanIds = tokenizer.encodeWithSpans(mixed, true).ids();
        assertEquals(spanIds.length, located.size());
        for (int i = 1; i < located.size() - 1; i++) {
            JsonNode t = located.get(i);
            assertEquals(spanIds[i], t.get("id").asInt());
            assertEquals(new String(cps, t.get("start").asInt(), t.get("stop").asInt() - t.get("start").asInt()), t.get("text").asText(), t.toString());
        }
        assertEquals("Émile", located.get(1).get("text").asText(), located.toString());
        assertEquals(cps.length, located.get(located.size() - 2).get("stop").asInt(), "the last piece ends where the text does");
        JsonNode unknown = java.util.stream.StreamSupport.stream(located.spliterator(), false).filter(t -> t.get("text").asText().equals("😀")).findFirst().orElseThrow();
        assertEquals(library.tokenizer().special().unk(), unknown.get("id").asInt());
        assertFalse(unknown.get("special").asBoolean(), "an [UNK] made of a word is not special, as in Hugging Face's mask");
        JsonNode mask = java.util.stream.StreamSupport.stream(located.spliterator(), false).filter(t -> t.get("text").asText().equals("[MASK]")).findFirst().orElseThrow();
        assertFalse(mask.get("special").asBoolean(), "nor is a special token written in the text (Hugging Face marks only the added ones)");

        JsonNode decoded = Http.post(base + "/decode", Http.json(java.util.Map.of("ids", helloIds))).json();
        assertEquals("hello world", decoded.get(0).asText());

        JsonNode info = Http.get(base + "/info").json();
        assertEquals("all-MiniLM-L6-v2", info.get("model_id").asText());
        assertEquals("mean", info.get("model_type").get("embedding").get("pooling").asText());
        assertEquals(max, info.get("max_input_length").asInt());
        assertEquals(64, info.get("max_client_batch_size").asInt());
    }

    @Test
    void openAiModelsListDimensionAndLimit() {
        JsonNode m = Http.get(base + "/v1/models").json().get("data").get(0);
        assertEquals("all-MiniLM-L6-v2", m.get("id").asText());
        assertEquals("model", m.get("object").asText());
        assertEquals(384, m.get("dimensions").asInt());
        assertEquals(library.maxTokens(), m.get("max_tokens").asInt());
        assertEquals(library.backend().name(), m.get("backend").asText());
        // The model's own memory on its backend: at least its matrices, and an activation arena sized from the batch budget.
        assertTrue(m.get("memory").get("weights_bytes").asLong() >= 22_000_000L * 4, m.toString());
        assertTrue(m.get("memory").get("activations_bytes").asLong() > 0, m.toString());
        assertEquals(384, Http.get(base + "/v1/models/all-MiniLM-L6-v2").json().get("dimensions").asInt());
    }

    @Test
    void browsersMayCallFromAnotherOrigin() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var preflight = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/embeddings"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", "https://lite.koboldai.net")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type,authorization").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent(), preflight.headers().toString());
        var post = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/extra/embeddings"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"input\": \"hi\"}")).header("Origin", "https://lite.koboldai.net").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, post.statusCode(), post.body());
        assertTrue(post.headers().firstValue("Access-Control-Allow-Origin").isPresent(), post.headers().toString());
    }

    @Test
    void healthAndMetrics() {
        Http.Response h = Http.get(base + "/health");
        assertEquals(200, h.status(), h.body());
        Http.post(base + "/v1/embeddings", "{\"input\": \"metrics\"}");
        String metrics = Http.get(base + "/metrics").body();
        for (String name : List.of("koboldj_http_requests_seconds_count", "koboldj_queue_wait_seconds_count", "koboldj_tokenization_seconds_count",
                "koboldj_inference_seconds_count", "koboldj_batch_sequences_count", "koboldj_batch_tokens_count", "koboldj_tokens_processed_total",
                "koboldj_queue_depth")) {
            assertTrue(metrics.contains(name), name + " missing from\n" + metrics);
        }
        assertTrue(metrics.contains("model=\"all-MiniLM-L6-v2\""), metrics);
    }
}
