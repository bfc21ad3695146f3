import { describe, expect, it } from "vitest";
import { createAddressPolicy, isNonPublicAddress } from "./address-policy.js";

describe("isNonPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
  ])("blocks %s", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111"])(
    "allows %s",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe("createAddressPolicy", () => {
  it("allows everything when blockPrivate is off", () => {
    expect(createAddressPolicy().allows("localhost", "127.0.0.1")).toBe(true);
  });

  it("honours allowed hosts and CIDRs", () => {
    const policy = createAddressPolicy({
      blockPrivate: true,
      allowHosts: ["images.internal", "*.cdn.test"],
      allowCidrs: ["10.20.0.0/16", "fd00::/8"],
    });
    expect(policy.allows("evil.test", "127.0.0.1")).toBe(false);
    expect(policy.allows("images.internal", "127.0.0.1")).toBe(true);
    expect(policy.allows("a.cdn.test", "192.168.0.1")).toBe(true);
    expect(policy.allows("cdn.test.evil", "192.168.0.1")).toBe(false);
    expect(policy.allows("x", "10.20.5.5")).toBe(true);
    expect(policy.allows("x", "10.21.5.5")).toBe(false);
    expect(policy.allows("x", "fd00::5")).toBe(true);
    expect(policy.allows("x", "8.8.8.8")).toBe(true);
  });

  it("rejects a malformed CIDR", () => {
    expect(() => createAddressPolicy({ allowCidrs: ["10.0.0.0/40"] })).toThrow(/invalid CIDR/);
  });
});
