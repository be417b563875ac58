/**
 * The iii sample application: the reference SDK's examples (an HTTP API, calling other functions,
 * streaming through channels, a cron job) as annotated Spring beans.
 */
@NullMarked
package dev.iii.sample;

import org.jspecify.annotations.NullMarked;
