package dev.koboldj.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.koboldj.server.ServerApp;
import dev.koboldj.server.scheduling.EmbeddingQueue;
import dev.koboldj.server.scheduling.Forward;
import dev.koboldj.server.testing.Fixtures;
import dev.koboldj.server.testing.Http;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the model's forward pass held at a gate: beyond --max-concurrent-requests a request is refused at once
 * (429 OpenAI and TEI, 503 KoboldCPP and Ollama), and a request whose client hung up is dropped before it runs.
 */
class BackpressureTest {
    @TempDir
    Path dir;
    ServerApp app;
    final Semaphore entered = new Semaphore(0), gate = new Semaphore(0);
    final List<int[]> seen = new CopyOnWriteArrayList<>();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        ServerApp.Config c = Fixtures.config();
        ServerApp.Config two = new ServerApp.Config(c.host(), 0, null, c.payloadLimit(), c.maxClientBatch(), new EmbeddingQueue.Limits(512, 64, 2));
        app = Fixtures.start(two, inner -> (Forward) seqs -> {
            seen.addAll(List.of(seqs));
            entered.release();
            gate.acquireUninterruptibly();
            return inner.run(seqs);
        }, Fixtures.syntheticBert(dir));
    }

    @AfterEach
    void stop() {
        gate.release(1000);
        app.close();
    }

    String url(String path) {
        return Fixtures.base(app) + path;
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String body) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(url("/v1/embeddings"))).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    int waiting() {
        return app.registry().defaultModel().queue().waiting();
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) Thread.sleep(10);
        assertTrue(condition.getAsBoolean(), "timed out waiting until " + what);
    }

    @Test
    void aFullQueueIsRefusedAtOnceInEachApisStyle() throws Exception {
        var first = sendAsync("{\"input\": [[1, 2, 3]]}");
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS), "the first request reached the model");
        var second = sendAsync("{\"input\": [[4, 5, 6]]}");
        awaitCondition(() -> waiting() == 2, "two requests are admitted");

        Http.Response openai = Http.post(url("/v1/embeddings"), "{\"input\": [[7]]}");
        assertEquals(429, openai.status(), openai.body());
        assertEquals("rate_limit_exceeded", openai.json().get("error").get("code").asText());
        Http.Response kobold = Http.post(url("/api/extra/embeddings"), "{\"input\": [[7]]}");
        assertEquals(503, kobold.status(), kobold.body());
        assertEquals("service_unavailable", kobold.json().get("detail").get("type").asText());
        Http.Response ollama = Http.post(url("/api/embed"), "{\"input\": \"the fox\"}");
        assertEquals(503, ollama.status(), ollama.body());
        Http.Response tei = Http.post(url("/embed"), "{\"inputs\": [[7]]}");
        assertEquals(429, tei.status(), tei.body());
        assertEquals("overloaded", tei.json().get("error_type").asText());

        gate.release(1000);
        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, Http.post(url("/v1/embeddings"), "{\"input\": [[7]]}").status(), "room again once they are done");
    }

    @Test
    void aRequestWhoseClientLeftIsDroppedBeforeItRuns() throws Exception {
        var first = sendAsync("{\"input\": [[1, 2, 3]]}");
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS));
        int marker = app.registry().defaultModel().vocabSize() - 1;
        String body = "{\"input\": [[" + marker + ", " + marker + ", " + marker + "]]}";
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitCondition(() -> waiting() == 2, "the second request is queued");
        }
        awaitCondition(() -> waiting() == 1, "the abandoned request is dropped");
        gate.release(1000);
        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, Http.post(url("/v1/embeddings"), "{\"input\": [[9, 10]]}").status());
        assertFalse(seen.stream().anyMatch(s -> s[0] == marker), "the abandoned request never reached the model");
        assertTrue(Http.get(url("/metrics")).body().contains("kind=\"client_gone\""));
    }
}
