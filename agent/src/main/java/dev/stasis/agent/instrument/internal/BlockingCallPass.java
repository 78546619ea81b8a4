package dev.stasis.agent.instrument.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Makes the blocking calls that an interrupt can end ({@code Thread.join}, {@code BlockingQueue.take},
 * {@code CountDownLatch.await}, {@code Semaphore.acquire}, {@code Future.get} ...; {@link #TABLE}) places
 * where the calling thread is captured at once, the way {@link TimeCallPass} does for {@code Thread.sleep}.
 * Each call, whether made through the JDK type, an interface or a subclass, becomes, in place and inside
 * the call's own try/catch ranges:
 * <pre>
 *   receiver and arguments into new locals
 *   [long deadline = BlockingCalls.deadline(timeout, unit);]        // timed calls: once
 *   if (!BlockingCalls.runsJdkCode(receiver, "take()")) goto ORIGINAL; // not for final methods
 *   WAIT: r = BlockingCalls.take(receiver, args[, deadline]);
 *   if (r == BlockingCalls.NOT_YET) goto WAIT;                       // a loop header: ContinuationPass polls there
 *   checkcast / unbox / pop r; goto DONE
 *   ORIGINAL: receiver.take(args)                                    // the call as it was
 *   DONE:
 * </pre>
 * The helper returns {@code NOT_YET} as soon as a checkpoint is pending, having changed nothing, so the
 * thread is captured at the poll with its receiver, arguments and deadline in its frame. A receiver whose
 * method is the application's own (a subclass that overrides it, an implementation of the interface) keeps
 * the original call: its code, if instrumented, has points of its own, which a helper frame below it would
 * make unreachable. {@code arriveAndAwaitAdvance()} is split into {@code arrive()} once, before the loop, and
 * a resumable wait for that phase; {@code invokeAll} into submitting every task once and a resumable wait for
 * their futures (the list of futures is in the frame, so a resumed thread waits for the same tasks);
 * {@code ExecutorService.close()} into {@code shutdown()} once and a resumable wait for termination (what that
 * wait must remember, whether the program's interrupt made it call {@code shutdownNow()}, is in the frame too).
 * {@code LockSupport.park*} become the same calls of
 * {@code dev.stasis.rt.ParkCall}, which returns early (a legal spurious return) for a pending checkpoint.
 * Runs before {@link ContinuationPass}, also for frame layouts.
 */
public final class BlockingCallPass {
    private static final String CALLS = "dev/stasis/rt/BlockingCalls";
    private static final String PARK_CALL = "dev/stasis/rt/ParkCall";
    private static final String LOCK_SUPPORT = "java/util/concurrent/locks/LockSupport";
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String TIME_UNIT = "Ljava/util/concurrent/TimeUnit;";
    private static final String TIMEOUT = "J" + TIME_UNIT;
    private static final int EXTRA_STACK = 4;

    /** How a call's timeout, if any, becomes the deadline the helper takes as its last argument. */
    enum Timing {
        /** No timeout: the helper takes receiver and arguments. */
        NONE(0, null, false),
        /** {@code (..., long timeout, TimeUnit unit)}: the helper takes the other arguments and the deadline. */
        TIMEOUT_UNIT(2, "deadline", false),
        /** {@code (Duration)}: the helper takes the deadline instead. */
        DURATION(1, "deadline", false),
        /** {@code join(millis[, nanos])}: the helper takes them as well (zero waits forever) and the deadline. */
        JOIN(-1, "joinDeadline", true);

        /** How many trailing arguments give the deadline; -1 for all of them. */
        final int timingArguments;
        final String deadlineMethod;
        final boolean helperKeepsTimingArguments;

        Timing(int timingArguments, String deadlineMethod, boolean helperKeepsTimingArguments) {
            this.timingArguments = timingArguments;
            this.deadlineMethod = deadlineMethod;
            this.helperKeepsTimingArguments = helperKeepsTimingArguments;
        }
    }

    /**
     * What a call does once, before its resumable wait, whose result the wait then takes as its last argument
     * (kept in a local, so a captured thread waits for the same thing after a resume).
     */
    enum First {
        NONE(null, null),
        /** {@code arriveAndAwaitAdvance}: {@code arrive()}, then a wait for that phase. */
        ARRIVE("arrive", "I"),
        /** {@code invokeAll}: every task submitted, then a wait for their futures. */
        SUBMIT_ALL("submitAll", "Ljava/util/List;"),
        /**
         * {@code ExecutorService.close()}: {@code shutdown()}, then a wait for termination; the array in the frame
         * is where the wait remembers that the program's interrupt already made it call {@code shutdownNow()}.
         */
        BEGIN_CLOSE("beginClose", "[Z");

        final String method;
        final String resultDescriptor;

        First(String method, String resultDescriptor) {
            this.method = method;
            this.resultDescriptor = resultDescriptor;
        }
    }

    /**
     * One call made a safepoint: {@code owner} is the JDK type that declares it (call sites on subtypes
     * match), {@code helper} the {@code BlockingCalls} method. {@code finalMethod}: no subclass can override
     * it, so no check of the receiver is needed. {@code first}: what it does once before its wait.
     */
    record Blocking(String owner, String name, String descriptor, String helper, Timing timing, boolean finalMethod,
                    First first) {
        Blocking(String owner, String name, String descriptor, String helper, Timing timing) {
            this(owner, name, descriptor, helper, timing, false, First.NONE);
        }

        /** The descriptor of the first step: the receiver and the arguments the helper keeps. */
        String firstDescriptor() {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            StringBuilder firstArguments = new StringBuilder("(L").append(owner).append(';');
            for (int i = 0; first == First.SUBMIT_ALL && i < keptArguments(); i++) {
                firstArguments.append(arguments[i].getDescriptor());
            }
            return firstArguments.append(')').append(first.resultDescriptor).toString();
        }

        /** The helper's descriptor: receiver, the arguments it keeps, the deadline; an Object result. */
        String helperDescriptor() {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            StringBuilder helperArguments = new StringBuilder("(L").append(owner).append(';');
            for (int i = 0; i < keptArguments(); i++) {
                helperArguments.append(arguments[i].getDescriptor());
            }
            if (timing != Timing.NONE) {
                helperArguments.append('J');
            }
            if (first != First.NONE) {
                helperArguments.append(first.resultDescriptor); // the phase arrive() returned, the submitted futures
            }
            return helperArguments.append(")").append(OBJECT).toString();
        }

        /** How many of the call's arguments, from the first, the helper takes. */
        int keptArguments() {
            int count = Type.getArgumentTypes(descriptor).length;
            return timing.helperKeepsTimingArguments ? count : count - timing.timingArguments;
        }

        /** The index of the first argument that gives the deadline. */
        int firstTimingArgument() {
            return timing.timingArguments < 0 ? 0 : Type.getArgumentTypes(descriptor).length - timing.timingArguments;
        }

        /** The descriptor of {@code BlockingCalls.<deadlineMethod>}: the timing arguments, a long result. */
        String deadlineDescriptor() {
            Type[] arguments = Type.getArgumentTypes(descriptor);
            StringBuilder deadlineArguments = new StringBuilder("(");
            for (int i = firstTimingArgument(); i < arguments.length; i++) {
                deadlineArguments.append(arguments[i].getDescriptor());
            }
            return deadlineArguments.append(")J").toString();
        }

        /** The method as {@code BlockingCalls.runsJdkCode} looks it up: name and parameter descriptor. */
        String methodKey() {
            return name + descriptor.substring(0, descriptor.indexOf(')') + 1);
        }
    }

    private static final String THREAD = "java/lang/Thread";
    private static final String QUEUE = "java/util/concurrent/BlockingQueue";
    private static final String DEQUE = "java/util/concurrent/BlockingDeque";
    private static final String LATCH = "java/util/concurrent/CountDownLatch";
    private static final String SEMAPHORE = "java/util/concurrent/Semaphore";
    private static final String FUTURE = "java/util/concurrent/Future";
    private static final String EXECUTOR = "java/util/concurrent/ExecutorService";
    private static final String COMPLETION = "java/util/concurrent/CompletionService";
    private static final String EXCHANGER = "java/util/concurrent/Exchanger";
    private static final String PHASER = "java/util/concurrent/Phaser";

    /** Every call this pass rewrites. */
    static final List<Blocking> TABLE = List.of(
            new Blocking(THREAD, "join", "()V", "join", Timing.NONE, true, First.NONE),
            new Blocking(THREAD, "join", "(J)V", "join", Timing.JOIN, true, First.NONE),
            new Blocking(THREAD, "join", "(JI)V", "join", Timing.JOIN, true, First.NONE),
            new Blocking(THREAD, "join", "(Ljava/time/Duration;)Z", "join", Timing.DURATION, true, First.NONE),
            new Blocking(QUEUE, "take", "()" + OBJECT, "take", Timing.NONE),
            new Blocking(QUEUE, "put", "(" + OBJECT + ")V", "put", Timing.NONE),
            new Blocking(QUEUE, "poll", "(" + TIMEOUT + ")" + OBJECT, "poll", Timing.TIMEOUT_UNIT),
            new Blocking(QUEUE, "offer", "(" + OBJECT + TIMEOUT + ")Z", "offer", Timing.TIMEOUT_UNIT),
            new Blocking(DEQUE, "takeFirst", "()" + OBJECT, "takeFirst", Timing.NONE),
            new Blocking(DEQUE, "takeLast", "()" + OBJECT, "takeLast", Timing.NONE),
            new Blocking(DEQUE, "putFirst", "(" + OBJECT + ")V", "putFirst", Timing.NONE),
            new Blocking(DEQUE, "putLast", "(" + OBJECT + ")V", "putLast", Timing.NONE),
            new Blocking(DEQUE, "pollFirst", "(" + TIMEOUT + ")" + OBJECT, "pollFirst", Timing.TIMEOUT_UNIT),
            new Blocking(DEQUE, "pollLast", "(" + TIMEOUT + ")" + OBJECT, "pollLast", Timing.TIMEOUT_UNIT),
            new Blocking(DEQUE, "offerFirst", "(" + OBJECT + TIMEOUT + ")Z", "offerFirst", Timing.TIMEOUT_UNIT),
            new Blocking(DEQUE, "offerLast", "(" + OBJECT + TIMEOUT + ")Z", "offerLast", Timing.TIMEOUT_UNIT),
            new Blocking(LATCH, "await", "()V", "await", Timing.NONE),
            new Blocking(LATCH, "await", "(" + TIMEOUT + ")Z", "await", Timing.TIMEOUT_UNIT),
            new Blocking(SEMAPHORE, "acquire", "()V", "acquire", Timing.NONE),
            new Blocking(SEMAPHORE, "acquire", "(I)V", "acquire", Timing.NONE),
            new Blocking(SEMAPHORE, "acquireUninterruptibly", "()V", "acquireUninterruptibly", Timing.NONE),
            new Blocking(SEMAPHORE, "acquireUninterruptibly", "(I)V", "acquireUninterruptibly", Timing.NONE),
            new Blocking(SEMAPHORE, "tryAcquire", "(" + TIMEOUT + ")Z", "tryAcquire", Timing.TIMEOUT_UNIT),
            new Blocking(SEMAPHORE, "tryAcquire", "(I" + TIMEOUT + ")Z", "tryAcquire", Timing.TIMEOUT_UNIT),
            new Blocking(FUTURE, "get", "()" + OBJECT, "get", Timing.NONE),
            new Blocking(FUTURE, "get", "(" + TIMEOUT + ")" + OBJECT, "get", Timing.TIMEOUT_UNIT),
            new Blocking(COMPLETION, "take", "()L" + FUTURE + ";", "take", Timing.NONE),
            new Blocking(COMPLETION, "poll", "(" + TIMEOUT + ")L" + FUTURE + ";", "poll", Timing.TIMEOUT_UNIT),
            new Blocking(EXECUTOR, "awaitTermination", "(" + TIMEOUT + ")Z", "awaitTermination", Timing.TIMEOUT_UNIT),
            new Blocking(EXCHANGER, "exchange", "(" + OBJECT + ")" + OBJECT, "exchange", Timing.NONE),
            new Blocking(EXCHANGER, "exchange", "(" + OBJECT + TIMEOUT + ")" + OBJECT, "exchange", Timing.TIMEOUT_UNIT),
            new Blocking(PHASER, "awaitAdvance", "(I)I", "awaitAdvance", Timing.NONE),
            new Blocking(PHASER, "awaitAdvanceInterruptibly", "(I)I", "awaitAdvanceInterruptibly", Timing.NONE),
            new Blocking(PHASER, "awaitAdvanceInterruptibly", "(I" + TIMEOUT + ")I", "awaitAdvanceInterruptibly",
                    Timing.TIMEOUT_UNIT),
            new Blocking(PHASER, "arriveAndAwaitAdvance", "()I", "awaitAdvance", Timing.NONE, false, First.ARRIVE),
            new Blocking(EXECUTOR, "invokeAll", "(Ljava/util/Collection;)Ljava/util/List;", "invokeAll", Timing.NONE,
                    false, First.SUBMIT_ALL),
            new Blocking(EXECUTOR, "invokeAll", "(Ljava/util/Collection;" + TIMEOUT + ")Ljava/util/List;", "invokeAll",
                    Timing.TIMEOUT_UNIT, false, First.SUBMIT_ALL),
            // JDK 19 and later, the end of try (var executor = ...) { }: a default method, overridden by the JDK's
            // ThreadPerTaskExecutor (same steps) and ForkJoinPool (its own, which the helper calls as it is).
            new Blocking(EXECUTOR, "close", "()V", "close", Timing.NONE, false, First.BEGIN_CLOSE));

    private BlockingCallPass() {
    }

    /** Rewrites every call of {@link #TABLE} and of {@code LockSupport.park*} in {@code method}; returns how many. */
    public static int rewrite(MethodNode method, ClassHierarchy hierarchy) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; ) {
            AbstractInsnNode next = insn.getNext();
            if (insn instanceof MethodInsnNode call) {
                if (isPark(call)) {
                    call.owner = PARK_CALL;
                    rewritten++;
                } else {
                    Blocking blocking = match(call, hierarchy);
                    if (blocking != null) {
                        // Above what the call had: the deadline, the phase, or the result and NOT_YET compared.
                        method.maxStack += EXTRA_STACK;
                        method.instructions.insert(call, replacement(method, call, blocking));
                        method.instructions.remove(call);
                        rewritten++;
                    }
                }
            }
            insn = next;
        }
        return rewritten;
    }

    private static boolean isPark(MethodInsnNode call) {
        return call.getOpcode() == Opcodes.INVOKESTATIC && LOCK_SUPPORT.equals(call.owner)
                && (call.name.equals("park") || call.name.equals("parkNanos") || call.name.equals("parkUntil"));
    }

    /** The entry for a virtual or interface call whose owner is the entry's type or a subtype of it, or null. */
    static Blocking match(MethodInsnNode call, ClassHierarchy hierarchy) {
        if ((call.getOpcode() != Opcodes.INVOKEVIRTUAL && call.getOpcode() != Opcodes.INVOKEINTERFACE)
                || call.owner.startsWith("[")) {
            return null;
        }
        for (Blocking blocking : TABLE) {
            if (blocking.name.equals(call.name) && sameSignature(blocking.descriptor, call.desc)
                    && hierarchy.isAssignable(blocking.owner, call.owner)) {
                return blocking;
            }
        }
        return null;
    }

    /** Same argument types; the same return type, or a narrower reference type (an override's covariant return). */
    private static boolean sameSignature(String declared, String called) {
        if (!Arrays.equals(Type.getArgumentTypes(declared), Type.getArgumentTypes(called))) {
            return false;
        }
        Type declaredReturn = Type.getReturnType(declared);
        Type calledReturn = Type.getReturnType(called);
        return declaredReturn.equals(calledReturn)
                || (declaredReturn.getSort() == Type.OBJECT && calledReturn.getSort() >= Type.ARRAY);
    }

    private static InsnList replacement(MethodNode method, MethodInsnNode call, Blocking blocking) {
        Type[] arguments = Type.getArgumentTypes(call.desc);
        List<Integer> argumentLocals = new ArrayList<>();
        for (Type argument : arguments) {
            argumentLocals.add(newLocal(method, argument));
        }
        int receiver = newLocal(method, Type.getObjectType(call.owner));
        InsnList code = new InsnList();
        for (int i = arguments.length - 1; i >= 0; i--) {
            code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ISTORE), argumentLocals.get(i)));
        }
        code.add(new VarInsnNode(Opcodes.ASTORE, receiver));

        int deadline = -1;
        if (blocking.timing != Timing.NONE) {
            deadline = newLocal(method, Type.LONG_TYPE);
            for (int i = blocking.firstTimingArgument(); i < arguments.length; i++) {
                code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals.get(i)));
            }
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLS, blocking.timing.deadlineMethod,
                    blocking.deadlineDescriptor(), false));
            code.add(new VarInsnNode(Opcodes.LSTORE, deadline));
        }

        LabelNode original = new LabelNode();
        LabelNode done = new LabelNode();
        if (!blocking.finalMethod) {
            code.add(new VarInsnNode(Opcodes.ALOAD, receiver));
            code.add(new LdcInsnNode(blocking.methodKey()));
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLS, "runsJdkCode",
                    "(Ljava/lang/Object;Ljava/lang/String;)Z", false));
            code.add(new JumpInsnNode(Opcodes.IFEQ, original));
        }
        int firstResult = -1;
        Type firstType = null;
        if (blocking.first != First.NONE) {
            firstType = Type.getType(blocking.first.resultDescriptor);
            firstResult = newLocal(method, firstType);
            code.add(new VarInsnNode(Opcodes.ALOAD, receiver));
            for (int i = 0; blocking.first == First.SUBMIT_ALL && i < blocking.keptArguments(); i++) {
                code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals.get(i)));
            }
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLS, blocking.first.method, blocking.firstDescriptor(),
                    false));
            code.add(new VarInsnNode(firstType.getOpcode(Opcodes.ISTORE), firstResult));
        }

        LabelNode waiting = new LabelNode();
        LabelNode returned = new LabelNode();
        code.add(waiting);
        code.add(new VarInsnNode(Opcodes.ALOAD, receiver));
        for (int i = 0; i < blocking.keptArguments(); i++) {
            code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals.get(i)));
        }
        if (deadline >= 0) {
            code.add(new VarInsnNode(Opcodes.LLOAD, deadline));
        }
        if (firstResult >= 0) {
            code.add(new VarInsnNode(firstType.getOpcode(Opcodes.ILOAD), firstResult));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLS, blocking.helper, blocking.helperDescriptor(), false));
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new FieldInsnNode(Opcodes.GETSTATIC, CALLS, "NOT_YET", OBJECT));
        code.add(new JumpInsnNode(Opcodes.IF_ACMPNE, returned));
        code.add(new InsnNode(Opcodes.POP));
        code.add(new JumpInsnNode(Opcodes.GOTO, waiting));
        code.add(returned);
        code.add(resultAs(Type.getReturnType(call.desc)));

        if (!blocking.finalMethod) {
            code.add(new JumpInsnNode(Opcodes.GOTO, done));
            code.add(original);
            code.add(new VarInsnNode(Opcodes.ALOAD, receiver));
            for (int i = 0; i < arguments.length; i++) {
                code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals.get(i)));
            }
            code.add(new MethodInsnNode(call.getOpcode(), call.owner, call.name, call.desc, call.itf));
            code.add(done);
        }
        return code;
    }

    /** Turns the helper's Object result into what the call returned. */
    private static InsnList resultAs(Type type) {
        InsnList code = new InsnList();
        switch (type.getSort()) {
            case Type.VOID -> code.add(new InsnNode(Opcodes.POP));
            case Type.BOOLEAN -> {
                code.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Boolean"));
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Boolean", "booleanValue", "()Z", false));
            }
            case Type.INT -> {
                code.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Integer"));
                code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false));
            }
            case Type.OBJECT, Type.ARRAY -> {
                if (!OBJECT.equals(type.getDescriptor())) {
                    code.add(new TypeInsnNode(Opcodes.CHECKCAST, type.getInternalName()));
                }
            }
            default -> throw new IllegalStateException("no blocking call returns " + type);
        }
        return code;
    }

    private static int newLocal(MethodNode method, Type type) {
        int local = method.maxLocals;
        method.maxLocals += type.getSize();
        return local;
    }
}
