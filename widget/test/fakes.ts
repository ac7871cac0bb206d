import type { Message } from "../src/sdk/types";
import type { RealtimeConnection } from "../src/sdk/realtime";
import type { KeyValueStorage } from "../src/sdk/client";

export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  getItem(key: string) { return this.data.get(key) ?? null; }
  setItem(key: string, value: string) { this.data.set(key, value); }
  removeItem(key: string) { this.data.delete(key); }
}

/**
 * A fake Omnichat server speaking protocol v1 over a fetch function: sessions, idempotent sends by
 * clientMessageId, afterSeq paging. It can be switched offline to simulate a lost network.
 */
export class FakeServer {
  online = true;
  readonly posts: { clientMessageId: string; text?: string; attachmentIds?: string[] }[] = [];
  readonly uploads: { name: string; size: number; contentType: string | null; authorization: string | null }[] = [];
  readonly transcripts: { email?: string; conversationId?: string }[] = [];
  readonly messages: Message[] = [];
  readonly visitors = new Map<string, string>();
  sessionRequests = 0;
  conversationId = "conv-1";
  status: "queued" | "assigned" | "closed" = "queued";
  private nextVisitor = 1;

  fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (!this.online) throw new TypeError("Failed to fetch");
    const u = new URL(String(url));
    if (u.pathname === "/api/client/v1/files" && init?.body instanceof FormData) {
      const file = init.body.get("file") as File;
      const headers = new Headers(init.headers);
      this.uploads.push({ name: file.name, size: file.size, contentType: headers.get("Content-Type"), authorization: headers.get("Authorization") });
      if (file.size === 0) return new Response(JSON.stringify({ status: 400, errors: { file: ["The file is empty."] } }), { status: 400 });
      return new Response(JSON.stringify({ id: `f${this.uploads.length}`, fileName: file.name, contentType: "image/png", size: file.size, preview: true }), { status: 201 });
    }
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const json = (status: number, value: unknown) =>
      new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
    if (u.pathname === "/api/client/v1/sessions") {
      this.sessionRequests++;
      const visitorId = body.visitorId && this.visitors.has(body.visitorId) ? body.visitorId : `v${this.nextVisitor++}`;
      this.visitors.set(visitorId, "client-1");
      return json(200, { visitorId, clientId: "client-1", token: "t-" + visitorId, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    }
    if (u.pathname === "/api/client/v1/transcript") {
      this.transcripts.push(body);
      if (body.email && !body.email.includes("@")) return json(400, { status: 400, errors: { email: ["invalid"] } });
      return json(202, { mailId: "mail-1", email: body.email ?? "known@example.com" });
    }
    if (u.pathname === "/api/client/v1/messages" && init?.method === "POST") {
      this.posts.push(body);
      if ((!body.text && !body.attachmentIds?.length) || body.text?.length > 4000) return json(400, { status: 400, title: "invalid", errors: { text: ["too long"] } });
      const existing = this.messages.find((m) => m.clientMessageId === body.clientMessageId);
      if (existing) return json(200, existing);
      const added = this.add("in", body.text ?? null, body.clientMessageId);
      added.attachments = (body.attachmentIds ?? []).map((id: string) => ({ id, fileName: "x.png", contentType: "image/png", size: 1, preview: true }));
      return json(201, added);
    }
    if (u.pathname === "/api/client/v1/messages") {
      const after = Number(u.searchParams.get("afterSeq") ?? 0);
      const limit = Number(u.searchParams.get("limit") ?? 100);
      const wanted = u.searchParams.get("conversationId") ?? this.conversationId;
      const list = this.messages.filter((m) => m.conversationId === wanted && m.seq > after).sort((a, b) => a.seq - b.seq);
      return json(200, {
        messages: list.slice(0, limit),
        hasMore: list.length > limit,
        conversation: this.messages.length === 0 ? null : {
          id: wanted, status: this.status, lastMessageSeq: list.length ? list[list.length - 1].seq : 0, operatorName: "Анна", createdAt: "", closedAt: null,
        },
      });
    }
    return json(404, { status: 404 });
  };

  add(direction: "in" | "out", text: string | null, clientMessageId: string | null = null): Message {
    const seq = this.messages.filter((m) => m.conversationId === this.conversationId).length + 1;
    const message: Message = {
      id: `${this.conversationId}-${seq}`, conversationId: this.conversationId, seq, direction, text,
      author: { kind: direction === "in" ? "client" : "operator", id: null, name: direction === "in" ? null : "Анна" },
      clientMessageId, deliveryStatus: "delivered", createdAt: new Date(Date.now() + seq).toISOString(), attachments: [],
    };
    this.messages.push(message);
    return message;
  }
}

/** A realtime connection the test drives by hand. */
export class FakeRealtime implements RealtimeConnection {
  connected = false;
  private readonly handlers = new Map<string, (payload: any) => void>();
  private reconnected?: () => void;
  on(event: string, handler: (payload: any) => void) { this.handlers.set(event, handler); }
  onreconnected(handler: () => void) { this.reconnected = handler; }
  onreconnecting() {}
  onclose(handler: () => void) { this.closed = handler; }
  close() { this.connected = false; this.closed?.(); }
  failStarts = 0;
  starts = 0;
  /** The token function the client gave the factory, and the token each start used. */
  token?: () => string | Promise<string>;
  readonly tokens: string[] = [];
  private closed?: () => void;
  async start() {
    this.starts++;
    if (this.token) this.tokens.push(await this.token());
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error("negotiation failed");
    }
    this.connected = true;
  }
  /** Like SignalR: stopping a connection raises its close event. */
  async stop() {
    const was = this.connected;
    this.connected = false;
    if (was) this.closed?.();
  }
  async invoke() { return undefined; }
  push(event: string, payload: unknown) { this.handlers.get(event)?.(payload); }
  reconnect() { this.connected = true; this.reconnected?.(); }
}
