/** dtn7j module bundle. */
package io.dtn7j.bundle;
