package dev.koboldj.server.http;

import dev.koboldj.server.api.EmbedObserver;
import dev.koboldj.server.scheduling.BatchObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics: request durations by API, route and status; per model the queue wait,
 * tokenisation and inference durations, batch sizes in sequences and tokens, tokens processed and queue depth;
 * errors by API and kind.
 */
public final class ServerMetrics implements BatchObserver, EmbedObserver {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final double[] SEQUENCE_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    private static final double[] TOKEN_BUCKETS = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, AtomicInteger> depths = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    public void request(String api, String route, String method, int status, long nanos) {
        Timer.builder("koboldj.http.requests").description("HTTP request durations")
                .tags("api", api, "route", route, "method", method, "status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void error(String api, String kind) {
        Counter.builder("koboldj.errors").description("Requests that failed, by API and kind of error")
                .tags("api", api, "kind", kind).register(registry).increment();
    }

    @Override
    public void queueWait(String model, long nanos) {
        Timer.builder("koboldj.queue.wait").description("Time a request waited before its first sequence was batched")
                .tag("model", model).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void tokenized(String model, int texts, long nanos) {
        Timer.builder("koboldj.tokenization").description("Time to tokenise one request's texts")
                .tag("model", model).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void batch(String model, int sequences, int tokens, long nanos) {
        Timer.builder("koboldj.inference").description("Forward pass durations, one per batch")
                .tag("model", model).serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder("koboldj.batch.sequences").description("Sequences per batch")
                .tag("model", model).serviceLevelObjectives(SEQUENCE_BUCKETS).register(registry).record(sequences);
        DistributionSummary.builder("koboldj.batch.tokens").description("Tokens per batch")
                .tag("model", model).serviceLevelObjectives(TOKEN_BUCKETS).register(registry).record(tokens);
        Counter.builder("koboldj.tokens.processed").description("Tokens run through the model")
                .tag("model", model).register(registry).increment(tokens);
    }

    @Override
    public void queueDepth(String model, int requests) {
        depths.computeIfAbsent(model, m -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("koboldj.queue.depth", v, AtomicInteger::get).description("Requests waiting or running")
                    .tag("model", m).register(registry);
            return v;
        }).set(requests);
    }
}
