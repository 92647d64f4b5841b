package dev.koboldj.server.api.ollama;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import java.util.Map;

/** Ollama's error body, {@code {"error": message}}; a full queue is 503 as in Ollama. */
public final class OllamaErrors implements ErrorFormat {
    @Override
    public int status(ErrorKind kind) {
        return kind == ErrorKind.OVERLOADED ? 503 : kind.status;
    }

    @Override
    public Object body(ApiException e, int status) {
        return Map.of("error", e.getMessage());
    }
}
