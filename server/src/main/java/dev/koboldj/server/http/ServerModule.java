package dev.koboldj.server.http;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.ApiRoutes;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import dev.koboldj.server.api.Json;
import dev.koboldj.server.models.LoadedModel;
import dev.koboldj.server.models.ModelRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own endpoints: {@code GET /health} (200 only once every model is loaded, 503 before) and
 * {@code GET /metrics} (Prometheus text format). Errors here are {@code {"error": message}}.
 */
public final class ServerModule implements ApiModule {
    private final ModelRegistry registry;
    private final ServerMetrics metrics;

    public ServerModule(ModelRegistry registry, ServerMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public ErrorFormat errors() {
        return (ApiException e, int status) -> Map.of("error", e.getMessage(), "kind", e.kind().label());
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get("/health", ctx -> {
            if (!registry.ready()) throw new ApiException(ErrorKind.NOT_READY, "models are loading");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            List<String> names = registry.all().stream().map(LoadedModel::name).toList();
            body.put("models", names);
            ctx.contentType("application/json").result(Json.bytes(body));
        });
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }
}
