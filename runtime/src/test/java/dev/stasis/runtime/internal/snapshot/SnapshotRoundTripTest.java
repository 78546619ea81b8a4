package dev.stasis.runtime.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stasis.rt.Frame;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRoundTripTest {
    @TempDir
    Path dir;

    enum Colour { RED, GREEN, BLUE { @Override public String toString() { return "blue!"; } } }

    record Point(int x, int y, String label) {
    }

    static final class Node {
        Node next;
        Object payload;
        int value;
    }

    @Test
    void object_shared_by_a_static_and_a_frame_is_one_object_after_reading() throws IOException {
        List<String> shared = new ArrayList<>(List.of("a", "b"));
        Frame frame = new Frame("a/Main.run()V", 3, 2, 1, 1, 1, 2);
        frame.ints[0] = 42;
        frame.ints[1] = -7;
        frame.longs[0] = Long.MIN_VALUE;
        frame.floats[0] = 1.5f;
        frame.doubles[0] = Math.PI;
        frame.refs[0] = shared;
        frame.refs[1] = "text";
        SnapshotContent content = new SnapshotContent(
                List.of(new ClassStatics("a.Main", List.of("cache", "count"), Arrays.asList(shared, 12))),
                List.of(CapturedThreads.main(List.of(frame))));

        SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

        Object fromStatic = back.statics().get(0).values().get(0);
        Frame readFrame = back.threads().get(0).frames().get(0);
        assertThat(readFrame.refs[0]).isSameAs(fromStatic).isEqualTo(List.of("a", "b"));
        assertThat(readFrame.method).isEqualTo("a/Main.run()V");
        assertThat(readFrame.point).isEqualTo(3);
        assertThat(readFrame.ints).containsExactly(42, -7);
        assertThat(readFrame.longs).containsExactly(Long.MIN_VALUE);
        assertThat(readFrame.floats).containsExactly(1.5f);
        assertThat(readFrame.doubles).containsExactly(Math.PI);
        assertThat(back.statics().get(0).fieldNames()).containsExactly("cache", "count");
        assertThat(back.statics().get(0).values().get(1)).isEqualTo(12);
        assertThat(back.threads().get(0).name()).isEqualTo("main");
        assertThat(back.threads().get(0).main()).isTrue();
    }

    @Test
    void frames_of_several_threads_keep_their_order_bottom_first() throws IOException {
        Frame bottom = new Frame("a/Main.main([Ljava/lang/String;)V", 2, 0, 0, 0, 0, 0);
        Frame top = new Frame("a/Main.work(I)I", 1, 1, 0, 0, 0, 0);
        SnapshotContent content = new SnapshotContent(List.of(), List.of(
                CapturedThreads.main(List.of(bottom, top)),
                CapturedThreads.other("worker-1", true, List.of())));

        SnapshotContent back = Snapshots.read(Snapshots.write(dir.resolve("s.stasis"), content));

        assertThat(back.threads()).extracting(ThreadCapture::name).containsExactly("main", "worker-1");
        assertThat(back.threads().get(0).frames()).extracting(f -> f.method)
                .containsExactly("a/Main.main([Ljava/lang/String;)V", "a/Main.work(I)I");
        assertThat(back.threads().get(1).thread().isDaemon()).isTrue();
        assertThat(back.threads().get(1).thread().getName()).isEqualTo("worker-1");
    }

    @Test
    void all_primitive_arrays_round_trip() throws IOException {
        Object[] back = Snapshots.roundTrip(dir, new boolean[] {true, false}, new byte[] {-1, 2}, new short[] {-3, 4},
                new char[] {'x', '\u00e9'}, new int[] {Integer.MIN_VALUE, 5}, new long[] {Long.MAX_VALUE, -6},
                new float[] {Float.NaN, -0f}, new double[] {Double.NEGATIVE_INFINITY, 7.25}, new int[][] {{1}, {2, 3}});

        assertThat((boolean[]) back[0]).containsExactly(true, false);
        assertThat((byte[]) back[1]).containsExactly(-1, 2);
        assertThat((short[]) back[2]).containsExactly((short) -3, (short) 4);
        assertThat((char[]) back[3]).containsExactly('x', '\u00e9');
        assertThat((int[]) back[4]).containsExactly(Integer.MIN_VALUE, 5);
        assertThat((long[]) back[5]).containsExactly(Long.MAX_VALUE, -6);
        assertThat((float[]) back[6]).containsExactly(Float.NaN, -0f);
        assertThat((double[]) back[7]).containsExactly(Double.NEGATIVE_INFINITY, 7.25);
        assertThat((int[][]) back[8]).isDeepEqualTo(new int[][] {{1}, {2, 3}});
    }

    @Test
    void immutable_and_wrapped_jdk_collections_round_trip_with_their_behaviour() throws IOException {
        List<Integer> backing = new ArrayList<>(List.of(1, 2));
        Object[] back = Snapshots.roundTrip(dir, List.of(1, 2, 3), List.of(), Map.of("k", 1, "j", 2), Set.of("s"),
                Collections.unmodifiableList(backing), backing, Collections.synchronizedMap(new HashMap<>(Map.of("a", 1))),
                Collections.unmodifiableMap(new TreeMap<>(Map.of("z", 1))), Arrays.asList("p", "q"),
                new ArrayDeque<>(List.of(3, 4)), Collections.emptyList(), Collections.singletonMap("one", 1),
                Collections.unmodifiableSet(new TreeSet<>(Set.of(2, 1))));

        assertThat(back[0]).isEqualTo(List.of(1, 2, 3));
        assertThat(back[1]).isEqualTo(List.of());
        assertThat(back[2]).isEqualTo(Map.of("k", 1, "j", 2));
        assertThat(back[3]).isEqualTo(Set.of("s"));
        @SuppressWarnings("unchecked") List<Integer> view = (List<Integer>) back[4];
        @SuppressWarnings("unchecked") List<Integer> viewedList = (List<Integer>) back[5];
        viewedList.add(3);
        assertThat(view).as("the unmodifiable view still shows its backing list").containsExactly(1, 2, 3);
        assertThat(view.getClass()).isEqualTo(Collections.unmodifiableList(new ArrayList<>()).getClass());
        @SuppressWarnings("unchecked") Map<String, Integer> sync = (Map<String, Integer>) back[6];
        sync.put("b", 2);
        assertThat(sync).containsEntry("a", 1).containsEntry("b", 2);
        assertThat(back[7]).isEqualTo(Map.of("z", 1));
        assertThat(back[8]).isEqualTo(List.of("p", "q"));
        assertThat(new ArrayList<>((ArrayDeque<?>) back[9])).isEqualTo(List.of(3, 4));
        assertThat(back[10]).isSameAs(Collections.emptyList());
        assertThat(back[11]).isEqualTo(Map.of("one", 1));
        assertThat(new ArrayList<>((Set<?>) back[12])).isEqualTo(List.of(1, 2));
    }

    @Test
    void immutable_lists_with_nulls_and_sub_lists_round_trip() throws IOException {
        List<String> withNull = Stream.of("a", null, "c").toList();
        List<Integer> sub = List.of(1, 2, 3, 4).subList(1, 3);

        Object[] back = Snapshots.roundTrip(dir, withNull, sub, List.of(5));

        assertThat(back[0]).isEqualTo(Arrays.asList("a", null, "c"));
        assertThat(back[1]).isEqualTo(List.of(2, 3));
        assertThat(back[2]).isEqualTo(List.of(5));
        assertThatThrownBy(() -> ((List<?>) back[2]).contains(null)).isInstanceOf(NullPointerException.class);
        @SuppressWarnings("unchecked") List<Object> readOnly = (List<Object>) back[0];
        assertThatThrownBy(() -> readOnly.add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sorted_collections_keep_their_comparators() throws IOException {
        PriorityQueue<String> queue = new PriorityQueue<>(Comparator.reverseOrder());
        queue.addAll(List.of("a", "c", "b"));
        TreeMap<String, Integer> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put("B", 2);
        map.put("a", 1);
        TreeSet<Integer> set = new TreeSet<>(Comparator.reverseOrder());
        set.addAll(List.of(1, 3, 2));

        Object[] back = Snapshots.roundTrip(dir, queue, map, set);

        @SuppressWarnings("unchecked") PriorityQueue<String> q = (PriorityQueue<String>) back[0];
        q.add("d");
        assertThat(List.of(q.poll(), q.poll(), q.poll(), q.poll())).containsExactly("d", "c", "b", "a");
        @SuppressWarnings("unchecked") TreeMap<String, Integer> m = (TreeMap<String, Integer>) back[1];
        assertThat(m.get("A")).isEqualTo(1);
        assertThat(m.firstKey()).isEqualTo("a");
        assertThat(new ArrayList<>((TreeSet<?>) back[2])).isEqualTo(List.of(3, 2, 1));
    }

    @Test
    void access_ordered_linked_hash_map_stays_access_ordered() throws IOException {
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        lru.put("a", 1);
        lru.put("b", 2);
        lru.put("c", 3);
        lru.get("a");
        LinkedHashMap<String, Integer> insertion = new LinkedHashMap<>();
        insertion.put("z", 1);
        insertion.put("y", 2);

        Object[] back = Snapshots.roundTrip(dir, lru, insertion);

        @SuppressWarnings("unchecked") LinkedHashMap<String, Integer> lruBack = (LinkedHashMap<String, Integer>) back[0];
        assertThat(lruBack.keySet()).containsExactly("b", "c", "a");
        lruBack.get("b");
        assertThat(lruBack.keySet()).containsExactly("c", "a", "b");
        @SuppressWarnings("unchecked") LinkedHashMap<String, Integer> insertionBack = (LinkedHashMap<String, Integer>) back[1];
        insertionBack.get("z");
        assertThat(insertionBack.keySet()).containsExactly("z", "y");
    }

    @Test
    void enum_collections_round_trip_including_empty_enum_maps() throws IOException {
        EnumMap<Colour, String> map = new EnumMap<>(Colour.class);
        map.put(Colour.BLUE, "sky");
        map.put(Colour.RED, "rose");
        Object[] back = Snapshots.roundTrip(dir, map, new EnumMap<>(Colour.class), EnumSet.of(Colour.GREEN, Colour.BLUE),
                EnumSet.noneOf(Colour.class));

        @SuppressWarnings("unchecked") EnumMap<Colour, String> mapBack = (EnumMap<Colour, String>) back[0];
        assertThat(mapBack).containsExactly(Map.entry(Colour.RED, "rose"), Map.entry(Colour.BLUE, "sky"));
        @SuppressWarnings("unchecked") EnumMap<Colour, String> emptyBack = (EnumMap<Colour, String>) back[1];
        emptyBack.put(Colour.GREEN, "grass");
        assertThat(emptyBack).containsOnlyKeys(Colour.GREEN);
        assertThat(back[2]).isEqualTo(EnumSet.of(Colour.GREEN, Colour.BLUE));
        @SuppressWarnings("unchecked") EnumSet<Colour> noneBack = (EnumSet<Colour>) back[3];
        noneBack.add(Colour.RED);
        assertThat(noneBack).containsExactly(Colour.RED);
    }

    @Test
    void enum_constants_keep_their_identity_including_constants_with_bodies() throws IOException {
        Object[] back = Snapshots.roundTrip(dir, Colour.RED, Colour.BLUE, new Colour[] {Colour.GREEN});

        assertThat(back[0]).isSameAs(Colour.RED);
        assertThat(back[1]).isSameAs(Colour.BLUE);
        assertThat(((Colour[]) back[2])[0]).isSameAs(Colour.GREEN);
    }

    @Test
    void value_types_of_the_jdk_round_trip() throws IOException {
        BitSet bits = new BitSet();
        bits.set(3);
        bits.set(200);
        UUID uuid = UUID.randomUUID();
        ZonedDateTime zoned = ZonedDateTime.of(2026, 11, 26, 7, 30, 0, 5, ZoneId.of("Europe/Paris"));
        Object[] values = {new StringBuilder("built"), new BigInteger("123456789012345678901234567890"),
            new BigDecimal("-1.000000000000000000001"), bits, uuid, Optional.of("x"), Optional.empty(),
            Instant.ofEpochSecond(1_700_000_000L, 123), Duration.ofMillis(1500), LocalDate.of(2026, 2, 28),
            LocalDateTime.of(2026, 1, 1, 0, 0), zoned, String.class, int.class, Point.class};

        Object[] back = Snapshots.roundTrip(dir, values);

        assertThat(back[0].toString()).isEqualTo("built");
        assertThat(back).hasSize(values.length);
        for (int i = 1; i < values.length; i++) {
            assertThat(back[i]).as("value %d", i).isEqualTo(values[i]);
        }
    }

    @Test
    void random_continues_the_same_sequence() throws IOException {
        Random random = new Random(2026);
        random.nextInt();
        random.nextGaussian();
        Random expected = new Random(2026);
        expected.nextInt();
        expected.nextGaussian();

        Random back = Snapshots.roundTripOne(dir, random);

        assertThat(back.nextGaussian()).as("the cached second Gaussian").isEqualTo(expected.nextGaussian());
        for (int i = 0; i < 100; i++) {
            assertThat(back.nextLong()).isEqualTo(expected.nextLong());
        }
    }

    @Test
    void records_round_trip_and_stay_shared() throws IOException {
        Point point = new Point(1, -2, "p");
        Object[] back = Snapshots.roundTrip(dir, point, List.of(point));

        assertThat(back[0]).isEqualTo(point);
        assertThat(((List<?>) back[1]).get(0)).isSameAs(back[0]);
    }

    @Test
    void cyclic_graph_keeps_its_cycle() throws IOException {
        Node a = new Node();
        Node b = new Node();
        a.next = b;
        b.next = a;
        a.value = 1;
        b.value = 2;
        List<Object> selfContaining = new ArrayList<>();
        selfContaining.add(selfContaining);
        AtomicReference<Object> holder = new AtomicReference<>();
        holder.set(holder);

        Object[] back = Snapshots.roundTrip(dir, a, selfContaining, holder);

        Node aBack = (Node) back[0];
        assertThat(aBack.next.next).isSameAs(aBack);
        assertThat(aBack.next.value).isEqualTo(2);
        assertThat(((List<?>) back[1]).get(0)).isSameAs(back[1]);
        assertThat(((AtomicReference<?>) back[2]).get()).isSameAs(back[2]);
    }

    @Test
    void deep_linked_list_of_100k_nodes_round_trips_on_a_thread_with_a_big_stack() throws Exception {
        Node head = new Node();
        Node tail = head;
        for (int i = 1; i < 100_000; i++) {
            tail.next = new Node();
            tail = tail.next;
            tail.value = i;
        }
        tail.payload = head;
        Node list = head;
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread big = new Thread(null, () -> {
            try {
                result[0] = Snapshots.roundTripOne(dir, list);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "big-stack", 1L << 30);
        big.start();
        big.join();

        assertThat(failure[0]).isNull();
        Node node = (Node) result[0];
        int count = 1;
        while (node.next != null) {
            node = node.next;
            assertThat(node.value).isEqualTo(count);
            count++;
        }
        assertThat(count).isEqualTo(100_000);
        assertThat(node.payload).isSameAs(result[0]);
    }

    @Test
    void inner_and_anonymous_class_instances_keep_their_outer_object_and_captured_values() throws IOException {
        Outer outer = new Outer("outer-state");
        Outer.Inner inner = outer.new Inner();
        Supplier<String> anonymous = outer.anonymous("captured");

        Object[] back = Snapshots.roundTrip(dir, inner, anonymous, outer);

        assertThat(((Outer.Inner) back[0]).outerState()).isEqualTo("outer-state");
        @SuppressWarnings("unchecked") Supplier<String> anonymousBack = (Supplier<String>) back[1];
        ((Outer) back[2]).state = "changed";
        assertThat(anonymousBack.get()).as("the outer object is shared, the captured value kept").isEqualTo("changed/captured");
    }

    @Test
    void jdk_wrappers_whose_views_were_used_round_trip() throws IOException {
        Map<String, Integer> sync = Collections.synchronizedMap(new HashMap<>(Map.of("a", 1)));
        Map<String, Integer> readOnly = Collections.unmodifiableMap(new HashMap<>(Map.of("b", 2)));
        assertThat(sync.keySet()).containsExactly("a");
        assertThat(readOnly.entrySet()).hasSize(1);
        assertThat(readOnly.values()).containsExactly(2);

        Object[] back = Snapshots.roundTrip(dir, sync, readOnly);

        @SuppressWarnings("unchecked") Map<String, Integer> syncBack = (Map<String, Integer>) back[0];
        syncBack.put("c", 3);
        assertThat(syncBack.keySet()).containsExactlyInAnyOrder("a", "c");
        @SuppressWarnings("unchecked") Map<String, Integer> readOnlyBack = (Map<String, Integer>) back[1];
        assertThat(readOnlyBack.values()).containsExactly(2);
    }

    @Test
    void views_of_jdk_collections_stay_views_of_the_restored_collection() throws IOException {
        HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1));
        List<Integer> list = new ArrayList<>(List.of(1, 2, 3, 4));
        TreeMap<Integer, String> sorted = new TreeMap<>(Map.of(1, "x", 5, "y"));

        Object[] back = Snapshots.roundTrip(dir, map, map.keySet(), list, list.subList(1, 3), sorted, sorted.headMap(3));

        @SuppressWarnings("unchecked") HashMap<String, Integer> mapBack = (HashMap<String, Integer>) back[0];
        mapBack.put("b", 2);
        assertThat(back[1]).isEqualTo(Set.of("a", "b"));
        @SuppressWarnings("unchecked") List<Integer> subBack = (List<Integer>) back[3];
        subBack.set(0, 20);
        assertThat(back[2]).isEqualTo(List.of(1, 20, 3, 4));
        @SuppressWarnings("unchecked") TreeMap<Integer, String> sortedBack = (TreeMap<Integer, String>) back[4];
        sortedBack.put(2, "z");
        assertThat(back[5]).isEqualTo(Map.of(1, "x", 2, "z"));
    }

    @Test
    void an_iterator_suspended_mid_list_continues_over_the_restored_list() throws IOException {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            list.add("e" + i);
        }
        list.remove("e4");
        Iterator<String> iterator = list.iterator();
        iterator.next();

        Object[] back = Snapshots.roundTrip(dir, list, iterator);

        @SuppressWarnings("unchecked") Iterator<String> iteratorBack = (Iterator<String>) back[1];
        List<String> rest = new ArrayList<>();
        iteratorBack.forEachRemaining(rest::add);
        assertThat(rest).containsExactly("e1", "e2", "e3");
        iteratorBack.remove();
        assertThat(back[0]).isEqualTo(List.of("e0", "e1", "e2"));
    }

    @Test
    void transient_fields_are_part_of_the_saved_state() throws IOException {
        Cache cache = new Cache();
        cache.hits = 3;
        cache.memo = new HashMap<>(Map.of("k", "v"));

        Cache back = Snapshots.roundTripOne(dir, cache);

        assertThat(back.hits).isEqualTo(3);
        assertThat(back.memo).isEqualTo(Map.of("k", "v"));
    }

    static final class Cache {
        transient int hits;
        transient Map<String, String> memo;
    }

    static final class Outer {
        String state;

        Outer(String state) {
            this.state = state;
        }

        final class Inner {
            String outerState() {
                return state;
            }
        }

        Supplier<String> anonymous(String value) {
            return new Supplier<>() {
                @Override
                public String get() {
                    return state + "/" + value;
                }
            };
        }
    }

    @Test
    void restored_application_objects_are_created_without_running_their_constructor() throws IOException {
        Counted.created = 0;
        Counted value = new Counted(5);

        Counted back = Snapshots.roundTripOne(dir, value);

        assertThat(back.value).isEqualTo(5);
        assertThat(Counted.created).isEqualTo(1);
    }

    static final class Counted {
        static int created;
        final int value;

        Counted() {
            this(0);
        }

        Counted(int value) {
            this.value = value;
            created++;
        }
    }
}
