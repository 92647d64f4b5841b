package dev.koboldj.server.api;

/**
 * A request that cannot be served, with a message meant for the client (never a stack trace). {@code param} names
 * the offending request field where there is one (OpenAI's {@code error.param}).
 */
public final class ApiException extends RuntimeException {
    private final ErrorKind kind;
    private final String param;

    public ApiException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public ApiException(ErrorKind kind, String message, String param) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String param() {
        return param;
    }
}
