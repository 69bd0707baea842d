/** dtn7j module daemon. */
package io.dtn7j.daemon;
