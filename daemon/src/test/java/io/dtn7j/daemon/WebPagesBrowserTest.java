package io.dtn7j.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web pages in headless Chromium ({@code /usr/bin/chromium}; skipped with a message when absent), served
 * by a real daemon: they load and show the node ID, a peer that connects appears on the open peers page
 * without a reload, and a bundle sent shows up on the open bundles page.
 */
class WebPagesBrowserTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsChromium() {
        Assumptions.assumeTrue(Chromium.available(),
                "browser test skipped: /usr/bin/chromium not found (install Debian's chromium package to run it)");
    }

    @Test
    void pagesShowNodeIdPeersAndBundlesLive() throws Exception {
        try (DaemonProcess a = DaemonProcess.start(tmp.resolve("a"),
                "-n", "weba", "-w", "0", "-C", "tcp:port=0", "-i", "0", "-j", "1s", "-D", "mem")) {
            String base = "http://127.0.0.1:" + a.apiPort();
            String dom = Chromium.dumpDom(tmp.resolve("profile-dump"), base + "/");
            assertThat(dom).contains("<title>dtn7: dtn://weba/</title>", "dtn7 local node: <span id=\"nodeid\">dtn://weba/");

            try (Chromium browser = new Chromium(tmp.resolve("profile"))) {
                browser.open(base + "/peers");
                assertThat(browser.text()).contains("dtn7 local node: dtn://weba/").doesNotContain("dtn://webb/");
                // another daemon connects over TCPCL and sends a bundle: the open pages update themselves
                try (DaemonProcess b = DaemonProcess.start(tmp.resolve("b"), "-n", "webb", "-w", "0", "-C", "tcp:port=0",
                        "-i", "0", "-j", "1s", "-D", "mem", "-s", "tcp://127.0.0.1:" + a.claPort("tcp") + "/weba")) {
                    String reply = b.post("/send?dst=dtn://weba/nobody&lifetime=10m", "shown in the browser".getBytes());
                    String bid = reply.substring("Sent ADU in bundle ".length(), reply.indexOf(" with "));
                    browser.waitFor("document.getElementById('live').innerText", t -> t.contains("dtn://webb/"), 15_000);
                    browser.open(base + "/bundles");
                    browser.waitFor("document.getElementById('live').innerText", t -> t.contains(bid), 15_000);
                    browser.open(base + "/");
                    assertThat(browser.text()).contains("dtn://weba/", "Peers");
                }
            }
        }
    }
}
