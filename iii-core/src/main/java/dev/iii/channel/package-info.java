/**
 * Streaming channels: byte and text streams between two parties through the iii engine. Create one
 * with {@link dev.iii.IIIClient#createChannel()}, write with a {@link
 * dev.iii.channel.ChannelWriter}, read with a {@link dev.iii.channel.ChannelReader}, and hand
 * either end to another function (in any language) by passing it, or its {@link
 * dev.iii.protocol.ChannelRef}, in call data.
 */
@NullMarked
package dev.iii.channel;

import org.jspecify.annotations.NullMarked;
