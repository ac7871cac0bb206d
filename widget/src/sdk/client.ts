import type {
  Attachment, Availability, ChannelConfig, Conversation, ConversationStatusEvent, Message, MessagesPage, PendingMessage, ProblemDetails, QueueEvent, Rating, ReadEvent,
  SendExtras, Session, TypingEvent,
} from "./types";
import type { RealtimeConnection, RealtimeFactory } from "./realtime";

/**
 * The site's user. With `externalId` and a valid `userHash` (from the site's back end) the session is a
 * verified user's; only then are `fields` (custom fields such as a contract number, names `^[a-z][a-z0-9_]{0,31}$`)
 * kept on the client — operators see them and templates use them as `{client.fields.name}`.
 */
export interface UserInfo {
  externalId?: string;
  userHash?: string;
  name?: string;
  email?: string;
  phone?: string;
  fields?: Record<string, string>;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ClientOptions {
  /** Server origin, e.g. https://chat.example.com */
  baseUrl: string;
  /** The channel's public key. */
  channelKey: string;
  /** Where visitorId and unsent messages survive reloads (localStorage in browsers, AsyncStorage adapter in apps). */
  storage?: KeyValueStorage;
  /** Realtime connection factory; omit to use polling only. */
  realtime?: RealtimeFactory;
  fetch?: typeof fetch;
  /** Optional verified identity and contacts (see identity verification). */
  user?: UserInfo;
  locale?: string;
  /** Delay between retries of unsent messages while offline (ms). */
  retryDelayMs?: number;
}

export type ConnectionState = "connecting" | "online" | "offline";

type Events = {
  messages: (messages: Message[]) => void;
  pending: (pending: PendingMessage[]) => void;
  conversation: (conversation: Conversation | null) => void;
  typing: (event: TypingEvent) => void;
  queue: (event: QueueEvent) => void;
  connection: (state: ConnectionState) => void;
  error: (problem: ProblemDetails) => void;
};

export class ProtocolError extends Error {
  constructor(public readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

function newId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
}

/**
 * Omnichat client SDK (protocol v1). Sends are idempotent: every message gets a clientMessageId
 * when typed, is kept in storage until the server confirms it, and is re-sent with the same id
 * after a failure, a reconnect or a page reload — the server never stores it twice. After a
 * disconnect the client catches up with afterSeq, so nothing sent meanwhile is missed.
 */
export class OmnichatClient {
  private readonly fetchFn: typeof fetch;
  private readonly storage?: KeyValueStorage;
  private readonly listeners: { [K in keyof Events]: Events[K][] } = {
    messages: [], pending: [], conversation: [], typing: [], queue: [], connection: [], error: [],
  };
  private readonly byId = new Map<string, Message>();
  private session: Session | null = null;
  private realtime: RealtimeConnection | null = null;
  private flushing: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private state: ConnectionState = "connecting";
  private memoryPending: PendingMessage[] = [];
  conversation: Conversation | null = null;

  constructor(private readonly options: ClientOptions) {
    this.fetchFn = options.fetch ?? fetch.bind(globalThis);
    this.storage = options.storage;
  }

  on<K extends keyof Events>(event: K, handler: Events[K]): () => void {
    this.listeners[event].push(handler);
    return () => {
      const list = this.listeners[event] as Events[K][];
      list.splice(list.indexOf(handler), 1);
    };
  }

  /** Messages known so far, oldest first. */
  get messages(): Message[] {
    return [...this.byId.values()].sort((a, b) =>
      a.conversationId === b.conversationId ? a.seq - b.seq : a.createdAt.localeCompare(b.createdAt));
  }

  /** Messages typed but not yet confirmed by the server. */
  get pending(): PendingMessage[] {
    return this.readPending();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Starts or resumes the session, loads history, connects realtime, re-sends anything unsent. */
  async start(): Promise<void> {
    this.stopped = false;
    this.setState("connecting");
    await this.ensureSession();
    await this.catchUp();
    if (this.options.realtime && !this.realtime) {
      this.connectRealtime(this.options.realtime);
    }
    this.emit("pending", this.readPending());
    await this.flush();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.realtimeRetry) clearTimeout(this.realtimeRetry);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.realtime?.stop();
    this.realtime = null;
  }

  /**
   * Queues a message and sends it; resolves once it is stored or kept for a retry. `extras` carry the
   * pre-chat form's topic and consent, and an e-mail for answers (offline form); they travel with the
   * message through retries.
   */
  async send(text: string, extras?: SendExtras): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed && !extras?.attachmentIds?.length) return;
    const pending: PendingMessage = { clientMessageId: newId(), text: trimmed, createdAt: new Date().toISOString(), ...extras };
    this.writePending([...this.readPending(), pending]);
    await this.flush();
  }

