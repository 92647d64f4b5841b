package dev.koboldj.server.api.kobold;

import dev.koboldj.server.api.ApiException;
import dev.koboldj.server.api.ErrorFormat;
import dev.koboldj.server.api.ErrorKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KoboldCPP's error body, {@code {"detail": {"msg", "type"}}} with types bad_input, unauthorized and
 * service_unavailable. A busy server answers 503 there (OpenAI clients get 429 instead). Unlike KoboldCPP, which
 * answers unparsable input with a 500, client mistakes are 4xx here.
 */
public final class KoboldErrors implements ErrorFormat {
    @Override
    public int status(ErrorKind kind) {
        return kind == ErrorKind.OVERLOADED ? 503 : kind.status;
    }

    @Override
    public Object body(ApiException e, int status) {
        Map<String, Object> detail = new LinkedHashMap<>();
        if (e.kind() == ErrorKind.UNAUTHORIZED) detail.put("error", "Unauthorized");
        detail.put("msg", e.getMessage());
        detail.put("type", switch (e.kind()) {
            case UNAUTHORIZED -> "unauthorized";
            case OVERLOADED, NOT_READY -> "service_unavailable";
            case INTERNAL -> "server_error";
            case NOT_FOUND, UNKNOWN_MODEL -> "not_found";
            default -> "bad_input";
        });
        return Map.of("detail", detail);
    }
}
