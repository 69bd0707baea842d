/**
 * dtn7zero's examples, ported to dtn7j's simple API ({@link io.dtn7j.core.api}). Each class is a program
 * with a {@code main} method; docs/USER-GUIDE.md lists the command that runs each one.
 *
 * <p>dtn7zero's examples run until Ctrl-C. These do too, unless the system property {@code examples.count}
 * limits how many rounds they run; {@code examples.interval} (milliseconds) changes the pause between rounds.
 * The node itself is configured by the {@code dtn7j.*} system properties described in
 * {@link io.dtn7j.core.api.DtnNode} (e.g. {@code -Ddtn7j.peers=mtcp://192.168.1.7:16162/node-b}).
 */
package io.dtn7j.examples;
