package dev.iii.engine.modules.httpfunctions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses an HTTP function may not reach when {@code block_private_ips} is on: every
 * special-purpose range of the IANA registries (RFC 6890 and its updates) that is not globally
 * reachable, in one table. IPv6 forms that carry an IPv4 address — IPv4-mapped {@code
 * ::ffff:a.b.c.d} and IPv4-compatible {@code ::a.b.c.d} (RFC 4291 §2.5.5) and NAT64 {@code
 * 64:ff9b::a.b.c.d} (RFC 6052) — are judged by the IPv4 address they carry, since that is where
 * they lead.
 *
 * <p>Stateless and immutable.
 */
final class BlockedAddresses {

  /** One CIDR block and where it is defined. */
  private record Block(byte[] prefix, int bits, String reference) {

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[whole] & mask) == (prefix[whole] & mask);
    }
  }

  /** The table: IPv4 first, then IPv6. */
  private static final List<Block> BLOCKS =
      List.of(
          block("0.0.0.0/8", "RFC 791 'this network'"),
          block("10.0.0.0/8", "RFC 1918 private"),
          block("100.64.0.0/10", "RFC 6598 shared address space (carrier-grade NAT)"),
          block("127.0.0.0/8", "RFC 1122 loopback"),
          block("169.254.0.0/16", "RFC 3927 link-local (cloud metadata services)"),
          block("172.16.0.0/12", "RFC 1918 private"),
          block("192.0.0.0/24", "RFC 6890 IETF protocol assignments"),
          block("192.0.2.0/24", "RFC 5737 documentation (TEST-NET-1)"),
          block("192.168.0.0/16", "RFC 1918 private"),
          block("198.18.0.0/15", "RFC 2544 benchmarking"),
          block("198.51.100.0/24", "RFC 5737 documentation (TEST-NET-2)"),
          block("203.0.113.0/24", "RFC 5737 documentation (TEST-NET-3)"),
          block("224.0.0.0/4", "RFC 5771 multicast"),
          block("240.0.0.0/4", "RFC 1112 reserved"),
          block("255.255.255.255/32", "RFC 919 limited broadcast"),
          block("::/128", "RFC 4291 unspecified"),
          block("::1/128", "RFC 4291 loopback"),
          block("fc00::/7", "RFC 4193 unique local"),
          block("fe80::/10", "RFC 4291 link-local"),
          block("fec0::/10", "RFC 3879 deprecated site-local"),
          block("ff00::/8", "RFC 4291 multicast"),
          block("2001:db8::/32", "RFC 3849 documentation"));

  /** IPv6 prefixes whose last 32 bits are an IPv4 address. */
  private static final List<Block> IPV4_CARRIERS =
      List.of(
          block("::ffff:0:0/96", "RFC 4291 IPv4-mapped"),
          block("::/96", "RFC 4291 IPv4-compatible (deprecated)"),
          block("64:ff9b::/96", "RFC 6052 NAT64 well-known prefix"));

  private BlockedAddresses() {}

  /** Whether the address is in the table, itself or as the IPv4 address it carries. */
  static boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      // ::/128 and ::1/128 are in ::/96 too; they are blocked either way.
      for (Block carrier : IPV4_CARRIERS) {
        if (carrier.contains(bytes)) {
          return inTable(Arrays.copyOfRange(bytes, 12, 16)) || inTable(bytes);
        }
      }
    }
    return inTable(bytes);
  }

  private static boolean inTable(byte[] bytes) {
    for (Block block : BLOCKS) {
      if (block.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static Block block(String cidr, String reference) {
    int slash = cidr.indexOf('/');
    try {
      // Literals only: InetAddress parses them without a lookup.
      byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
      if (cidr.contains(":") && prefix.length == 4) {
        // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the table needs the 16 bytes.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(prefix, 0, mapped, 12, 4);
        prefix = mapped;
      }
      return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), reference);
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
