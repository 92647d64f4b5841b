package dev.koboldj.server.api;

import io.javalin.http.Handler;

/**
 * Where an API module registers its endpoints. Every handler is wrapped so that its errors are written in the
 * module's format, its duration and status are measured, and POST bodies are held to the payload limit. POST
 * endpoints need the API key when one is set; GET endpoints (versions, model lists) stay open, as in KoboldCPP.
 */
public interface ApiRoutes {
    void get(String path, Handler handler);

    void post(String path, Handler handler);
}
