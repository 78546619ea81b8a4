package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.io.Input;
import java.io.InputStream;

/**
 * Kryo input that knows how many payload bytes the graph has, so no length field can make the
 * reader allocate more than the data could fill. Every array, collection and string claims its
 * element count before its storage is allocated; each element takes at least one byte, so a claim
 * larger than the bytes left, or claims adding up to more than the whole payload, can only come
 * from damaged or forged data. Memory stays within a small multiple of the snapshot's size.
 */
public final class BoundedInput extends Input {
    private final long payloadBytes;
    private long claimed;

    public BoundedInput(InputStream in, int bufferSize, long payloadBytes) {
        super(in, bufferSize);
        this.payloadBytes = payloadBytes;
    }

    /** Claims {@code elements} on {@code input} if it is bounded (reads always are; the check is for tests that read raw Kryo). */
    static void claim(Input input, long elements, String what) {
        if (input instanceof BoundedInput bounded) {
            bounded.claim(elements, what);
        }
    }

    void claim(long elements, String what) {
        long remaining = payloadBytes - total();
        if (elements < 0) {
            throw new RefusedReadException(what + " claims " + elements + " elements");
        }
        if (elements > remaining) {
            throw new RefusedReadException(what + " claims " + elements + " elements, more than the " + remaining
                    + " bytes of data left could hold");
        }
        claimed += elements;
        if (claimed > payloadBytes) {
            throw new RefusedReadException("the arrays, collections and strings read so far claim " + claimed
                    + " elements in all, more than the " + payloadBytes + " data bytes could hold");
        }
    }

    /**
     * The next varint (positive-optimised, as Kryo writes lengths), without consuming it; -1 if the
     * data ends first. Lets a length be checked before a serializer that reads it allocates.
     */
    int peekVarInt() {
        int available = optional(5);
        int result = 0;
        for (int i = 0; i < available; i++) {
            int b = buffer[position + i];
            result |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0 || i == 4) {
                return result; // Kryo reads at most five bytes, whatever the fifth says
            }
        }
        return -1;
    }

    @Override
    public String readString() {
        claimUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        claimUtf8Length();
        return super.readStringBuilder();
    }

    /**
     * A UTF-8 string starts with its character count (a varint whose first byte has the 0x80 flag,
     * 6 bits and the continuation bit 0x40), for which the reader allocates at once; an ASCII string
     * is read byte by byte and needs no claim.
     */
    private void claimUtf8Length() {
        int available = optional(5);
        if (available <= 0 || (buffer[position] & 0x80) == 0) {
            return;
        }
        int b = buffer[position];
        int count = b & 0x3F;
        int shift = 6;
        for (int i = 1; i < 5 && (b & (i == 1 ? 0x40 : 0x80)) != 0; i++) {
            if (i >= available) {
                return;
            }
            b = buffer[position + i];
            count |= (b & 0x7F) << shift;
            shift += 7;
        }
        if (count > 1) {
            claim(count - 1L, "a string");
        }
    }

    @Override
    public byte[] readBytes(int length) {
        claim(length, "a byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        claim(length, "an int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        claim(length, "an int array");
        return getVariableLengthEncoding() ? super.readInts(length, optimizePositive) : super.readInts(length);
    }

    @Override
    public long[] readLongs(int length) {
        claim(length, "a long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        claim(length, "a long array");
        return getVariableLengthEncoding() ? super.readLongs(length, optimizePositive) : super.readLongs(length);
    }

    @Override
    public float[] readFloats(int length) {
        claim(length, "a float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        claim(length, "a double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        claim(length, "a short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        claim(length, "a char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        claim(length, "a boolean array");
        return super.readBooleans(length);
    }
}
