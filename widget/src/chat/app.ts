import type { UserInfo } from "../sdk/client";
import { OmnichatClient } from "../sdk/client";
import { signalRFactory } from "../sdk/realtime";
import { pickLocale, textsFor } from "./i18n";
import { renderMessages, statusLine } from "./view";
import { preChatForm, ratingPanel } from "./forms";
import { FileCache, precheck } from "./files";
import { ProtocolError } from "../sdk/client";
import type { ChannelConfig, FileRules } from "../sdk/types";

/** The chat window inside the widget's iframe (frame.html). */
function main(): void {
  const params = new URLSearchParams(location.search);
  const channelKey = params.get("channel") ?? "";
  const locale = pickLocale(params.get("lang"));
  const t = textsFor(locale);
  document.documentElement.lang = locale;

  const root = document.getElementById("oc-root")!;
  root.innerHTML = "";
  const header = document.createElement("header");
  header.className = "oc-header";
  const title = document.createElement("h1");
  title.textContent = t.title;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "oc-close";
  close.setAttribute("aria-label", t.close);
  close.textContent = "×";
  close.addEventListener("click", () => parent.postMessage({ omnichat: "close" }, "*"));
  header.append(title, close);

  const status = document.createElement("div");
  status.className = "oc-status";
  status.setAttribute("role", "status");

  const list = document.createElement("div");
  list.className = "oc-list";
  list.setAttribute("role", "log");
  list.setAttribute("aria-live", "polite");
  list.setAttribute("aria-label", t.messages);

  const typing = document.createElement("div");
  typing.className = "oc-typing";
  typing.setAttribute("aria-live", "polite");

  const form = document.createElement("form");
  form.className = "oc-form";
  const input = document.createElement("textarea");
  input.className = "oc-input";
  input.rows = 2;
  input.placeholder = t.placeholder;
  input.setAttribute("aria-label", t.placeholder);
  input.maxLength = 4000;
  const send = document.createElement("button");
  send.type = "submit";
  send.className = "oc-send";
  send.textContent = t.send;
  // Emoji: a small palette that inserts at the cursor (keyboard reachable, labelled).
  const emojiButton = document.createElement("button");
  emojiButton.type = "button";
  emojiButton.className = "oc-emoji-toggle";
  emojiButton.textContent = "🙂";
  emojiButton.setAttribute("aria-label", t.emoji);
  emojiButton.setAttribute("aria-expanded", "false");
  const palette = document.createElement("div");
  palette.className = "oc-emoji";
  palette.hidden = true;
  palette.setAttribute("role", "group");
  palette.setAttribute("aria-label", t.emoji);
  for (const symbol of ["😀", "🙂", "😉", "😊", "👍", "🙏", "👌", "❤️", "🎉", "😢", "😕", "😡"]) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = symbol;
    b.addEventListener("click", () => {
      const at = input.selectionStart ?? input.value.length;
      input.setRangeText(symbol, at, input.selectionEnd ?? at, "end");
      palette.hidden = true;
      emojiButton.setAttribute("aria-expanded", "false");
      input.focus();
    });
    palette.append(b);
  }
  emojiButton.addEventListener("click", () => {
    palette.hidden = !palette.hidden;
    emojiButton.setAttribute("aria-expanded", String(!palette.hidden));
  });
  // Files: a paperclip with a hidden file input; dropping a file on the chat or pasting an image works too.
  const attach = document.createElement("button");
  attach.type = "button";
  attach.className = "oc-attach";
  attach.textContent = "📎";
  attach.setAttribute("aria-label", t.attach);
  attach.title = t.attach;
  const fileInput = document.createElement("input");
  fileInput.type = "file";
  fileInput.className = "oc-file-input";
  fileInput.hidden = true;
  fileInput.multiple = true;
  fileInput.setAttribute("aria-label", t.attach);
  attach.addEventListener("click", () => fileInput.click());
  const fileStatus = document.createElement("div");
  fileStatus.className = "oc-file-status";
  fileStatus.setAttribute("role", "alert");
  form.append(emojiButton, attach, fileInput, input, send);
  // "E-mail me the transcript": a small form under the messages.
  const transcript = document.createElement("details");
  transcript.className = "oc-transcript";
  const summary = document.createElement("summary");
  summary.textContent = t.transcript;
  const transcriptForm = document.createElement("form");
  const email = document.createElement("input");
  email.type = "email";
  email.required = true;
  email.placeholder = t.email;
  email.setAttribute("aria-label", t.email);
  email.maxLength = 254;
  const transcriptButton = document.createElement("button");
  transcriptButton.type = "submit";
  transcriptButton.textContent = t.transcriptSend;
  const transcriptStatus = document.createElement("span");
  transcriptStatus.setAttribute("role", "status");
  transcriptForm.append(email, transcriptButton, transcriptStatus);
  transcript.append(summary, transcriptForm);
  transcriptForm.addEventListener("submit", (e) => {
    e.preventDefault();
    transcriptStatus.textContent = "";
    client.requestTranscript(email.value).then(
      (r) => (transcriptStatus.textContent = t.transcriptSent + r.email),
      (err: unknown) => (transcriptStatus.textContent = t.transcriptFailed + ((err as { message?: string }).message ?? "")));
  });

  // Offline form: when nobody is working, the first message carries an e-mail for the answer.
  const offline = document.createElement("div");
  offline.className = "oc-offline";
  offline.hidden = true;
  const offlineText = document.createElement("p");
  offlineText.textContent = t.nobodyOnline;
  const offlineEmail = document.createElement("input");
  offlineEmail.type = "email";
  offlineEmail.className = "oc-offline-email";
  offlineEmail.maxLength = 254;
  offlineEmail.placeholder = t.offlineEmail;
  offlineEmail.setAttribute("aria-label", t.offlineEmail);
  offline.append(offlineText, offlineEmail);

  root.append(header, status, list, typing, transcript, offline, palette, fileStatus, form);

  const client = new OmnichatClient({
    baseUrl: location.origin,
    channelKey,
    storage: safeLocalStorage(),
    realtime: signalRFactory,
    locale,
    user: userFromFragment(location.hash),
  });
  // Read before start(): start() gives a first-time visitor their visitor id.
  const returning = client.returning;
  let askEmail = false;
  const files = new FileCache(client);
  let fileRules: FileRules | undefined;
  const redraw = () => renderMessages(list, client.messages, client.pending, t,
    client.conversation ? { conversationId: client.conversation.id, seq: client.conversation.operatorReadSeq ?? 0 } : undefined, files);

  // One file after another: checked here first (size, type), then uploaded and sent as its own message.
  const sendFiles = async (chosen: File[]) => {
    for (const file of chosen) {
      const refused = precheck(file, fileRules, t);
      if (refused) {
        fileStatus.textContent = t.fileRefused(file.name, refused);
        continue;
      }
      fileStatus.textContent = t.uploading(file.name);
      try {
        await client.sendFile(file);
        fileStatus.textContent = "";
      } catch (err: unknown) {
        const problem = err instanceof ProtocolError ? err.problem : undefined;
        const why = problem?.errors?.file?.[0] ?? problem?.detail ?? problem?.title ?? (err as { message?: string }).message ?? "";
        fileStatus.textContent = t.fileRefused(file.name, why);
      }
    }
  };
  fileInput.addEventListener("change", () => {
    const chosen = [...(fileInput.files ?? [])];
    fileInput.value = "";
    void sendFiles(chosen);
  });
  root.addEventListener("dragover", (e) => {
    if (e.dataTransfer?.types.includes("Files")) {
      e.preventDefault();
      root.classList.add("oc-dropping");
    }
  });
  root.addEventListener("dragleave", () => root.classList.remove("oc-dropping"));
  root.addEventListener("drop", (e) => {
    root.classList.remove("oc-dropping");
    if (e.dataTransfer?.files.length) {
      e.preventDefault();
      void sendFiles([...e.dataTransfer.files]);
    }
  });
  input.addEventListener("paste", (e) => {
    const pasted = [...(e.clipboardData?.files ?? [])];
    if (pasted.length) {
      e.preventDefault();
      void sendFiles(pasted);
    }
  });
  // Minimised (the launcher says so): count operator answers and tell the launcher (badge and tone).
  let minimised = false;
  let seenAnswers = 0;
  const answers = () => client.messages.filter((m) => m.direction === "out").length;
  addEventListener("message", (e) => {
    if (e.source !== parent) return;
    const data = e.data as { omnichat?: string; open?: unknown };
    if (data?.omnichat === "visible" && typeof data.open === "boolean") {
      minimised = !data.open;
      if (!minimised) seenAnswers = answers();
    }
  });
  client.on("messages", () => {
    if (!minimised) {
      seenAnswers = answers();
    } else if (answers() > seenAnswers) {
      parent.postMessage({ omnichat: "unread", count: answers() - seenAnswers }, "*");
    }
  });
  const restatus = () => {
    status.textContent = statusLine(client.connectionState, client.conversation, t);
  };
  client.on("messages", redraw);
  client.on("pending", redraw);
  client.on("conversation", restatus);
  client.on("conversation", redraw); // read marks
  client.on("queue", (e) => {
    if (client.conversation?.id === e.conversationId && client.conversation.status === "queued" && client.connectionState === "online") {
      status.textContent = t.queuePosition(e.position, e.expectedWaitSeconds);
    }
  });
  // Rating once the conversation is closed (until it is rated or a new one starts).
  let rating: HTMLFormElement | null = null;
  client.on("conversation", (c) => {
    if (c?.status === "closed" && !rating) {
      rating = ratingPanel(document, t, async (score, comment) => {
        await client.rate(score, comment);
      });
      root.insertBefore(rating, form);
    } else if (c && c.status !== "closed" && c.status !== "rated" && rating) {
      rating.remove();
      rating = null;
    }
  });
  client.on("connection", restatus);
  client.on("error", (p) => {
    status.textContent = `${t.error}: ${p.detail ?? p.title ?? p.status}`;
  });
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  client.on("typing", (e) => {
    typing.textContent = e.from === "operator" && e.isTyping ? t.typing : "";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => (typing.textContent = ""), 6000);
  });

  const submit = () => {
    const text = input.value;
    if (!text.trim()) return;
    let notifyEmail: string | undefined;
    if (askEmail) {
      // Optional: with an address the answer also goes by e-mail; a malformed one is pointed out.
      if (offlineEmail.value.trim() && !offlineEmail.checkValidity()) {
        offlineEmail.reportValidity?.();
        offlineEmail.focus();
        return;
      }
      notifyEmail = offlineEmail.value.trim() || undefined;
      askEmail = false;
      offline.hidden = true;
    }
    input.value = "";
    void client.send(text, notifyEmail ? { notifyEmail } : undefined);
    void client.typing(false);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  });
  let lastTyping = 0;
  input.addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000) {
      lastTyping = Date.now();
      void client.typing(true);
    }
  });
  addEventListener("online", () => void client.flush().then(() => client.catchUp()).catch(() => undefined));

  // The channel's look, pre-chat form and offline form (values are checked by the server; set as text/properties only).
  Promise.all([client.config(), client.availability().catch(() => ({ online: true }))])
    .then(([config, availability]) => {
      applyTheme(config);
      fileRules = config.files;
      attach.hidden = !config.files?.enabled;
      if (config.files?.extensions.length) fileInput.accept = config.files.extensions.join(",");
      const open = client.conversation && client.conversation.status !== "closed" && client.conversation.status !== "rated";
      askEmail = !availability.online && config.offlineForm && !open;
      offline.hidden = !askEmail;
      if (config.preChat.enabled && !returning && client.messages.length === 0 && client.pending.length === 0) {
        form.hidden = true;
        transcript.hidden = true;
        const emailForAnswer = askEmail;
        offline.hidden = true;
        const pre = preChatForm(document, config.preChat, t, emailForAnswer, (answers) => {
          client.setContact(answers);
          askEmail = false;
          void client.send(answers.question, {
            topic: answers.topic, consent: answers.consent, notifyEmail: emailForAnswer ? answers.email?.trim() || undefined : undefined,
          });
          pre.remove();
          form.hidden = false;
          transcript.hidden = false;
          input.focus();
        });
        root.insertBefore(pre, form);
      }
    })
    .catch(() => undefined);

  function applyTheme(config: ChannelConfig): void {
    if (config.title) title.textContent = config.title;
    if (config.color && /^#[0-9a-f]{6}$/i.test(config.color)) {
      header.style.background = config.color;
      send.style.background = config.color;
    }
    if (config.avatarUrl?.startsWith("https://")) {
      const avatar = document.createElement("img");
      avatar.className = "oc-avatar";
      avatar.alt = "";
      avatar.src = config.avatarUrl;
      header.prepend(avatar);
    }
  }

  redraw();
  restatus();
  client.start().catch(() => restatus());
  input.focus();
}

