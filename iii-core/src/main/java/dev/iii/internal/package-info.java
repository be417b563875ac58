/** Implementation details of the client. Not API: may change in any release. */
@NullMarked
package dev.iii.internal;

import org.jspecify.annotations.NullMarked;
