package dev.koboldj.server.api;

/** How one API writes errors: the status for each kind and the JSON body its clients expect. */
public interface ErrorFormat {
    default int status(ErrorKind kind) {
        return kind.status;
    }

    Object body(ApiException e, int status);
}
