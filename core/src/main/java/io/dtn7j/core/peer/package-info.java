/** Peers (neighbour nodes) and the table of peers and links the agent keeps. */
package io.dtn7j.core.peer;
