package io.dtn7j.examples;

import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * Group messages between machines (dtn7zero's {@code remote_group_a.py} and {@code remote_group_b.py} in one
 * program): the node {@code dtn://node-<name>/} joins the group {@code dtn://global/~news}, sends one message to it
 * and prints every group message it receives. Run {@code examples/run RemoteGroup a} on one machine and
 * {@code examples/run RemoteGroup b} on another in the same network.
 */
public final class RemoteGroup {

    /** The group both nodes join. */
    static final String GROUP = "dtn://global/~news";

    private RemoteGroup() {
    }

    /**
     * Runs the example.
     *
     * @param args one argument: the node's name ({@code a}, {@code b}, ...), which makes its node ID
     *     {@code dtn://node-<name>/}
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1 || args[0].isBlank()) {
            System.err.println("usage: examples/run RemoteGroup <name>   (e.g. 'a' on one machine and 'b' on another;"
                    + " the node becomes dtn://node-<name>/)");
            System.exit(2);
        }
        String name = args[0].strip();
        LocalEndpoint node = Dtn.setup("dtn://node-" + name + "/");

        Dtn.registerGroup(GROUP, (payload, source, destination, primaryBlock) ->
                System.out.println("received group-message " + new String(payload, StandardCharsets.UTF_8)
                        + ", from " + source));

        Dtn.startBackgroundUpdateThread();

        node.send("hi from node " + name, GROUP);

        long rounds = Rounds.count();
        for (long i = 0; i < rounds; i++) {
            Thread.sleep(1000);
        }
        Dtn.shutdown();
    }
}
