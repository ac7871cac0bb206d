import { describe, expect, it } from "vitest";
import { OmnichatClient } from "../src/sdk/client";
import { FakeRealtime, FakeServer, MemoryStorage } from "./fakes";

const settle = () => new Promise((r) => setTimeout(r, 20));

function client(server: FakeServer, storage = new MemoryStorage(), realtime?: FakeRealtime) {
  return new OmnichatClient({
    baseUrl: "https://chat.example", channelKey: "demo", storage, fetch: server.fetch as typeof fetch,
    realtime: realtime ? (_url, token) => { realtime.token = token; return realtime; } : undefined, retryDelayMs: 10,
  });
}

describe("OmnichatClient", () => {
  it("keeps the visitorId in storage so a reload continues the same client", async () => {
    const server = new FakeServer();
    const storage = new MemoryStorage();
    await client(server, storage).start();
    const visitor = storage.getItem("omnichat:demo:visitor");
    expect(visitor).toBe("v1");
    await client(server, storage).start();
    expect(storage.getItem("omnichat:demo:visitor")).toBe("v1");
  });

  it("re-sends a message typed while offline with its original clientMessageId, once", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    server.online = false;
    await c.send("Привет");
    expect(c.pending).toHaveLength(1);
    expect(c.connectionState).toBe("offline");
    const id = c.pending[0].clientMessageId;

    server.online = true;
    await c.flush();
    await c.flush(); // a second flush finds nothing to send
    expect(c.pending).toHaveLength(0);
    expect(server.posts.filter((p) => p.clientMessageId === id)).toHaveLength(1);
    expect(server.messages).toHaveLength(1);
    expect(c.messages.map((m) => m.text)).toEqual(["Привет"]);
  });

  it("a confirmed send that is repeated (response lost) stays one message", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    await c.send("one");
    // The same clientMessageId again, as after a lost response: the server answers with the original.
    const again = await server.fetch("https://chat.example/api/client/v1/messages", {
      method: "POST", body: JSON.stringify({ clientMessageId: server.messages[0].clientMessageId, text: "one" }),
    });
    expect(again.status).toBe(200);
    expect(server.messages).toHaveLength(1);
  });

  it("unsent messages survive a reload and are sent by the next page", async () => {
    const server = new FakeServer();
    const storage = new MemoryStorage();
    const first = client(server, storage);
    await first.start();
    server.online = false;
    await first.send("written before reload");
    await first.stop();
    const id = first.pending[0].clientMessageId;

    server.online = true;
    const second = client(server, storage);
    await second.start();
    expect(second.pending).toHaveLength(0);
    expect(server.messages.map((m) => m.clientMessageId)).toEqual([id]);
  });

  it("catches up with afterSeq after a reconnect, without duplicates, in order", async () => {
    const server = new FakeServer();
    const realtime = new FakeRealtime();
    const c = client(server, new MemoryStorage(), realtime);
    await c.start();
    await c.send("question");
    const pushed = server.add("out", "answer 1");
    realtime.push("message", pushed);
    // While disconnected the operator writes twice; the pushes are lost.
    realtime.connected = false;
    server.add("out", "answer 2");
    server.add("out", "answer 3");
    realtime.reconnect();
    await settle();
    expect(c.messages.map((m) => [m.seq, m.text])).toEqual([[1, "question"], [2, "answer 1"], [3, "answer 2"], [4, "answer 3"]]);
  });

  it("pages through a long history", async () => {
    const server = new FakeServer();
    for (let i = 0; i < 250; i++) server.add("out", `m${i}`);
    const c = client(server);
    await c.start();
    expect(c.messages).toHaveLength(250);
    expect(c.messages[249].seq).toBe(250);
  });

  it("drops a message the server refuses for good and reports why", async () => {
    const server = new FakeServer();
    const c = client(server);
    const errors: unknown[] = [];
    c.on("error", (p) => errors.push(p));
    await c.start();
    await c.send("x".repeat(5000));
    expect(c.pending).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(server.messages).toHaveLength(0);
  });
});

