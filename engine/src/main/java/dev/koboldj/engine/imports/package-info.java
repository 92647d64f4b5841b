/**
 * Importers that turn other formats into GGUF metadata and tensors. {@link
 * dev.koboldj.engine.imports.HfTokenizerImporter} reads a Hugging Face tokenizer.json into the {@code tokenizer.ggml.*}
 * keys llama.cpp's converter writes.
 */
package dev.koboldj.engine.imports;
