package io.argus.models.packaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An n-dimensional array in NumPy's {@code .npy} format: unsigned bytes or little-endian 32-bit
 * floats in C order, nothing else. Tensors only: object arrays (pickle) and every other type are
 * refused, so a package can carry inputs without carrying code. Read with {@code numpy.load(f,
 * allow_pickle=False)}; written as format version 1.0.
 */
public final class NpyArray {

    /** The element types a package may hold. */
    public enum DType {
        UINT8("|u1", 1),
        FLOAT32("<f4", 4);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        static DType of(String descr) {
            for (DType t : values()) {
                if (t.descr.equals(descr)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("element type '" + descr + "' is not " + UINT8.descr + " or "
                    + FLOAT32.descr + " (the only types a package's arrays may have)");
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Far more than any input tensor needs; a bigger header is not a NumPy file we wrote or read. */
    private static final int MAX_HEADER = 4096;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final DType dtype;
    private final int[] shape;
    private final byte[] data;

    private NpyArray(DType dtype, int[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Unsigned bytes of the given shape. */
    public static NpyArray ofBytes(int[] shape, byte[] values) {
        check(shape, values.length);
        return new NpyArray(DType.UINT8, shape, values.clone());
    }

    /** Floats of the given shape. */
    public static NpyArray ofFloats(int[] shape, float[] values) {
        check(shape, values.length);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(DType.FLOAT32, shape, b.array());
    }

    /**
     * Reads a {@code .npy} file.
     *
     * @throws IllegalArgumentException saying what is wrong: not NumPy, a refused type, Fortran
     *     order, or a size that does not match the shape
     */
    public static NpyArray parse(byte[] file) {
        if (file.length < 10 || !Arrays.equals(Arrays.copyOf(file, 6), MAGIC)) {
            throw new IllegalArgumentException("not a NumPy .npy file (no \\x93NUMPY magic)");
        }
        int major = file[6];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(b.getShort(8));
            headerStart = 10;
        } else if (major == 2 && file.length >= 12) {
            headerLength = b.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException(".npy format version " + major + " (1 and 2 are read)");
        }
        if (headerLength < 0 || headerLength > MAX_HEADER || headerStart + headerLength > file.length) {
            throw new IllegalArgumentException(".npy header of " + headerLength + " bytes in a file of " + file.length);
        }
        String header = new String(file, headerStart, headerLength, StandardCharsets.US_ASCII);
        DType dtype = DType.of(group(DESCR, header, "descr"));
        if (group(ORDER, header, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(".npy array in Fortran order (C order is read)");
        }
        String dims = group(SHAPE, header, "shape").trim();
        String[] parts = dims.isEmpty() ? new String[0] : dims.split("\\s*,\\s*");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(".npy shape (" + dims + ") is not a list of sizes");
            }
        }
        int dataStart = headerStart + headerLength;
        long expected = count(shape) * dtype.size;
        if (file.length - dataStart != expected) {
            throw new IllegalArgumentException(".npy data of " + (file.length - dataStart) + " bytes, but shape "
                    + Arrays.toString(shape) + " of " + dtype.descr + " needs " + expected);
        }
        return new NpyArray(dtype, shape, Arrays.copyOfRange(file, dataStart, file.length));
    }

    /** The {@code .npy} file (format 1.0, header padded to 64 bytes as NumPy writes it). */
    public byte[] toBytes() {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        StringBuilder header = new StringBuilder("{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': "
                + tuple + ", }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h).put(data);
        return out.array();
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Rows: the size of the first axis. */
    public int rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Elements in one row (the product of every axis but the first). */
    public int rowSize() {
        return shape.length == 0 ? 1 : (int) (count(shape) / Math.max(1, shape[0]));
    }

    /** Row {@code i} of an unsigned-byte array. */
    public byte[] byteRow(int i) {
        require(DType.UINT8);
        return Arrays.copyOfRange(data, i * rowSize(), (i + 1) * rowSize());
    }

    /** Row {@code i} of a float array. */
    public float[] floatRow(int i) {
        require(DType.FLOAT32);
        float[] out = new float[rowSize()];
        ByteBuffer.wrap(data, i * rowSize() * 4, rowSize() * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @Override
    public String toString() {
        return dtype.descr + Arrays.toString(shape);
    }

    private void require(DType t) {
        if (dtype != t) {
            throw new IllegalArgumentException("array of " + dtype.descr + ", not " + t.descr);
        }
    }

    private static String group(Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(".npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return n;
    }

    private static void check(int[] shape, int values) {
        if (count(shape) != values) {
            throw new IllegalArgumentException(values + " values for shape " + Arrays.toString(shape));
        }
    }
}
