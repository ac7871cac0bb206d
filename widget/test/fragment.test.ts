import { describe, expect, it } from "vitest";
import { userFromFragment } from "../src/chat/app";

describe("user from the URL fragment", () => {
  it("reads the site's user and ignores anything malformed or oversized", () => {
    const user = { externalId: "crm-42", userHash: "ab12", name: "Иван <b>", email: "i@example.com" };
    expect(userFromFragment("#u=" + encodeURIComponent(JSON.stringify(user)))).toEqual({ ...user, phone: undefined, fields: undefined });
    expect(userFromFragment("")).toBeUndefined();
    expect(userFromFragment("#u=%7Bnot-json")).toBeUndefined();
    expect(userFromFragment("#u=" + encodeURIComponent(JSON.stringify({ externalId: 5, name: "x".repeat(300) })))).toEqual({
      externalId: undefined, userHash: undefined, name: undefined, email: undefined, phone: undefined, fields: undefined,
    });
  });

  it("keeps custom fields with valid names and string values only", () => {
    const fields = { contract: "Д-123", tariff_2: "Премиум", "__proto__": "x", "Bad-Name": "y", long: "z".repeat(501), count: 5 };
    const user = userFromFragment("#u=" + encodeURIComponent(JSON.stringify({ externalId: "crm-1", userHash: "ab", fields })));
    expect(user?.fields).toEqual({ contract: "Д-123", tariff_2: "Премиум" });
  });
});
