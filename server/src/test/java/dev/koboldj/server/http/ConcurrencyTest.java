package dev.koboldj.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.server.ServerApp;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 32 clients x 50 requests at once, each with 1 to 4 inputs of random token ids: every answer has its inputs'
 * vectors, in order, equal to the library's vector of each input computed alone (up to float rounding, since the
 * server packs inputs of different requests into one batch).
 */
class ConcurrencyTest {
    static final int THREADS = 32, REQUESTS = 50, POOL = 48;
    @TempDir
    static Path dir;
    static ServerApp app;
    static int[][] pool;
    static float[][] alone;

    @BeforeAll
    static void start() throws Exception {
        Path model = Fixtures.syntheticBert(dir);
        app = Fixtures.start(Fixtures.config(), model);
        Random r = new Random(11);
        int vocab = app.registry().defaultModel().vocabSize();
        pool = new int[POOL][];
        for (int i = 0; i < POOL; i++) {
            pool[i] = new int[1 + r.nextInt(60)];
            for (int j = 0; j < pool[i].length; j++) pool[i][j] = r.nextInt(vocab);
        }
        try (EmbeddingModel library = EmbeddingModel.load(model, Fixtures.options())) {
            alone = new float[POOL][];
            for (int i = 0; i < POOL; i++) alone[i] = library.embedTokens(new int[][]{pool[i]})[0];
        }
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void concurrentClientsGetTheirOwnVectorsInOrder() throws Exception {
        String url = Fixtures.base(app) + "/v1/embeddings";
        List<Future<Integer>> done = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(THREADS)) {
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                done.add(clients.submit(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int q = 0; q < REQUESTS; q++) {
                        int n = 1 + r.nextInt(4);
                        int[] picks = new int[n];
                        List<int[]> inputs = new ArrayList<>();
                        for (int i = 0; i < n; i++) inputs.add(pool[picks[i] = r.nextInt(POOL)]);
                        Http.Response resp = Http.post(url, Http.json(java.util.Map.of("input", inputs)));
                        assertEquals(200, resp.status(), resp.body());
                        JsonNode data = resp.json().get("data");
                        assertEquals(n, data.size());
                        for (int i = 0; i < n; i++) {
                            assertEquals(i, data.get(i).get("index").asInt());
                            float[] got = Http.floats(data.get(i).get("embedding"));
                            float[] want = alone[picks[i]];
                            assertEquals(want.length, got.length);
                            for (int k = 0; k < want.length; k++) {
                                assertEquals(want[k], got[k], 2e-5, "thread " + seed + " request " + q + " input " + i + " component " + k);
                            }
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) total += f.get();
            assertTrue(total >= THREADS * REQUESTS, "every request was checked");
        }
        assertEquals(0, app.registry().defaultModel().queue().waiting(), "nothing is left waiting");
    }
}
