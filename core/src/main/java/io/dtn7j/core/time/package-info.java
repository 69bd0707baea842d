/** Time for the agent: {@link io.dtn7j.core.time.DtnClock} (DTN milliseconds) and a virtual clock for tests. */
package io.dtn7j.core.time;