  /**
   * Uploads a file (a Blob/File in browsers; `{ uri, name, type }` in React Native) and returns it; send it
   * with `send(text, { attachmentIds: [file.id], attachments: [file] })`. The server decides the type from
   * the content and refuses what the channel does not accept (a ProtocolError naming the field `file`).
   */
  async uploadFile(file: Blob | { uri: string; name: string; type: string }, fileName?: string): Promise<Attachment> {
    await this.ensureSession();
    const form = new FormData();
    if (typeof Blob !== "undefined" && file instanceof Blob) {
      form.append("file", file, fileName ?? (file as File).name ?? "file");
    } else {
      form.append("file", file as unknown as Blob); // React Native's FormData takes { uri, name, type }
    }
    return this.request<Attachment>("POST", "/api/client/v1/files", form);
  }

  /** Uploads a file and sends it as a message (with optional text). */
  async sendFile(file: Blob | { uri: string; name: string; type: string }, text = "", fileName?: string): Promise<Attachment> {
    const uploaded = await this.uploadFile(file, fileName);
    await this.send(text, { attachmentIds: [uploaded.id], attachments: [uploaded] });
    return uploaded;
  }

  /** A file of this conversation (or its image preview) as a Blob; the request carries the session token. */
  async downloadFile(id: string, preview = false): Promise<Blob> {
    await this.ensureSession();
    const response = await this.fetchFn(this.fileUrl(id, preview), { headers: { Authorization: `Bearer ${this.session?.token ?? ""}` } });
    if (!response.ok) throw new ProtocolError({ status: response.status });
    return response.blob();
  }

  /** The download address of a file (needs the Authorization header: see downloadFile). */
  fileUrl(id: string, preview = false): string {
    return `${this.options.baseUrl}/api/client/v1/files/${encodeURIComponent(id)}${preview ? "/preview" : ""}`;
  }

  /** Registers this device's push token (React Native apps): messages that arrive while disconnected go to the push gateway. */
  async registerPushToken(platform: "fcm" | "apns" | "other", token: string): Promise<void> {
    await this.ensureSession();
    await this.request<void>("PUT", "/api/client/v1/push-token", { platform, token });
  }

  /** Ends the open conversation ("end chat"); ended while waiting, it counts as abandoned. */
  async end(): Promise<{ conversationId: string; status: string; abandoned: boolean }> {
    await this.ensureSession();
    const ended = await this.request<{ conversationId: string; status: string; abandoned: boolean }>("POST", "/api/client/v1/conversation/end");
    if (this.conversation?.id === ended.conversationId) this.setConversation({ ...this.conversation, status: "closed" });
    return ended;
  }

  /** Name, e-mail and phone from a pre-chat form: sent with the next session start (the same client is kept). */
  setContact(contact: { name?: string; email?: string; phone?: string }): void {
    const clean = (v?: string) => (v && v.trim() ? v.trim() : undefined);
    this.options.user = { ...this.options.user, name: clean(contact.name), email: clean(contact.email), phone: clean(contact.phone) };
    this.session = null;
  }

  /** Rates the current (closed) conversation: 1–5 and an optional comment; once per conversation. */
  async rate(score: number, comment?: string): Promise<Rating> {
    await this.ensureSession();
    const rating = await this.request<Rating>("POST", "/api/client/v1/rating", {
      conversationId: this.conversation?.id, score, comment: comment?.trim() || undefined,
    });
    if (this.conversation?.id === rating.conversationId) this.setConversation({ ...this.conversation, status: "rated" });
    return rating;
  }

  /** The channel's public widget settings: look, pre-chat form, offline form (no session needed). */
  config(): Promise<ChannelConfig> {
    return this.request<ChannelConfig>("GET", `/api/client/v1/channels/${encodeURIComponent(this.options.channelKey)}/config`, undefined, false);
  }

  /** Whether an operator is working for the channel now (no session needed). */
  availability(): Promise<Availability> {
    return this.request<Availability>("GET", `/api/client/v1/channels/${encodeURIComponent(this.options.channelKey)}/availability`, undefined, false);
  }

  /** Whether this device already has a client in the channel (a returning visitor skips the pre-chat form). */
  get returning(): boolean {
    return !!this.storage?.getItem(`omnichat:${this.options.channelKey}:visitor`);
  }

