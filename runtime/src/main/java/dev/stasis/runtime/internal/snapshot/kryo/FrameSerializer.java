package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.rt.Frame;

/** A captured frame: method, point, the typed slot arrays; references are part of the graph. */
final class FrameSerializer extends Serializer<Frame> {

    @Override
    public void write(Kryo kryo, Output output, Frame frame) {
        output.writeString(frame.method);
        output.writeVarInt(frame.point, true);
        output.writeVarInt(frame.ints.length, true);
        output.writeVarInt(frame.longs.length, true);
        output.writeVarInt(frame.floats.length, true);
        output.writeVarInt(frame.doubles.length, true);
        output.writeVarInt(frame.refs.length, true);
        output.writeInts(frame.ints, 0, frame.ints.length);
        output.writeLongs(frame.longs, 0, frame.longs.length);
        output.writeFloats(frame.floats, 0, frame.floats.length);
        output.writeDoubles(frame.doubles, 0, frame.doubles.length);
        for (int i = 0; i < frame.refs.length; i++) {
            try {
                kryo.writeClassAndObject(output, frame.refs[i]);
            } catch (CapturePathException e) {
                e.root("frame " + frame.method + " @" + frame.point + ", ref slot " + i);
                throw e;
            }
        }
    }

    @Override
    public Frame read(Kryo kryo, Input input, Class<? extends Frame> type) {
        String method = input.readString();
        int point = input.readVarInt(true);
        int ints = input.readVarInt(true);
        int longs = input.readVarInt(true);
        int floats = input.readVarInt(true);
        int doubles = input.readVarInt(true);
        int refs = input.readVarInt(true);
        for (int length : new int[] {ints, longs, floats, doubles, refs}) {
            BoundedInput.claim(input, length, "a frame's slot array");
        }
        Frame frame = new Frame(method, point, ints, longs, floats, doubles, refs);
        kryo.reference(frame);
        // Element by element into the frame's own arrays (the bulk reads would allocate, and claim, a second copy).
        for (int i = 0; i < ints; i++) {
            frame.ints[i] = input.readInt();
        }
        for (int i = 0; i < longs; i++) {
            frame.longs[i] = input.readLong();
        }
        for (int i = 0; i < floats; i++) {
            frame.floats[i] = input.readFloat();
        }
        for (int i = 0; i < doubles; i++) {
            frame.doubles[i] = input.readDouble();
        }
        for (int i = 0; i < refs; i++) {
            frame.refs[i] = kryo.readClassAndObject(input);
        }
        return frame;
    }
}
