/** dtn7j module examples. */
package io.dtn7j.examples;