/** localStorage when the browser allows it in this (third-party) frame; otherwise nothing survives a reload. */
function safeLocalStorage(): Storage | undefined {
  try {
    const probe = "omnichat:probe";
    localStorage.setItem(probe, "1");
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return undefined;
  }
}

/** The site's signed-in user, passed by widget.js in the URL fragment (#u=…). */
export function userFromFragment(hash: string): UserInfo | undefined {
  const raw = new URLSearchParams(hash.replace(/^#/, "")).get("u");
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const pick = (k: string) => (typeof value[k] === "string" && (value[k] as string).length <= 256 ? (value[k] as string) : undefined);
    // Custom fields: string values under lower-case names (the server checks them again, and keeps them only for a verified user).
    const fields: Record<string, string> = {};
    if (value.fields && typeof value.fields === "object") {
      for (const [k, v] of Object.entries(value.fields as Record<string, unknown>).slice(0, 20)) {
        if (/^[a-z][a-z0-9_]{0,31}$/.test(k) && typeof v === "string" && v.length <= 500) fields[k] = v;
      }
    }
    return {
      externalId: pick("externalId"), userHash: pick("userHash"), name: pick("name"), email: pick("email"), phone: pick("phone"),
      fields: Object.keys(fields).length ? fields : undefined,
    };
  } catch {
    return undefined;
  }
}

if (typeof document !== "undefined" && document.getElementById("oc-root")) main();
