package dev.stasis.agent.instrument.internal;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Tells {@code dev.stasis.rt.LockCalls} of every {@code java.util.concurrent} lock that application code takes
 * and gives back, so a poll can see without a thread dump whether its thread holds one. Each call of
 * {@link #TABLE} (on the JDK type, an interface or a subtype; not {@code super.lock()} inside an override,
 * whose caller is already counted) stays as it is, with its receiver kept for the report:
 * <pre>
 *   before:  [receiver, args]  invoke lock.m(args)
 *   after:   [receiver, args]  args into new locals; dup; args back from the locals
 *            invoke lock.m(args)
 *            [lload from]                                          // tryConvertTo*: the stamp it started from
 *            invokestatic LockCalls.recorder(receiver[, result][, from])
 * </pre>
 * The recorder returns the call's result unchanged. Everything added is straight-line code around the call,
 * so no stack map frame changes: it applies to every method, constructors, static initialisers and methods
 * left uninstrumented included (a hold must be counted wherever it is taken, or the release elsewhere finds
 * nothing to release). Runs before {@link ContinuationPass}, also for frame layouts; the call stays a call
 * point where it was one, and a check after it comes before the recorder, which therefore counts a call to
 * an application's own lock once that call has really returned.
 */
public final class LockCallPass {
    private static final String CALLS = "dev/stasis/rt/LockCalls";
    private static final String LOCK = "java/util/concurrent/locks/Lock";
    private static final String STAMPED = "java/util/concurrent/locks/StampedLock";
    private static final String TIMEOUT = "JLjava/util/concurrent/TimeUnit;";
    /** At most the duplicated receiver and a long {@code from} stamp above what the call itself had. */
    private static final int EXTRA_STACK = 3;

    /** The {@code LockCalls} method told of a call that returned; whether it also gets the call's first argument. */
    enum Recorder {
        LOCKED("locked", "(Ljava/lang/Object;)V", false),
        LOCKED_IF("lockedIf", "(Ljava/lang/Object;Z)Z", false),
        STAMPED("stamped", "(Ljava/lang/Object;J)J", false),
        UNLOCKED("unlocked", "(Ljava/lang/Object;)V", false),
        UNLOCKED_IF("unlockedIf", "(Ljava/lang/Object;Z)Z", false),
        CONVERTED("converted", "(Ljava/lang/Object;JJ)J", true);

        final String method;
        final String descriptor;
        final boolean passesFirstArgument;

        Recorder(String method, String descriptor, boolean passesFirstArgument) {
            this.method = method;
            this.descriptor = descriptor;
            this.passesFirstArgument = passesFirstArgument;
        }
    }

    /** One counted call: {@code owner} declares it (call sites on subtypes match). */
    record LockCall(String owner, String name, String descriptor, Recorder recorder) {
    }

    /** Every call this pass counts. {@code StampedLock}'s views ({@code asReadLock()} ...) count as {@code Lock}s. */
    static final List<LockCall> TABLE = List.of(
            new LockCall(LOCK, "lock", "()V", Recorder.LOCKED),
            new LockCall(LOCK, "lockInterruptibly", "()V", Recorder.LOCKED),
            new LockCall(LOCK, "tryLock", "()Z", Recorder.LOCKED_IF),
            new LockCall(LOCK, "tryLock", "(" + TIMEOUT + ")Z", Recorder.LOCKED_IF),
            new LockCall(LOCK, "unlock", "()V", Recorder.UNLOCKED),
            new LockCall(STAMPED, "writeLock", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "readLock", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "writeLockInterruptibly", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "readLockInterruptibly", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "tryWriteLock", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "tryWriteLock", "(" + TIMEOUT + ")J", Recorder.STAMPED),
            new LockCall(STAMPED, "tryReadLock", "()J", Recorder.STAMPED),
            new LockCall(STAMPED, "tryReadLock", "(" + TIMEOUT + ")J", Recorder.STAMPED),
            new LockCall(STAMPED, "unlockWrite", "(J)V", Recorder.UNLOCKED),
            new LockCall(STAMPED, "unlockRead", "(J)V", Recorder.UNLOCKED),
            new LockCall(STAMPED, "unlock", "(J)V", Recorder.UNLOCKED),
            new LockCall(STAMPED, "tryUnlockWrite", "()Z", Recorder.UNLOCKED_IF),
            new LockCall(STAMPED, "tryUnlockRead", "()Z", Recorder.UNLOCKED_IF),
            new LockCall(STAMPED, "tryConvertToWriteLock", "(J)J", Recorder.CONVERTED),
            new LockCall(STAMPED, "tryConvertToReadLock", "(J)J", Recorder.CONVERTED),
            new LockCall(STAMPED, "tryConvertToOptimisticRead", "(J)J", Recorder.CONVERTED));

