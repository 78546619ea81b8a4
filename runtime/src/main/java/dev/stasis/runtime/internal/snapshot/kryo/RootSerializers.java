package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.rt.Frame;
import dev.stasis.runtime.internal.snapshot.ClassStatics;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import dev.stasis.runtime.internal.snapshot.ThreadCapture;
import dev.stasis.runtime.internal.snapshot.executors.PoolTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The top of the graph: content, class statics, threads, {@code org.crac} resources. They are written explicitly (not as
 * records) so that a failure below them can say which static or which thread it came from.
 */
final class RootSerializers {
    private RootSerializers() {
    }

    static final class ContentSerializer extends Serializer<SnapshotContent> {
        @Override
        public void write(Kryo kryo, Output output, SnapshotContent content) {
            ThreadGraph.of(kryo).begin(content.threads());
            output.writeVarInt(content.statics().size(), true);
            for (ClassStatics statics : content.statics()) {
                kryo.writeObject(output, statics);
            }
            output.writeVarInt(content.threads().size(), true);
            for (ThreadCapture thread : content.threads()) {
                kryo.writeObject(output, thread);
            }
            output.writeVarInt(content.resources().size(), true);
            for (int i = 0; i < content.resources().size(); i++) {
                try {
                    kryo.writeClassAndObject(output, content.resources().get(i));
                } catch (CapturePathException e) {
                    e.root("org.crac resource #" + i);
                    throw e;
                }
            }
            ThreadLocalsSection.write(kryo, output);
        }

        @Override
        public SnapshotContent read(Kryo kryo, Input input, Class<? extends SnapshotContent> type) {
            int classes = input.readVarInt(true);
            List<ClassStatics> statics = new ArrayList<>(Math.min(classes, 4096));
            for (int i = 0; i < classes; i++) {
                statics.add(kryo.readObject(input, ClassStatics.class));
            }
            int threadCount = input.readVarInt(true);
            List<ThreadCapture> threads = new ArrayList<>(Math.min(threadCount, 4096));
            for (int i = 0; i < threadCount; i++) {
                threads.add(kryo.readObject(input, ThreadCapture.class));
            }
            int resourceCount = input.readVarInt(true);
            List<Object> resources = new ArrayList<>(Math.min(resourceCount, 4096));
            for (int i = 0; i < resourceCount; i++) {
                Object resource = kryo.readClassAndObject(input);
                if (resource == null) {
                    throw new KryoException("org.crac resource #" + i + " is null; a snapshot never saves a null resource");
                }
                resources.add(resource);
            }
            return new SnapshotContent(List.copyOf(statics), List.copyOf(threads), resources,
                    ThreadLocalsSection.read(kryo, input), ReadListeners.all(kryo),
                    ExecutorSerializers.restoredPools(kryo));
        }
    }

    static final class ClassStaticsSerializer extends Serializer<ClassStatics> {
        @Override
        public void write(Kryo kryo, Output output, ClassStatics statics) {
            ManifestClassResolver.of(kryo).note(statics.className());
            output.writeString(statics.className());
            List<String> names = statics.fieldNames();
            output.writeVarInt(names.size(), true);
            for (int i = 0; i < names.size(); i++) {
                output.writeString(names.get(i));
                try {
                    kryo.writeClassAndObject(output, statics.values().get(i));
                } catch (CapturePathException e) {
                    e.root("static " + statics.className() + "." + names.get(i));
                    throw e;
                }
            }
        }

        @Override
        public ClassStatics read(Kryo kryo, Input input, Class<? extends ClassStatics> type) {
            String className = input.readString();
            // A restore writes these statics by reflection, which initialises the class.
            ManifestClassResolver.of(kryo).requireListed(className, "the data holds the static fields of class");
            int count = input.readVarInt(true);
            List<String> names = new ArrayList<>(Math.min(count, 4096));
            List<Object> values = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                names.add(input.readString());
                values.add(kryo.readClassAndObject(input));
            }
            return new ClassStatics(className, List.copyOf(names), Collections.unmodifiableList(values));
        }
    }

    static final class ThreadCaptureSerializer extends Serializer<ThreadCapture> {
        @Override
        public void write(Kryo kryo, Output output, ThreadCapture thread) {
            output.writeString(thread.name());
            output.writeBoolean(thread.main());
            output.writeVarInt(thread.frames().size(), true);
            try {
                kryo.writeClassAndObject(output, thread.thread());
                for (Frame frame : thread.frames()) {
                    kryo.writeObject(output, frame);
                }
                kryo.writeObjectOrNull(output, thread.poolTask(), PoolTask.class);
            } catch (CapturePathException e) {
                e.root("thread " + thread.name());
                throw e;
            }
        }

        @Override
        public ThreadCapture read(Kryo kryo, Input input, Class<? extends ThreadCapture> type) {
            String name = input.readString();
            boolean main = input.readBoolean();
            int count = input.readVarInt(true);
            Object thread = kryo.readClassAndObject(input);
            if (!(thread instanceof Thread)) {
                throw new KryoException("captured thread " + name + " is not a thread but " + thread);
            }
            List<Frame> frames = new ArrayList<>(Math.min(count, 4096));
            for (int i = 0; i < count; i++) {
                frames.add(kryo.readObject(input, Frame.class));
            }
            PoolTask poolTask = kryo.readObjectOrNull(input, PoolTask.class);
            return new ThreadCapture(name, main, (Thread) thread, frames, poolTask);
        }
    }
}
