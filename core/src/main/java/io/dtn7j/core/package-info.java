/** dtn7j module core. */
package io.dtn7j.core;
