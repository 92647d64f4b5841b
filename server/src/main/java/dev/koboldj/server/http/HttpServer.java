package dev.koboldj.server.http;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ApiModule;
import dev.koboldj.server.api.ApiRoutes;
import dev.koboldj.server.api.ErrorKind;
import dev.koboldj.server.api.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The Javalin application: every module's routes behind one wrapper that checks the API key and the payload limit,
 * turns {@link ApiException}s (and anything unexpected) into the module's JSON error, and measures each request.
 * Requests run on virtual threads, so a handler may block while its request waits in a model's queue.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("koboldj.http");

    /** {@code apiKey} null = no key needed; {@code payloadLimit} in bytes for request bodies. */
    public record Settings(String host, int port, String apiKey, long payloadLimit) {
    }

    private final Settings settings;
    private final List<ApiModule> modules;
    private final ServerMetrics metrics;
    private final ApiModule fallback;
    private Javalin app;

    /** {@code fallback} writes the errors of requests no module claims (unknown paths). */
    public HttpServer(Settings settings, List<ApiModule> modules, ApiModule fallback, ServerMetrics metrics) {
        this.settings = settings;
        this.modules = List.copyOf(modules);
        this.fallback = fallback;
        this.metrics = metrics;
    }

    public HttpServer start() {
        app = Javalin.create(this::configure);
        app.start(settings.host() == null || settings.host().isBlank() ? "0.0.0.0" : settings.host(), settings.port());
        return this;
    }

    /** The port it listens on (the chosen one when started on port 0). */
    public int port() {
        return app.port();
    }

    private void configure(JavalinConfig config) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.maxRequestSize = settings.payloadLimit();
        config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
        // Browser clients (KoboldAI Lite, web UIs on another origin) may call in, as KoboldCPP allows.
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.anyHost()));
        for (ApiModule module : modules) {
            module.register(new ApiRoutes() {
                @Override
                public void get(String path, Handler handler) {
                    config.routes.get(path, new Wrapped(module, path, false, handler));
                }

                @Override
                public void post(String path, Handler handler) {
                    config.routes.post(path, new Wrapped(module, path, true, handler));
                }
            });
        }
        config.routes.error(404, ctx -> {
            if (ctx.attribute(Wrapped.HANDLED) != null) return;
            write(ctx, fallback, new ApiException(ErrorKind.NOT_FOUND, "no endpoint " + ctx.method() + " " + ctx.path()));
            metrics.error(fallback.name(), ErrorKind.NOT_FOUND.label());
        });
    }

    /** Writes an error in the module's format and returns the status used. */
    static int write(Context ctx, ApiModule module, ApiException e) {
        int status = module.errors().status(e.kind());
        ctx.status(status).contentType("application/json").result(Json.bytes(module.errors().body(e, status)));
        return status;
    }

    private final class Wrapped implements Handler {
        static final String HANDLED = "koboldj.handled";
        private final ApiModule module;
        private final String route;
        private final boolean secured;
        private final Handler handler;

        Wrapped(ApiModule module, String route, boolean secured, Handler handler) {
            this.module = module;
            this.route = route;
            this.secured = secured;
            this.handler = handler;
        }

        @Override
        public void handle(Context ctx) {
            long start = System.nanoTime();
            ctx.attribute(HANDLED, true);
            try {
                if (secured) {
                    checkKey(ctx);
                    checkLength(ctx);
                }
                handler.handle(ctx);
            } catch (ApiException e) {
                fail(ctx, e);
            } catch (HttpResponseException e) {
                fail(ctx, e.getStatus() == 413
                        ? tooLarge()
                        : new ApiException(e.getStatus() >= 500 ? ErrorKind.INTERNAL : ErrorKind.INVALID_VALUE, e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(ctx, new ApiException(ErrorKind.NOT_READY, "the server is shutting down"));
            } catch (Exception | Error e) {
                LOG.log(System.Logger.Level.ERROR, "unexpected failure in " + ctx.method() + " " + ctx.path(), e);
                fail(ctx, new ApiException(ErrorKind.INTERNAL, "internal server error"));
            } finally {
                metrics.request(module.name(), route, ctx.method().name(), ctx.statusCode(), System.nanoTime() - start);
            }
        }

        private void fail(Context ctx, ApiException e) {
            write(ctx, module, e);
            metrics.error(module.name(), e.kind().label());
        }

        private void checkKey(Context ctx) {
            String key = settings.apiKey();
            if (key == null || key.isEmpty()) return;
            String auth = ctx.header("Authorization");
            String given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
            if (given == null) throw new ApiException(ErrorKind.UNAUTHORIZED, "an API key is required: send the header 'Authorization: Bearer <key>'");
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
                throw new ApiException(ErrorKind.UNAUTHORIZED, "the API key is not valid");
            }
        }

        /** Refuses a declared body over the limit before reading it; chunked bodies are cut off while reading. */
        private void checkLength(Context ctx) {
            long length = ctx.req().getContentLengthLong();
            if (length > settings.payloadLimit()) throw tooLarge();
        }

        private ApiException tooLarge() {
            return new ApiException(ErrorKind.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of " + settings.payloadLimit() + " bytes (--payload-limit)");
        }
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }
}
