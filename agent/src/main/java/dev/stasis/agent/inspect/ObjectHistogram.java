package dev.stasis.agent.inspect;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.ReferenceResolver;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.stasis.runtime.internal.snapshot.SnapshotContent;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Objects and bytes of a snapshot by class, measured by encoding the graph read from the snapshot
 * again with the snapshot's own Kryo configuration: every serializer is wrapped to count the objects
 * it writes and the bytes it writes itself (its fields and inline values, not the objects it
 * refers to, which count for their own class). The class tag and back-reference id that Kryo writes
 * in front of a referenced object count for the object holding the reference. Encoding the same
 * graph gives the same bytes, so the total is the snapshot's uncompressed payload; boxed primitives
 * are objects of their own in the stream and are counted as such.
 *
 * <p>Measuring reads the objects' fields, and iterates the program's collection classes and calls
 * its record accessors as writing a snapshot does.
 */
final class ObjectHistogram {
    /** One class: how many objects the stream holds and how many bytes they take. */
    record Row(String className, long objects, long bytes) {
    }

    /** Rows sorted by bytes (then objects, then name); totals over all of them. */
    record Result(List<Row> rows, long objects, long bytes) {
    }

    private ObjectHistogram() {
    }

    static Result measure(SnapshotContent content, SnapshotReader reader, ClassLoader loader) {
        Set<Class<?>> types = typesWritten(content, reader.kryo(loader));
        Kryo kryo = reader.kryo(loader);
        Tally tally = new Tally();
        Set<Registration> wrapped = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Class<?> type : types) {
            Registration registration = kryo.getRegistration(type);
            if (wrapped.add(registration)) {
                registration.setSerializer(new Measuring<>(registration.getSerializer(), tally));
            }
        }
        Output output = new Output(OutputStream.nullOutputStream(), 1 << 16);
        kryo.writeObject(output, content);
        output.flush();
        List<Row> rows = new ArrayList<>();
        tally.rows.forEach((name, counts) -> rows.add(new Row(name, counts[0], counts[1])));
        rows.sort(Comparator.comparingLong(Row::bytes).reversed().thenComparing(Comparator.comparingLong(Row::objects).reversed())
                .thenComparing(Row::className));
        return new Result(List.copyOf(rows), rows.stream().mapToLong(Row::objects).sum(), output.total());
    }

    /**
     * A first encoding that records the class of every object written: Kryo asks the reference
     * resolver about each one before writing it.
     */
    private static Set<Class<?>> typesWritten(SnapshotContent content, Kryo kryo) {
        Set<Class<?>> types = new LinkedHashSet<>();
        kryo.setReferenceResolver(new Recording(kryo.getReferenceResolver(), types));
        Output output = new Output(OutputStream.nullOutputStream(), 1 << 16);
        kryo.writeObject(output, content);
        output.flush();
        return types;
    }

    private static String classNameOf(Object object) {
        Class<?> type = object instanceof Enum<?> constant ? constant.getDeclaringClass() : object.getClass();
        return ValueSummarizer.typeName(type);
    }

    /** Per class [objects, bytes]; a stack of the objects being written, with the bytes of what they refer to. */
    private static final class Tally {
        final Map<String, long[]> rows = new HashMap<>();
        private final Deque<long[]> open = new ArrayDeque<>();

        void begin(long position) {
            open.push(new long[] {position, 0});
        }

        void end(Object object, long position) {
            long[] frame = open.pop();
            long inclusive = position - frame[0];
            long[] row = rows.computeIfAbsent(classNameOf(object), name -> new long[2]);
            row[0]++;
            row[1] += inclusive - frame[1];
            if (!open.isEmpty()) {
                open.peek()[1] += inclusive;
            }
        }
    }

    /** Writes as the wrapped serializer does, counting its object and its own bytes. */
    private static final class Measuring<T> extends Serializer<T> {
        private final Serializer<T> inner;
        private final Tally tally;

        Measuring(Serializer<T> inner, Tally tally) {
            super(inner.getAcceptsNull(), inner.isImmutable());
            this.inner = inner;
            this.tally = tally;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            tally.begin(output.total());
            inner.write(kryo, output, object);
            tally.end(object, output.total());
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            return inner.read(kryo, input, type);
        }
    }

    /** Delegates everything; remembers the class of each object Kryo is about to write. */
    private static final class Recording implements ReferenceResolver {
        private final ReferenceResolver inner;
        private final Set<Class<?>> types;

        Recording(ReferenceResolver inner, Set<Class<?>> types) {
            this.inner = inner;
            this.types = types;
        }

        @Override
        public void setKryo(Kryo kryo) {
            inner.setKryo(kryo);
        }

        @Override
        public int getWrittenId(Object object) {
            return inner.getWrittenId(object);
        }

        @Override
        public int addWrittenObject(Object object) {
            return inner.addWrittenObject(object);
        }

        @Override
        public int nextReadId(Class type) {
            return inner.nextReadId(type);
        }

        @Override
        public void setReadObject(int id, Object object) {
            inner.setReadObject(id, object);
        }

        @Override
        public Object getReadObject(Class type, int id) {
            return inner.getReadObject(type, id);
        }

        @Override
        public void reset() {
            inner.reset();
        }

        @Override
        public boolean useReferences(Class type) {
            types.add(type);
            return inner.useReferences(type);
        }
    }
}
