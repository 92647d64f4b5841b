package dev.koboldj.server.api;


/** One API family (OpenAI, KoboldCPP, Ollama, TEI, the server's own): its name for metrics, its error format, its routes. */
public interface ApiModule {
    String name();

    ErrorFormat errors();

    void register(ApiRoutes routes);
}