    /** Names first: most calls are not lock calls, and the hierarchy is asked only for these. */
    private static final Set<String> NAMES = TABLE.stream().map(LockCall::name).collect(Collectors.toUnmodifiableSet());

    private LockCallPass() {
    }

    /** Adds a recorder after every call of {@link #TABLE} in {@code method}; returns how many. */
    public static int rewrite(MethodNode method, ClassHierarchy hierarchy) {
        int rewritten = 0;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call) {
                LockCall lockCall = match(call, hierarchy);
                if (lockCall != null) {
                    int[] argumentLocals = newLocals(method, Type.getArgumentTypes(call.desc));
                    method.instructions.insertBefore(call, keepReceiver(call, argumentLocals));
                    method.instructions.insert(call, record(lockCall, argumentLocals));
                    method.maxStack += EXTRA_STACK;
                    rewritten++;
                }
            }
        }
        return rewritten;
    }

    /** The entry for a virtual or interface call whose owner is the entry's type or a subtype of it, or null. */
    static LockCall match(MethodInsnNode call, ClassHierarchy hierarchy) {
        if ((call.getOpcode() != Opcodes.INVOKEVIRTUAL && call.getOpcode() != Opcodes.INVOKEINTERFACE)
                || !NAMES.contains(call.name) || call.owner.startsWith("[")) {
            return null;
        }
        for (LockCall lockCall : TABLE) {
            if (lockCall.name.equals(call.name) && lockCall.descriptor.equals(call.desc)
                    && hierarchy.isAssignable(lockCall.owner, call.owner)) {
                return lockCall;
            }
        }
        return null;
    }

    private static int[] newLocals(MethodNode method, Type[] arguments) {
        int[] locals = new int[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            locals[i] = method.maxLocals;
            method.maxLocals += arguments[i].getSize();
        }
        return locals;
    }

    /** Duplicates the receiver under the arguments: they go into their new locals and come back above the copy. */
    private static InsnList keepReceiver(MethodInsnNode call, int[] argumentLocals) {
        Type[] arguments = Type.getArgumentTypes(call.desc);
        InsnList code = new InsnList();
        for (int i = arguments.length - 1; i >= 0; i--) {
            code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ISTORE), argumentLocals[i]));
        }
        code.add(new InsnNode(Opcodes.DUP));
        for (int i = 0; i < arguments.length; i++) {
            code.add(new VarInsnNode(arguments[i].getOpcode(Opcodes.ILOAD), argumentLocals[i]));
        }
        return code;
    }

    /** The recorder call after the original, given the stamp a conversion started from (its only argument). */
    private static InsnList record(LockCall lockCall, int[] argumentLocals) {
        InsnList code = new InsnList();
        if (lockCall.recorder.passesFirstArgument) {
            code.add(new VarInsnNode(Opcodes.LLOAD, argumentLocals[0]));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLS, lockCall.recorder.method,
                lockCall.recorder.descriptor, false));
        return code;
    }
}
