import { describe, expect, it } from "vitest";
import { userFromFragment } from "../src/chat/app";

describe("user from the URL fragment", () => {
  it("reads the site's user and ignores anything malformed or oversized", () => {
    const user = { externalId: "crm-42", userHash: "ab12", name: "Иван <b>", email: "i@example.com" };
    expect(userFromFragment("#u=" + encodeURIComponent(JSON.stringify(user)))).toEqual({ ...user, phone: undefined });
    expect(userFromFragment("")).toBeUndefined();
    expect(userFromFragment("#u=%7Bnot-json")).toBeUndefined();
    expect(userFromFragment("#u=" + encodeURIComponent(JSON.stringify({ externalId: 5, name: "x".repeat(300) })))).toEqual({
      externalId: undefined, userHash: undefined, name: undefined, email: undefined, phone: undefined,
    });
  });
});
