/** The cron module: trigger type {@code cron}. Internal. */
@NullMarked
package dev.iii.engine.modules.cron;

import org.jspecify.annotations.NullMarked;
