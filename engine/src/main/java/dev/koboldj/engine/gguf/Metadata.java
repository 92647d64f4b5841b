package dev.koboldj.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * GGUF key/value metadata in file order. Scalars are stored as Byte, Short, Integer, Long (unsigned types keep
 * their bit pattern), Float, Double, Boolean or String; arrays as {@link MetadataArray}. The typed getters accept
 * any stored integer width whose value fits, so {@code getInt("bert.block_count")} works for UINT32 and INT64 alike.
 */
public final class Metadata {
    /** One value with the GGUF type it is written as. */
    public record Value(ValueType type, Object value) {
        public Value {
            Objects.requireNonNull(type);
            Objects.requireNonNull(value);
        }
    }

    private final LinkedHashMap<String, Value> entries = new LinkedHashMap<>();

    public Metadata() {
    }

    public Metadata(Metadata other) {
        entries.putAll(other.entries);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Map<String, Value> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public int size() {
        return entries.size();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Value get(String key) {
        return entries.get(key);
    }

    public Metadata remove(String key) {
        entries.remove(key);
        return this;
    }

    // ---- setters (keep insertion order; replacing a key keeps its position) ----

    public Metadata put(String key, ValueType type, Object value) {
        Value v = new Value(type, value);
        checkJavaType(key, v);
        entries.put(key, v);
        return this;
    }

    public Metadata putString(String key, String value) {
        return put(key, ValueType.STRING, value);
    }

    public Metadata putUInt32(String key, int value) {
        return put(key, ValueType.UINT32, value);
    }

    public Metadata putInt32(String key, int value) {
        return put(key, ValueType.INT32, value);
    }

    public Metadata putUInt64(String key, long value) {
        return put(key, ValueType.UINT64, value);
    }

    public Metadata putFloat32(String key, float value) {
        return put(key, ValueType.FLOAT32, value);
    }

    public Metadata putBool(String key, boolean value) {
        return put(key, ValueType.BOOL, value);
    }

    public Metadata putArray(String key, MetadataArray array) {
        return put(key, ValueType.ARRAY, array);
    }

    public Metadata putStringArray(String key, String[] values) {
        return putArray(key, new MetadataArray(ValueType.STRING, values));
    }

    public Metadata putFloatArray(String key, float[] values) {
        return putArray(key, new MetadataArray(ValueType.FLOAT32, values));
    }

    public Metadata putInt32Array(String key, int[] values) {
        return putArray(key, new MetadataArray(ValueType.INT32, values));
    }

    // ---- typed getters ----

    private Value require(String key) {
        Value v = entries.get(key);
        if (v == null) throw new NoSuchElementException("GGUF metadata key '" + key + "' is missing");
        return v;
    }

    public String getString(String key) {
        Value v = require(key);
        if (v.value() instanceof String s) return s;
        throw wrongType(key, v, "a string");
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    public long getLong(String key) {
        Value v = require(key);
        return switch (v.type()) {
            case UINT8 -> Byte.toUnsignedLong((Byte) v.value());
            case INT8 -> (Byte) v.value();
            case UINT16 -> Short.toUnsignedLong((Short) v.value());
            case INT16 -> (Short) v.value();
            case UINT32 -> Integer.toUnsignedLong((Integer) v.value());
            case INT32 -> (Integer) v.value();
            case UINT64 -> {
                long l = (Long) v.value();
                if (l < 0) throw new IllegalStateException("GGUF metadata '" + key + "' = " + Long.toUnsignedString(l) + " does not fit a long");
                yield l;
            }
            case INT64 -> (Long) v.value();
            default -> throw wrongType(key, v, "an integer");
        };
    }

    public long getLong(String key, long fallback) {
        return has(key) ? getLong(key) : fallback;
    }

    public int getInt(String key) {
        long l = getLong(key);
        if (l != (int) l) throw new IllegalStateException("GGUF metadata '" + key + "' = " + l + " does not fit an int");
        return (int) l;
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public double getDouble(String key) {
        Value v = require(key);
        return switch (v.type()) {
            case FLOAT32 -> (Float) v.value();
            case FLOAT64 -> (Double) v.value();
            default -> getLong(key);
        };
    }

    public float getFloat(String key) {
        return (float) getDouble(key);
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? getFloat(key) : fallback;
    }

    public boolean getBool(String key) {
        Value v = require(key);
        if (v.value() instanceof Boolean b) return b;
        throw wrongType(key, v, "a bool");
    }

    public boolean getBool(String key, boolean fallback) {
        return has(key) ? getBool(key) : fallback;
    }

    public MetadataArray getArray(String key) {
        Value v = require(key);
        if (v.value() instanceof MetadataArray a) return a;
        throw wrongType(key, v, "an array");
    }

    public String[] getStringArray(String key) {
        MetadataArray a = getArray(key);
        if (a.values() instanceof String[] s) return s;
        throw new IllegalStateException("GGUF metadata '" + key + "' is an array of " + a.elementType() + ", not of strings");
    }

    public float[] getFloatArray(String key) {
        MetadataArray a = getArray(key);
        return switch (a.values()) {
            case float[] f -> f;
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                yield f;
            }
            default -> throw new IllegalStateException("GGUF metadata '" + key + "' is an array of " + a.elementType() + ", not of floats");
        };
    }

    /** Integer array widened or narrowed to int (unsigned 8/16-bit elements are zero-extended). */
    public int[] getIntArray(String key) {
        MetadataArray a = getArray(key);
        boolean unsigned = a.elementType() == ValueType.UINT8 || a.elementType() == ValueType.UINT16;
        return switch (a.values()) {
            case int[] i -> i;
            case byte[] b -> {
                int[] r = new int[b.length];
                for (int i = 0; i < b.length; i++) r[i] = unsigned ? Byte.toUnsignedInt(b[i]) : b[i];
                yield r;
            }
            case short[] s -> {
                int[] r = new int[s.length];
                for (int i = 0; i < s.length; i++) r[i] = unsigned ? Short.toUnsignedInt(s[i]) : s[i];
                yield r;
            }
            case long[] l -> {
                int[] r = new int[l.length];
                for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
                yield r;
            }
            default -> throw new IllegalStateException("GGUF metadata '" + key + "' is an array of " + a.elementType() + ", not of integers");
        };
    }

    private static IllegalStateException wrongType(String key, Value v, String wanted) {
        return new IllegalStateException("GGUF metadata '" + key + "' is " + v.type() + ", not " + wanted);
    }

    private static void checkJavaType(String key, Value v) {
        Class<?> expected = switch (v.type()) {
            case UINT8, INT8 -> Byte.class;
            case UINT16, INT16 -> Short.class;
            case UINT32, INT32 -> Integer.class;
            case UINT64, INT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> MetadataArray.class;
        };
        if (!expected.isInstance(v.value())) {
            throw new IllegalArgumentException("metadata '" + key + "' of type " + v.type() + " needs a " + expected.getSimpleName());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata m && entries.equals(m.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Metadata" + entries.keySet();
    }
}
