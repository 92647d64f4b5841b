package dev.koboldj.server.clients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real clients against a server started here with all-MiniLM-L6-v2: the OpenAI Java SDK (float and base64) and
 * LangChain4j's OpenAI and Ollama embedding models. Every vector must equal the library's own for the same texts.
 */
class ClientsTest {
    static final String MODEL = "all-MiniLM-L6-v2";
    static final List<String> TEXTS = List.of("The quick brown fox jumps over the lazy dog.",
            "koboldj serves embeddings from the JVM.", "Ein Satz auf Deutsch, mit Umlauten: äöü.", "short");
    static ServerApp app;
    static EmbeddingModel library;
    static float[][] expected;

    @BeforeAll
    static void start() throws Exception {
        app = Fixtures.start(Fixtures.config(), Fixtures.miniLm());
        library = EmbeddingModel.load(Fixtures.miniLm(), Fixtures.options());
        expected = library.embed(TEXTS).toArray(float[][]::new);
    }

    @AfterAll
    static void stop() {
        app.close();
        library.close();
    }

    static int[][] tokens(List<String> texts) {
        return texts.stream().map(t -> library.tokenize(t)).toArray(int[][]::new);
    }

    static OpenAIClient openai() {
        return OpenAIOkHttpClient.builder().baseUrl(Fixtures.base(app) + "/v1").apiKey("not-needed").build();
    }

    static float[] floats(List<Float> v) {
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) a[i] = v.get(i);
        return a;
    }

    @Test
    void openAiSdkWithFloats() {
        CreateEmbeddingResponse r = openai().embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfStrings(TEXTS).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertEquals(TEXTS.size(), r.data().size());
        assertEquals(MODEL, r.model());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(i, r.data().get(i).index());
            assertArrayEquals(expected[i], floats(r.data().get(i).embeddingValue().asFloats()), "text " + i);
        }
        assertEquals(Arrays.stream(tokens(TEXTS)).mapToInt(t -> t.length).sum(), r.usage().promptTokens());
        assertEquals(r.usage().promptTokens(), r.usage().totalTokens());
    }

    @Test
    void openAiSdkWithBase64IsExact() {
        CreateEmbeddingResponse r = openai().embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfStrings(TEXTS).encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] got = Http.base64Floats(r.data().get(i).embeddingValue().asBase64());
            assertArrayEquals(expected[i], got, "text " + i + " must be bit-exact");
        }
    }

    @Test
    void openAiSdkWithTokenIdsAndDimensions() {
        int[][] ids = tokens(TEXTS.subList(0, 2));
        List<List<Long>> asLongs = Arrays.stream(ids).map(s -> Arrays.stream(s).mapToObj(x -> (long) x).toList()).toList();
        CreateEmbeddingResponse r = openai().embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfTokenArrays(asLongs).dimensions(128).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        var want = library.embedTokens(ids, true, 128, true);
        for (int i = 0; i < ids.length; i++) assertArrayEquals(want.get(i).vector(), floats(r.data().get(i).embeddingValue().asFloats()));
    }

    @Test
    void langChain4jOpenAiEmbeddingModel() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(Fixtures.base(app) + "/v1").apiKey("not-needed").modelName(MODEL).build();
        var response = model.embedAll(TEXTS.stream().map(TextSegment::from).toList());
        for (int i = 0; i < TEXTS.size(); i++) assertArrayEquals(expected[i], response.content().get(i).vector(), "text " + i);
    }

    @Test
    void langChain4jOllamaEmbeddingModel() {
        OllamaEmbeddingModel model = OllamaEmbeddingModel.builder().baseUrl(Fixtures.base(app)).modelName(MODEL).build();
        var response = model.embedAll(TEXTS.stream().map(TextSegment::from).toList());
        for (int i = 0; i < TEXTS.size(); i++) assertArrayEquals(expected[i], response.content().get(i).vector(), "text " + i);
    }
}
