import { BlockList, isIP } from "node:net";

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

const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", incl. unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, incl. the cloud metadata endpoint 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast
];
const BLOCKED_V6: [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64, same reason
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
];

// Kept apart: BlockList matches every IPv4 address against an IPv4-mapped (::ffff:0:0/96) rule.
const MAPPED_V4 = new BlockList();
MAPPED_V4.addSubnet("::ffff:0:0", 96, "ipv6");

const DEFAULT_BLOCKLIST = new BlockList();
for (const [net, bits] of BLOCKED_V4) DEFAULT_BLOCKLIST.addSubnet(net, bits, "ipv4");
for (const [net, bits] of BLOCKED_V6) DEFAULT_BLOCKLIST.addSubnet(net, bits, "ipv6");

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
  const kind = family(bare);
  // IPv4-mapped IPv6 reaches an IPv4 host around the v4 rules; such literals have no business in a URL.
  if (kind === "ipv6" && MAPPED_V4.check(bare, "ipv6")) return true;
  return DEFAULT_BLOCKLIST.check(bare, kind);
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
