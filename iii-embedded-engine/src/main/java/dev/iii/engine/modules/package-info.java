/** Engine modules: each adds functions, trigger types or routes to the engine. Internal. */
@NullMarked
package dev.iii.engine.modules;

import org.jspecify.annotations.NullMarked;