  /** Asks the server to e-mail the current conversation's transcript (to this address, else the one it knows). */
  async requestTranscript(email?: string): Promise<{ mailId: string; email: string }> {
    await this.ensureSession();
    return this.request("POST", "/api/client/v1/transcript", {
      email: email?.trim() || undefined,
      conversationId: this.conversation?.id,
      locale: this.options.locale,
    });
  }

  /** Tells the operator the client is typing (best effort). */
  async typing(isTyping: boolean): Promise<void> {
    if (this.realtime?.connected) {
      await this.realtime.invoke("Typing", isTyping).catch(() => undefined);
    }
  }

  /** Fetches everything after the last known sequence of the current conversation. */
  async catchUp(): Promise<void> {
    let afterSeq = this.lastSeq();
    let conversationId = this.conversation?.id;
    for (let page = 0; page < 50; page++) {
      const query = `afterSeq=${afterSeq}` + (conversationId ? `&conversationId=${encodeURIComponent(conversationId)}` : "");
      const result = await this.request<MessagesPage>("GET", `/api/client/v1/messages?${query}`);
      this.setConversation(result.conversation);
      this.merge(result.messages);
      if (!result.hasMore || result.messages.length === 0) break;
      afterSeq = result.messages[result.messages.length - 1].seq;
      conversationId = result.conversation?.id;
    }
    // A newer conversation may have started (the old one was closed): follow it.
    if (conversationId) {
      const latest = await this.request<MessagesPage>("GET", "/api/client/v1/messages?afterSeq=0&limit=1");
      if (latest.conversation && latest.conversation.id !== conversationId) {
        this.setConversation(latest.conversation);
        await this.catchUp();
      }
    }
  }

  private lastSeq(): number {
    const current = this.conversation?.id;
    let max = 0;
    for (const m of this.byId.values()) if (m.conversationId === current && m.seq > max) max = m.seq;
    return max;
  }

  /** Sends every pending message in order; stops at the first network failure and retries later. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.flushOnce().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    for (const pending of this.readPending()) {
      try {
        await this.ensureSession();
        const message = await this.request<Message>("POST", "/api/client/v1/messages", {
          clientMessageId: pending.clientMessageId, text: pending.text || undefined,
          topic: pending.topic, consent: pending.consent, notifyEmail: pending.notifyEmail, attachmentIds: pending.attachmentIds,
        });
        this.writePending(this.readPending().filter((p) => p.clientMessageId !== pending.clientMessageId));
        if (!this.conversation || this.conversation.id !== message.conversationId) {
          await this.catchUp();
        }
        this.merge([message]);
      } catch (error) {
        if (error instanceof ProtocolError && error.problem.status >= 400 && error.problem.status < 500 && error.problem.status !== 401 && error.problem.status !== 429) {
          // The server refused this message for good (too long, invalid): drop it and say why.
          this.writePending(this.readPending().filter((p) => p.clientMessageId !== pending.clientMessageId));
          this.emit("error", error.problem);
          continue;
        }
        this.setState("offline");
        this.scheduleRetry();
        return;
      }
    }
    if (this.realtime ? this.realtime.connected : true) this.setState("online");
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush().then(() => this.catchUp()).catch(() => this.scheduleRetry());
    }, this.options.retryDelayMs ?? 3000);
  }

  private stopped = false;
  private realtimeRetry: ReturnType<typeof setTimeout> | null = null;
  private realtimeAttempts = 0;

  private connectRealtime(factory: RealtimeFactory): void {
    // The token is fetched per (re)connect: a session renewed meanwhile (pre-chat contacts, expiry) is used.
    const connection = factory(`${this.options.baseUrl}/hubs/client`, async () => {
      await this.ensureSession();
      return this.session?.token ?? "";
    });
    this.realtime = connection;
    connection.on("message", (m: Message) => {
      if (this.conversation && m.conversationId !== this.conversation.id) {
        void this.catchUp();
      }
      this.merge([m]);
    });
    connection.on("conversation", (e: ConversationStatusEvent) => {
      if (!this.conversation || this.conversation.id === e.conversationId) {
        this.setConversation({ ...(this.conversation ?? { id: e.conversationId, lastMessageSeq: 0, createdAt: "", closedAt: null }), status: e.status, operatorName: e.operatorName } as Conversation);
      }
    });
    connection.on("typing", (e: TypingEvent) => this.emit("typing", e));
    // This session's client was merged into another or split: a new session (same visitor id) continues
    // on the client that holds the conversation now; the restart after close reads what was missed.
    connection.on("session", () => {
      this.session = null;
      void connection.stop();
    });
    connection.on("queue", (e: QueueEvent) => this.emit("queue", e));
    connection.on("read", (e: ReadEvent) => {
      if (this.conversation?.id === e.conversationId && e.seq > (this.conversation.operatorReadSeq ?? 0)) {
        this.setConversation({ ...this.conversation, operatorReadSeq: e.seq });
      }
    });
    connection.onreconnecting(() => this.setState("offline"));
    connection.onreconnected(() => {
      this.setState("online");
      void this.flush().then(() => this.catchUp()).catch(() => this.scheduleRetry());
    });
    connection.onclose(() => {
      this.setState("offline");
      this.startRealtime(connection);
    });
    this.startRealtime(connection);
  }

  /**
   * Starts the hub connection, and starts it again after a failed start or a close (automatic reconnect
   * covers only drops of an established connection), with a back-off up to 30 s. Once connected, anything
   * pushed meanwhile is read and unsent messages go.
   */
  private startRealtime(connection: RealtimeConnection): void {
    if (this.stopped || this.realtimeRetry) return;
    const delay = this.realtimeAttempts === 0 ? 0 : Math.min(30_000, 1000 * 2 ** Math.min(this.realtimeAttempts - 1, 5));
    this.realtimeRetry = setTimeout(() => {
      this.realtimeRetry = null;
      if (this.stopped || connection.connected) return;
      this.realtimeAttempts++;
      connection.start().then(
        () => {
          this.realtimeAttempts = 0;
          this.setState("online");
          void this.flush().then(() => this.catchUp()).catch(() => this.scheduleRetry());
        },
        () => {
          this.setState("offline");
          this.startRealtime(connection);
        });
    }, delay);
  }

