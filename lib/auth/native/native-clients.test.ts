import { describe, expect, it } from "vitest";
import { isRegisteredRedirectUri } from "@/lib/auth/native/native-clients";

const client = {
  clientId: "com.example.notes",
  redirectUris: ["com.example.notes:/oauth/callback", "https://notes.example.com/oauth/callback?app=1", "http://127.0.0.1/callback", "http://[::1]:7000/cb"],
};

describe("isRegisteredRedirectUri", () => {
  it.each([
    "com.example.notes:/oauth/callback",
    "https://notes.example.com/oauth/callback?app=1",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:51234/callback",
    "http://[::1]/cb",
    "http://[::1]:9999/cb",
  ])("accepts %s", (uri) => {
    expect(isRegisteredRedirectUri(client, uri)).toBe(true);
  });

  it.each([
    ["another path", "com.example.notes:/oauth/callback/"],
    ["another case", "com.example.notes:/OAuth/callback"],
    ["a query added", "com.example.notes:/oauth/callback?x=1"],
    ["the registered query left out", "https://notes.example.com/oauth/callback"],
    ["a port on https", "https://notes.example.com:8443/oauth/callback?app=1"],
    ["another loopback path", "http://127.0.0.1:51234/callback2"],
    ["localhost for a loopback literal", "http://localhost:51234/callback"],
    ["another loopback address", "http://127.0.0.2:51234/callback"],
    ["https on a loopback URI", "https://127.0.0.1:51234/callback"],
    ["credentials on a loopback URI", "http://user@127.0.0.1:51234/callback"],
    ["a fragment on a loopback URI", "http://127.0.0.1:51234/callback#x"],
    ["dot segments on a loopback URI", "http://127.0.0.1:51234/x/../callback"],
    ["an IPv4 address written another way", "http://2130706433:51234/callback"],
  ])("refuses %s", (_, uri) => {
    expect(isRegisteredRedirectUri(client, uri)).toBe(false);
  });
});