describe("OmnichatClient sessions", () => {
  it("a send racing start() shares the one session (no second client)", async () => {
    const server = new FakeServer();
    const c = client(server);
    await Promise.all([c.start(), c.send("quick")]);
    expect(server.visitors.size).toBe(1);
  });
});

describe("OmnichatClient transcript", () => {
  it("asks for the current conversation's transcript and reports refusals", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    await c.send("hello");
    const sent = await c.requestTranscript(" me@example.com ");
    expect(sent.email).toBe("me@example.com");
    expect(server.transcripts[0]).toEqual({ email: "me@example.com", conversationId: "conv-1" });
    await expect(c.requestTranscript("not-an-address")).rejects.toThrow();
  });

  it("keeps a first message's topic, consent and answer e-mail through an offline retry", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    server.online = false;
    await c.send("Вопрос", { topic: "Оплата", consent: true, notifyEmail: "ivan@example.com" });
    server.online = true;
    await c.flush();
    expect(server.posts).toHaveLength(1);
    expect(server.posts[0]).toMatchObject({ text: "Вопрос", topic: "Оплата", consent: true, notifyEmail: "ivan@example.com" });
  });

  it("uploads a file as multipart with the token and sends it in a message without text", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    const sent = await c.sendFile(new File([new Uint8Array([1, 2, 3])], "фото.png", { type: "image/png" }));
    expect(sent.id).toBe("f1");
    expect(server.uploads).toEqual([{ name: "фото.png", size: 3, contentType: null, authorization: "Bearer t-v1" }]);
    expect(server.posts.at(-1)).toMatchObject({ attachmentIds: ["f1"] });
    expect(server.posts.at(-1)!.text).toBeUndefined();
    expect(c.messages.at(-1)!.attachments.map((a) => a.id)).toEqual(["f1"]);
  });

  it("a refused upload rejects with the server's reason and sends nothing", async () => {
    const server = new FakeServer();
    const c = client(server);
    await c.start();
    await expect(c.sendFile(new File([], "empty.pdf"))).rejects.toMatchObject({ problem: { status: 400, errors: { file: ["The file is empty."] } } });
    expect(server.posts).toHaveLength(0);
  });

  it("starts the realtime connection again after a failed first start or a close, and catches up", async () => {
    const server = new FakeServer();
    const realtime = new FakeRealtime();
    realtime.failStarts = 1;
    const c = client(server, new MemoryStorage(), realtime);
    await c.start();
    await settle();
    expect(realtime.connected).toBe(false);
    expect(c.connectionState).toBe("offline");
    server.add("out", "сказано, пока связи не было");
    await new Promise((r) => setTimeout(r, 1100)); // the second attempt comes after a second
    expect(realtime.connected).toBe(true);
    expect(c.connectionState).toBe("online");
    await settle();
    expect(c.messages.map((m) => m.text)).toContain("сказано, пока связи не было");
    realtime.close();
    await new Promise((r) => setTimeout(r, 1100));
    expect(realtime.starts).toBe(3);
    expect(realtime.connected).toBe(true);
    await c.stop();
  });

  it("a 'session' push (its client was merged or split) renews the session and reconnects with the new token", async () => {
    const server = new FakeServer();
    const realtime = new FakeRealtime();
    const storage = new MemoryStorage();
    const c = client(server, storage, realtime);
    await c.start();
    await settle();
    expect(realtime.connected).toBe(true);
    const before = server.sessionRequests;
    const visitor = storage.getItem("omnichat:demo:visitor");
    server.add("out", "ответ в объединённом диалоге");
    realtime.push("session", { reason: "merged" });
    await settle();
    expect(server.sessionRequests).toBe(before + 1);
    expect(storage.getItem("omnichat:demo:visitor")).toBe(visitor); // the same visitor id continues
    expect(realtime.starts).toBe(2);
    expect(realtime.tokens).toEqual([`t-${visitor}`, `t-${visitor}`]);
    expect(realtime.connected).toBe(true);
    expect(c.messages.map((m) => m.text)).toContain("ответ в объединённом диалоге");
    await c.stop();
  });
});
