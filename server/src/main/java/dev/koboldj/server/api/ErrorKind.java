package dev.koboldj.server.api;

import java.util.Locale;

/**
 * Every way a request can fail, with the HTTP status it gets unless the API it came to uses another (see
 * {@code ApiStyle}). Client mistakes are 4xx; only {@link #INTERNAL} is a 5xx caused by us, {@link #NOT_READY} a 503.
 */
public enum ErrorKind {
    MALFORMED_JSON(400),
    WRONG_TYPE(400),
    MISSING_FIELD(400),
    INVALID_VALUE(400),
    EMPTY_INPUT(400),
    TOO_MANY_INPUTS(400),
    TOKEN_OUT_OF_RANGE(400),
    INPUT_TOO_LONG(400),
    NO_TOKENIZER(400),
    UNAUTHORIZED(401),
    UNKNOWN_MODEL(404),
    NOT_FOUND(404),
    PAYLOAD_TOO_LARGE(413),
    OVERLOADED(429),
    /** The client closed its connection before the answer; nobody reads the response (nginx's 499). */
    CLIENT_GONE(499),
    NOT_READY(503),
    INTERNAL(500);

    public final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    /** The label used in metrics: {@code wrong_type}, {@code overloaded}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
