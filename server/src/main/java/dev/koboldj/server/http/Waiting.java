package dev.koboldj.server.http;

import dev.koboldj.server.api.EmbedResult;
import dev.koboldj.server.api.EmbeddingService;
import io.javalin.http.Context;

/** Waits for a queued request's vectors while watching its client: if the client leaves, its work is dropped. */
public final class Waiting {
    private Waiting() {
    }

    public static EmbedResult await(Context ctx, EmbeddingService.Pending pending) throws InterruptedException {
        try (ClientWatch watch = ClientWatch.start(ctx, pending::cancel)) {
            return pending.await();
        }
    }
}
