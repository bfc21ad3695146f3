import { BlockList, isIP } from "node:net";
import ipaddr from "ipaddr.js";

/** Which hosts the fetcher may connect to. Off by default (the CLI reads the user's own catalog). */
export interface AddressPolicyOptions {
  /** Refuse loopback, private, link-local, CGNAT, multicast and other non-public addresses. */
  blockPrivate?: boolean;
  /** Host names exempt from the check: exact ("img.example.org") or a "*.example.org" suffix. */
  allowHosts?: string[];
  /** Address ranges exempt from the check, CIDR ("10.1.0.0/16", "fd00::/8") or a single address. */
  allowCidrs?: string[];
}

export interface AddressPolicy {
  readonly enabled: boolean;
  /** True when connecting to `address` on behalf of `host` is allowed. */
  allows(host: string, address: string): boolean;
}

// Public means ipaddr.js's "unicast": every special range (loopback, private, link-local incl. the cloud
// metadata endpoint, CGNAT, documentation, benchmarking, reserved, multicast, site-local, unique local,
// NAT64, 6to4, Teredo, IPv4-mapped, …) is non-public. A hand list missed 11 of these classes.
const PUBLIC_RANGE = "unicast";

const family = (address: string): "ipv4" | "ipv6" => (isIP(address) === 6 ? "ipv6" : "ipv4");

function parseCidr(cidr: string): [string, number, "ipv4" | "ipv6"] {
  const [address = "", bits] = cidr.trim().split("/");
  const kind = isIP(address);
  const prefix = bits === undefined ? (kind === 6 ? 128 : 32) : Number(bits);
  if (kind === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (kind === 6 ? 128 : 32)) {
    throw new RangeError(`invalid CIDR ${cidr}`);
  }
  return [address, prefix, kind === 6 ? "ipv6" : "ipv4"];
}

function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith("*.") ? name.endsWith(p.slice(1)) : name === p;
  });
}

/** True when an address is not publicly routable (the SSRF blocklist, without any allowlist). */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return true;
  // Mapped, 6to4 and Teredo forms are refused whole: each can embed 127.0.0.1 or 169.254.169.254.
  return ipaddr.parse(bare).range() !== PUBLIC_RANGE;
}

/** Builds the SSRF guard the fetcher consults for every resolved address of every redirect hop. */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const allowList = new BlockList();
  for (const cidr of options.allowCidrs ?? []) {
    const [address, prefix, kind] = parseCidr(cidr);
    allowList.addSubnet(address, prefix, kind);
  }
  const allowHosts = options.allowHosts ?? [];
  const enabled = options.blockPrivate ?? false;
  return {
    enabled,
    allows(host, address) {
      if (!enabled || hostAllowed(host, allowHosts)) return true;
      const bare = address.replace(/%.*$/, "");
      if (allowList.check(bare, family(bare))) return true;
      return !isNonPublicAddress(bare);
    },
  };
}
