import { describe, expect, it } from "vitest";
import { renderMessages, statusLine } from "../src/chat/view";
import { textsFor } from "../src/chat/i18n";
import type { Message } from "../src/sdk/types";

const hostile = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

function message(seq: number, text: string, direction: "in" | "out"): Message {
  return {
    id: `m${seq}`, conversationId: "c", seq, direction, text, clientMessageId: null, deliveryStatus: "delivered",
    author: { kind: direction === "in" ? "client" : "operator", id: null, name: direction === "out" ? hostile : null },
    createdAt: "2026-11-27T10:00:00Z", attachments: [],
  };
}

describe("chat view", () => {
  it("renders message text and author names literally, never as HTML", () => {
    const list = document.createElement("div");
    renderMessages(list, [message(1, hostile, "in"), message(2, hostile, "out")], [], textsFor("ru"));
    expect(list.querySelectorAll("img, script")).toHaveLength(0);
    expect(list.querySelectorAll(".oc-text")[0].textContent).toBe(hostile);
    expect(list.querySelectorAll(".oc-author")[1].textContent).toBe(hostile);
    expect((window as unknown as { __xss?: number }).__xss).toBeUndefined();
  });

  it("shows pending messages after confirmed ones, marked as sending", () => {
    const list = document.createElement("div");
    renderMessages(list, [message(1, "hi", "in")], [{ clientMessageId: "p1", text: "later", createdAt: "" }], textsFor("en"));
    const items = list.querySelectorAll(".oc-msg");
    expect(items).toHaveLength(2);
    expect(items[1].classList.contains("oc-pending")).toBe(true);
    expect(items[1].querySelector(".oc-time")!.textContent).toBe("sending…");
  });

  it("describes the conversation state in the chosen language", () => {
    const conv = { id: "c", status: "assigned" as const, lastMessageSeq: 1, operatorName: "Анна", createdAt: "", closedAt: null };
    expect(statusLine("online", conv, textsFor("ru"))).toBe("Вам отвечает Анна");
    expect(statusLine("online", conv, textsFor("en"))).toBe("Анна is answering you");
    expect(statusLine("offline", conv, textsFor("en"))).toMatch(/Offline/);
  });

  it("marks the client's stored messages delivered, and read up to the operator's read seq", () => {
    const list = document.createElement("div");
    renderMessages(list, [message(1, "a", "in"), message(2, "b", "in"), message(3, "c", "out")], [], textsFor("ru"), { conversationId: "c", seq: 1 });
    const marks = [...list.querySelectorAll(".oc-mark")];
    expect(marks.map((m) => m.getAttribute("aria-label"))).toEqual(["прочитано", "доставлено"]);
  });

  it("renders attachment names literally and checks files against the channel's rules first", async () => {
    const { precheck } = await import("../src/chat/files");
    const list = document.createElement("div");
    const m = message(1, "", "out");
    m.attachments = [{ id: "a1", fileName: hostile + ".pdf", contentType: "application/pdf", size: 2048 }];
    renderMessages(list, [m], [], textsFor("en"));
    expect(list.querySelectorAll("img, script")).toHaveLength(0);
    expect(list.querySelector(".oc-file-name")!.textContent).toBe("📎 " + hostile + ".pdf");
    expect(list.querySelector(".oc-file")!.getAttribute("aria-label")).toBe(`Download ${hostile}.pdf (2 KB)`);
    const rules = { enabled: true, maxSizeBytes: 1024 * 1024, contentTypes: ["image/png"], extensions: [".png"] };
    const t = textsFor("en");
    expect(precheck({ name: "a.png", size: 10 }, rules, t)).toBeNull();
    expect(precheck({ name: "a.png", size: 2 * 1024 * 1024 }, rules, t)).toMatch(/larger than 1 MB/);
    expect(precheck({ name: "a.exe", size: 10 }, rules, t)).toBe(t.fileType);
    expect(precheck({ name: "a.png", size: 10 }, { ...rules, enabled: false }, t)).toBe(t.filesOff);
  });
});
