package dev.iii.channel;

import dev.iii.protocol.ChannelRef;

/**
 * A channel just created with {@link dev.iii.IIIClient#createChannel()}: both its live ends, and
 * the refs that hand an end to another function (in any language) through call data.
 *
 * <pre>{@code
 * Channel channel = iii.createChannel().join();
 * iii.callVoid("process", Map.of("input", channel.readerRef()));
 * channel.writer().write(bytes).join();
 * channel.writer().close().join();
 * }</pre>
 *
 * @param writer the sending end
 * @param reader the receiving end
 */
public record Channel(ChannelWriter writer, ChannelReader reader) {

  /** The ref of the sending end, to pass in call data. */
  public ChannelRef writerRef() {
    return writer.ref();
  }

  /** The ref of the receiving end, to pass in call data. */
  public ChannelRef readerRef() {
    return reader.ref();
  }
}
