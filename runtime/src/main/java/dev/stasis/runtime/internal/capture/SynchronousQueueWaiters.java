package dev.stasis.runtime.internal.capture;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;

/**
 * The threads waiting in a {@code SynchronousQueue} that no producer has matched yet. A cached pool hands a task
 * to an idle worker through such a queue: once matched, the task is in no queue and the worker may not have run
 * yet (its state still says waiting), so only the queue's own nodes tell an idle worker from one that holds a
 * task. JDK 17 keeps waiters on a stack of {@code SNode}s ({@code match} set once matched) or, when fair, a
 * queue of {@code QNode}s; JDK 21+ in a {@code LinkedTransferQueue} of {@code DualNode}s (for both, a request's
 * {@code item} is set once matched). Another layout gives null: unknown.
 */
final class SynchronousQueueWaiters {
    /** Nodes visited at most: a queue has one node per waiting thread, plus a few being unlinked. */
    private static final int MAX_NODES = 100_000;

    private SynchronousQueueWaiters() {
    }

    /** The unmatched waiting consumers, or null if this JDK's layout is not one Stasis knows. */
    static Set<Thread> unmatchedConsumers(SynchronousQueue<?> queue) {
        try {
            Object transferer = read(queue, SynchronousQueue.class, "transferer");
            Field head = findField(transferer.getClass(), "head");
            if (head == null) {
                return null;
            }
            Set<Thread> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
            Object node = head.get(transferer);
            for (int visited = 0; node != null && visited < MAX_NODES; visited++) {
                Boolean unmatched = unmatchedConsumer(node);
                if (unmatched == null) {
                    return null;
                }
                Object waiter = findField(node.getClass(), "waiter").get(node);
                if (unmatched && waiter instanceof Thread thread) {
                    waiting.add(thread);
                }
                Object next = findField(node.getClass(), "next").get(node);
                node = next == node ? null : next; // a self-link marks a node taken off the list
            }
            return waiting;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True for a consumer still waiting for an element, false for anything else, null for an unknown node. */
    private static Boolean unmatchedConsumer(Object node) throws IllegalAccessException {
        Field match = findField(node.getClass(), "match");
        Field mode = findField(node.getClass(), "mode");
        if (match != null && mode != null) { // JDK 17 SNode: REQUEST is 0
            return match.get(node) == null && mode.getInt(node) == 0;
        }
        Field isData = findField(node.getClass(), "isData");
        Field item = findField(node.getClass(), "item");
        if (isData != null && item != null) { // JDK 21+ DualNode: a request's item stays null until matched
            return !isData.getBoolean(node) && item.get(node) == null;
        }
        return null;
    }

    private static Object read(Object owner, Class<?> declaring, String name) throws ReflectiveOperationException {
        Field field = declaring.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }
}
