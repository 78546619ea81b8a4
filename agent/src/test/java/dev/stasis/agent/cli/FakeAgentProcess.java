package dev.stasis.agent.cli;

import dev.stasis.agent.jmx.Checkpointer;
import dev.stasis.agent.testing.FakeRuntime;

import java.lang.management.ManagementFactory;

/**
 * A child JVM for the CLI tests: with argument {@code agent} it publishes the Stasis MBean over a
 * fake engine (with {@code fail} its checkpoints fail), with {@code plain} it is a JVM without the
 * agent. Prints "ready" once it can be attached to, then waits to be killed.
 */
public final class FakeAgentProcess {
    public static void main(String[] args) throws Exception {
        if (!args[0].equals("plain")) {
            FakeRuntime runtime = new FakeRuntime();
            if (args[0].equals("fail")) {
                runtime.failingWith("thread main did not reach a safepoint within 10s: it holds a lock in com.acme.Job.run");
            }
            Checkpointer.register(runtime, ManagementFactory.getPlatformMBeanServer());
        }
        System.out.println("ready");
        Thread.sleep(120_000);
    }
}
