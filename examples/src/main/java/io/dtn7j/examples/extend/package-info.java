/**
 * Worked examples of extending dtn7j: a convergence layer ({@link io.dtn7j.examples.extend.DecimalFramedCla}),
 * a router ({@link io.dtn7j.examples.extend.DirectDeliveryRouter}) and a bundle store
 * ({@link io.dtn7j.examples.extend.CountingBundleStore}); see docs/DESIGN.md.
 */
package io.dtn7j.examples.extend;
