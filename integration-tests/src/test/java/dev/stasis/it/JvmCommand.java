package dev.stasis.it;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code java} command line: relaunching "the same command" means starting the same
 * instance again.
 *
 * @param java         path of the java launcher
 * @param agentOptions the text after {@code -javaagent:stasis-agent.jar=}, or null to run without the agent
 * @param jvmOptions   options for the JVM given before the class path (e.g. a test hook's {@code -D})
 * @param classPath    the program's class path
 * @param mainClass    the program's main class
 * @param arguments    the program's arguments
 */
record JvmCommand(String java, String agentOptions, List<String> jvmOptions, String classPath, String mainClass,
                  List<String> arguments) {

    JvmCommand {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
    }

    static JvmCommand of(String mainClass, String... arguments) {
        return new JvmCommand(TestEnvironment.java(), null, List.of(), TestEnvironment.samplesClassPath(), mainClass,
                List.of(arguments));
    }

    JvmCommand withAgent(String options) {
        return new JvmCommand(java, options, jvmOptions, classPath, mainClass, arguments);
    }

    /** The plain program: no agent and none of the options given for it. */
    JvmCommand withoutAgent() {
        return new JvmCommand(java, null, List.of(), classPath, mainClass, arguments);
    }

    JvmCommand withJvmOptions(String... options) {
        return new JvmCommand(java, agentOptions, List.of(options), classPath, mainClass, arguments);
    }

    JvmCommand withJava(String otherJava) {
        return new JvmCommand(otherJava, agentOptions, jvmOptions, classPath, mainClass, arguments);
    }

    JvmCommand withClassPath(String otherClassPath) {
        return new JvmCommand(java, agentOptions, jvmOptions, otherClassPath, mainClass, arguments);
    }

    List<String> toArgv() {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.add("-Xmx512m");
        if (agentOptions != null) {
            argv.add("-javaagent:" + TestEnvironment.agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(mainClass);
        argv.addAll(arguments);
        return argv;
    }
}
