package dev.koboldj.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.koboldj.engine.embed.EmbeddingModel;
import dev.koboldj.engine.embed.EmbeddingOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `koboldj serve` with no arguments, as a new user runs it: the default model is imported into an empty cache on
 * first use and served; its vectors equal the library's on the imported file.
 */
class ServeDefaultModelTest {
    @TempDir
    Path home;

    @Test
    void serveWithNoModelImportsAndServesAllMiniLm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dkoboldj.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.koboldj.server.Main", "serve", "--port", "0", "--usecpu"))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            Pattern serving = Pattern.compile("serving all-MiniLM-L6-v2 .* at http://[^:]+:(\\d+)/");
            StringBuilder log = new StringBuilder();
            int port = -1;
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher m = serving.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertTrue(port > 0, "no startup line in:\n" + log);
            assertTrue(log.toString().contains("importing the default model all-MiniLM-L6-v2"), log.toString());

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/embeddings"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"a new user's first request\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode v = new ObjectMapper().readTree(r.body()).get("data").get(0).get("embedding");
            Path imported;
            try (var files = Files.list(home.resolve("models"))) {
                imported = files.filter(f -> f.toString().endsWith(".gguf")).findFirst().orElseThrow();
            }
            try (EmbeddingModel lib = EmbeddingModel.load(imported, EmbeddingOptions.defaults().withBackend("cpu"))) {
                float[] expected = lib.embed("a new user's first request");
                assertEquals(expected.length, v.size());
                for (int i = 0; i < expected.length; i++) assertEquals(expected[i], v.get(i).floatValue(), 0f, "component " + i);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
