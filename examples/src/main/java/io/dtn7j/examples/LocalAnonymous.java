package io.dtn7j.examples;

import io.dtn7j.bundle.PrimaryBlock;
import io.dtn7j.core.api.Dtn;
import io.dtn7j.core.api.LocalEndpoint;

import java.nio.charset.StandardCharsets;

/**
 * Sends anonymously: with {@code anonymous = true} a message's source (and report-to) is {@code dtn:none}, so
 * the receiver cannot tell who sent it.
 */
public final class LocalAnonymous {

    private LocalAnonymous() {
    }

    static void callback(byte[] payload, String source, String destination, PrimaryBlock primaryBlock) {
        System.out.println(destination + " received " + new String(payload, StandardCharsets.UTF_8) + " from " + source);
    }

    /**
     * Runs the example.
     *
     * @param args not used
     * @throws InterruptedException if the main thread is interrupted while the example waits
     */
    public static void main(String[] args) throws InterruptedException {
        LocalEndpoint nodeEndpoint = Dtn.setup("dtn://my-node/", LocalAnonymous::callback);

        Dtn.startBackgroundUpdateThread();

        LocalEndpoint localEndpoint = Dtn.register("my/custom/sub/endpoint", LocalAnonymous::callback);

        nodeEndpoint.send("mysterious message".getBytes(StandardCharsets.UTF_8),
                "dtn://my-node/my/custom/sub/endpoint", true);

        localEndpoint.send("pure evil".getBytes(StandardCharsets.UTF_8), "dtn://my-node/", true);

        Thread.sleep(Rounds.interval(1000));
        Dtn.shutdown();
    }
}
