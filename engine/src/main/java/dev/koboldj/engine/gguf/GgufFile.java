package dev.koboldj.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A GGUF file mapped read-only into memory (any size: the FFM API has no 2 GiB limit). Tensor data is served as
 * zero-copy slices of the mapping, valid until {@link #close()}.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final GgufReader.Header header;
    private final Map<String, TensorInfo> byName;

    private GgufFile(Path path, Arena arena, MemorySegment mapping) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = GgufReader.parse(mapping);
        LinkedHashMap<String, TensorInfo> m = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) m.put(t.name(), t);
        this.byName = Collections.unmodifiableMap(m);
    }

    /** Maps and parses {@code path}; throws {@link GgufFormatException} for a damaged or foreign file. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapping = ch.size() == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(path, arena, mapping);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses a GGUF image already in memory (the segment must stay valid while this object is used). */
    public static GgufFile of(MemorySegment image) {
        return new GgufFile(null, null, image);
    }

    /** The file this was opened from, or null for an in-memory image. */
    public Path path() {
        return path;
    }

    public int version() {
        return header.version();
    }

    public Metadata metadata() {
        return header.metadata();
    }

    public int alignment() {
        return header.alignment();
    }

    /** Absolute byte offset where the tensor-data section starts. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public long fileSize() {
        return mapping.byteSize();
    }

    /** Tensor infos in file order. */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    public boolean hasTensor(String name) {
        return byName.containsKey(name);
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) throw new NoSuchElementException("tensor '" + name + "' is not in " + describe());
        return t;
    }

    /** The tensor's bytes as a zero-copy slice of the mapping. */
    public MemorySegment data(TensorInfo t) {
        return mapping.asSlice(header.dataOffset() + t.offset(), t.byteSize());
    }

    public MemorySegment data(String name) {
        return data(tensor(name));
    }

    /** The architecture from {@code general.architecture}, or "unknown". */
    public String architecture() {
        return metadata().getString("general.architecture", "unknown");
    }

    private String describe() {
        return path == null ? "the GGUF image" : path.toString();
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
