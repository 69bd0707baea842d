/** dtn7j module bench. */
package io.dtn7j.bench;
