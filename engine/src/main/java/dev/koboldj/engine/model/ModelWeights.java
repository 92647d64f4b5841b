package dev.koboldj.engine.model;

import dev.koboldj.engine.backend.Backend;
import dev.koboldj.engine.backend.DeviceWeights;
import dev.koboldj.engine.backend.WeightTensor;
import dev.koboldj.engine.gguf.GgufFile;
import dev.koboldj.engine.gguf.TensorInfo;

/** Uploads tensors of a GGUF file to a backend by name, with messages that name what is missing. */
public final class ModelWeights {
    private final GgufFile file;
    private final Backend backend;
    private final String architecture;

    public ModelWeights(GgufFile file, Backend backend) {
        this.file = file;
        this.backend = backend;
        this.architecture = file.architecture();
    }

    public WeightTensor tensor(String name) {
        if (!file.hasTensor(name)) {
            throw new IllegalArgumentException("the " + architecture + " model " + (file.path() == null ? "" : file.path().getFileName() + " ") + "lacks tensor '" + name + "'");
        }
        TensorInfo t = file.tensor(name);
        return new WeightTensor(name, t.type(), t.dims(), file.data(t));
    }

    public DeviceWeights required(String name) {
        return backend.upload(tensor(name));
    }

    /** The tensor, or null when the file does not have it. */
    public DeviceWeights optional(String name) {
        return file.hasTensor(name) ? required(name) : null;
    }

    /** Rows [first, first + count) of a matrix tensor as their own weight (splits fused QKV without copying). */
    public DeviceWeights rows(String name, int first, int count) {
        WeightTensor t = tensor(name);
        long rowBytes = t.type().bytesFor(t.cols());
        return backend.upload(new WeightTensor(name + "[" + first + ":" + (first + count) + "]", t.type(), new long[]{t.cols(), count},
                t.data().asSlice(first * rowBytes, count * rowBytes)));
    }

    public GgufFile file() {
        return file;
    }
}
