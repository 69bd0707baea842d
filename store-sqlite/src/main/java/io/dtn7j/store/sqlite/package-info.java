/** dtn7j module store-sqlite. */
package io.dtn7j.store.sqlite;
