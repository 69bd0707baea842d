package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtn7j.daemon.api.ApiOptions;
import io.dtn7j.daemon.api.ApiServer;
import io.dtn7j.daemon.api.SendSpec;
import io.dtn7j.daemon.api.SimpleNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages' live update in headless Chromium against the API server alone: a page left open shows a peer
 * and a bundle that appear after it was loaded.
 */
class WebPagesLiveUpdateBrowserTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(Chromium.available(),
                "browser test skipped: /usr/bin/chromium not found (install Debian's chromium package to run it)");
    }

    @Test
    void openPagesUpdateThemselves() throws Exception {
        SimpleNode node = new SimpleNode("dtn://live1/");
        try (ApiServer server = new ApiServer(node, ApiOptions.loopback(0)).start();
             Chromium browser = new Chromium(tmp.resolve("profile"))) {
            String base = "http://127.0.0.1:" + server.port();
            browser.open(base + "/peers");
            assertThat(browser.eval("document.title")).isEqualTo("dtn7: dtn://live1/ - Peers");
            assertThat(browser.text()).contains("dtn7 local node: dtn://live1/").doesNotContain("dtn://live2/");
            node.addPeer("mtcp://127.0.0.1:16163/live2", false);
            browser.waitFor("document.getElementById('live').innerText", t -> t.contains("dtn://live2/"), 10_000);
            assertThat(browser.text()).contains("Dynamic");

            browser.open(base + "/bundles");
            String bid = node.send(new SendSpec("dtn://live1/", "dtn://live9/x", 60_000, 4, 32, "p".getBytes()));
            browser.waitFor("document.getElementById('live').innerText", t -> t.contains(bid), 10_000);
            assertThat(browser.eval("document.querySelector('#bundles a').getAttribute('href')")).isEqualTo("/download?" + bid);

            String dom = Chromium.dumpDom(tmp.resolve("profile-dump"), base + "/");
            assertThat(dom).contains("<title>dtn7: dtn://live1/</title>", "dtn://live1/");
        }
    }
}
