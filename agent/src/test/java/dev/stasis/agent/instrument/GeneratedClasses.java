package dev.stasis.agent.instrument;

import java.util.function.Consumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Small classes written with ASM for shapes javac never produces (JSR, odd NEW, huge methods). */
final class GeneratedClasses {
    static final String NAME = "gen/Odd";

    private GeneratedClasses() {
    }

    /** A class with {@code callee()I} (a leaf), {@code caller()I} (one call point) and whatever {@code more} adds. */
    static byte[] generate(int version, Consumer<ClassWriter> more) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", null);
        MethodVisitor callee = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "callee", "()I", null, null);
        callee.visitCode();
        callee.visitInsn(Opcodes.ICONST_1);
        callee.visitInsn(Opcodes.IRETURN);
        callee.visitMaxs(0, 0);
        callee.visitEnd();
        MethodVisitor caller = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "caller", "()I", null, null);
        caller.visitCode();
        caller.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "callee", "()I", false);
        caller.visitInsn(Opcodes.ICONST_1);
        caller.visitInsn(Opcodes.IADD);
        caller.visitInsn(Opcodes.IRETURN);
        caller.visitMaxs(0, 0);
        caller.visitEnd();
        more.accept(writer);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** {@code withJsr()I}: a subroutine (pre-Java 6 finally) that calls {@code callee}. */
    static void jsrMethod(ClassWriter writer) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "withJsr", "()I", null, null);
        mv.visitCode();
        Label subroutine = new Label();
        mv.visitJumpInsn(Opcodes.JSR, subroutine);
        mv.visitInsn(Opcodes.ICONST_2);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(subroutine);
        mv.visitVarInsn(Opcodes.ASTORE, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "callee", "()I", false);
        mv.visitInsn(Opcodes.POP);
        mv.visitVarInsn(Opcodes.RET, 0);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code oddNew()Ljava/lang/Object;}: an uninitialised object on the stack across a call, no DUP after NEW. */
    static void newWithoutDup(ClassWriter writer) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "oddNew", "()Ljava/lang/Object;",
                null, null);
        mv.visitCode();
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/Object");
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "callee", "()I", false);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code huge()I}: many locals live across many calls, small now but far over 64 KiB once instrumented. */
    static void hugeMethod(ClassWriter writer) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "huge", "()I", null, null);
        mv.visitCode();
        for (int slot = 0; slot < 30; slot++) {
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitVarInsn(Opcodes.ISTORE, slot);
        }
        for (int i = 0; i < 1500; i++) {
            mv.visitVarInsn(Opcodes.ILOAD, i % 30);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "callee", "()I", false);
            mv.visitInsn(Opcodes.IADD);
            mv.visitVarInsn(Opcodes.ISTORE, i % 30);
        }
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code broken()V}: passes an int where a long is expected, so type analysis fails. */
    static void brokenMethod(ClassWriter writer) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "broken", "()V", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, "takesLong", "(J)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code merge(Z)Ljava/lang/String;}: a StringBuilder or a StringBuffer, merged at a join. */
    static void mergingMethod(ClassWriter writer) {
        MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "merge", "(Z)Ljava/lang/String;",
                null, null);
        mv.visitCode();
        Label buffer = new Label();
        Label join = new Label();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitJumpInsn(Opcodes.IFEQ, buffer);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn("builder");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitJumpInsn(Opcodes.GOTO, join);
        mv.visitLabel(buffer);
        mv.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuffer");
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn("buffer");
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuffer", "<init>", "(Ljava/lang/String;)V", false);
        mv.visitLabel(join);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Object", "toString", "()Ljava/lang/String;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * A class compiled for Java 17 that calls {@code ExecutorService.close()} (JDK 19 and later), which javac
     * refuses for that release: {@code public static String close(ExecutorService executor)} closes it and says
     * whether it terminated, and {@code public static String close()} does the same with
     * {@code (ExecutorService) BlockingTarget.primitive}, as the methods of {@code BlockingTarget} do. Rewritten,
     * the call runs the runtime's helpers, so it runs on JDK 17 too.
     */
    static byte[] closing(String name) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | Opcodes.ACC_FINAL, name, null,
                "java/lang/Object", null);
        MethodVisitor given = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "close",
                "(Ljava/util/concurrent/ExecutorService;)Ljava/lang/String;", null, null);
        given.visitCode();
        closeAndTell(given);
        MethodVisitor primitive = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "close",
                "()Ljava/lang/String;", null, null);
        primitive.visitCode();
        primitive.visitFieldInsn(Opcodes.GETSTATIC, "dev/stasis/agent/instrument/targets/BlockingTarget", "primitive",
                "Ljava/lang/Object;");
        primitive.visitTypeInsn(Opcodes.CHECKCAST, "java/util/concurrent/ExecutorService");
        primitive.visitVarInsn(Opcodes.ASTORE, 0);
        closeAndTell(primitive);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** {@code executor.close(); return executor.isTerminated() ? "closed, terminated" : "closed, running";}, executor in local 0. */
    private static void closeAndTell(MethodVisitor mv) {
        Label running = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/concurrent/ExecutorService", "close", "()V", true);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/concurrent/ExecutorService", "isTerminated", "()Z", true);
        mv.visitJumpInsn(Opcodes.IFEQ, running);
        mv.visitLdcInsn("closed, terminated");
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitLabel(running);
        mv.visitLdcInsn("closed, running");
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Defines generated classes in a throw-away loader. */
    static Class<?> define(byte[] bytes) {
        return new ClassLoader(GeneratedClasses.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(null, bytes, 0, bytes.length);
            }
        }.define();
    }
}