  private sessionRequest: Promise<void> | null = null;

  /** One session request at a time: a send racing start() must not create a second client. */
  private ensureSession(): Promise<void> {
    if (this.session && Date.parse(this.session.expiresAt) > Date.now() + 60_000) return Promise.resolve();
    this.sessionRequest ??= this.startSession().finally(() => {
      this.sessionRequest = null;
    });
    return this.sessionRequest;
  }

  private async startSession(): Promise<void> {
    const visitorKey = `omnichat:${this.options.channelKey}:visitor`;
    const session = await this.request<Session>("POST", "/api/client/v1/sessions", {
      channelKey: this.options.channelKey,
      visitorId: this.storage?.getItem(visitorKey) ?? undefined,
      user: this.options.user,
      locale: this.options.locale,
    }, false);
    this.storage?.setItem(visitorKey, session.visitorId);
    this.session = session;
  }

  private async request<T>(method: string, path: string, body?: unknown, authorised = true): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const isForm = typeof FormData !== "undefined" && body instanceof FormData;
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    if (authorised && this.session) headers.Authorization = `Bearer ${this.session.token}`;
    const response = await this.fetchFn(`${this.options.baseUrl}${path}`, {
      method, headers, body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
    if (response.status === 401 && authorised) {
      this.session = null; // expired or revoked: a new session with the same visitorId continues the client
    }
    if (!response.ok) {
      let problem: ProblemDetails = { status: response.status };
      try {
        problem = { ...(await response.json()), status: response.status };
      } catch {
        // not JSON
      }
      throw new ProtocolError(problem);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private merge(messages: Message[]): void {
    let changed = false;
    for (const m of messages) {
      if (m.direction === "note") continue;
      if (!this.byId.has(m.id)) changed = true;
      this.byId.set(m.id, m);
    }
    if (changed) this.emit("messages", this.messages);
  }

  private setConversation(conversation: Conversation | null): void {
    if (!conversation) return;
    this.conversation = conversation;
    this.emit("conversation", conversation);
  }

  private setState(state: ConnectionState): void {
    if (this.state !== state) {
      this.state = state;
      this.emit("connection", state);
    }
  }

  private pendingKey(): string {
    return `omnichat:${this.options.channelKey}:pending`;
  }

  private readPending(): PendingMessage[] {
    if (!this.storage) return this.memoryPending;
    try {
      return JSON.parse(this.storage?.getItem(this.pendingKey()) ?? "[]") as PendingMessage[];
    } catch {
      return [];
    }
  }

  private writePending(pending: PendingMessage[]): void {
    if (this.storage) this.storage.setItem(this.pendingKey(), JSON.stringify(pending));
    else this.memoryPending = pending;
    this.emit("pending", pending);
  }

  private emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    for (const handler of this.listeners[event]) (handler as (...a: Parameters<Events[K]>) => void)(...args);
  }
}
