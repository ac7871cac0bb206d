import type { Conversation, Message, PendingMessage } from "../sdk/types";
import type { ConnectionState } from "../sdk/client";
import type { Texts } from "./i18n";
import { renderAttachment, type FileCache } from "./files";

/** Builds an element; text is always set through textContent, never parsed as HTML. */
function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** Renders the message list: confirmed messages, then pending ones marked as sending. */
export function renderMessages(list: HTMLElement, messages: Message[], pending: PendingMessage[], t: Texts,
  read?: { conversationId: string; seq: number }, files?: FileCache): void {
  const doc = list.ownerDocument;
  list.replaceChildren();
  for (const m of messages) {
    const mine = m.direction === "in";
    const item = el(doc, "div", `oc-msg ${mine ? "oc-mine" : m.direction === "system" ? "oc-system" : "oc-theirs"}`);
    item.dataset.seq = String(m.seq);
    item.dataset.id = m.id;
    item.append(el(doc, "div", "oc-author", mine ? t.you : m.author.name ?? t.operator));
    if (m.text) item.append(el(doc, "div", "oc-text", m.text));
    for (const a of m.attachments ?? []) item.append(renderAttachment(doc, a, files, t));
    const footer = el(doc, "div", "oc-time", time(m.createdAt));
    if (mine) {
      // Delivered once stored (it has a seq); read when the operator has read up to it.
      const isRead = read !== undefined && read.conversationId === m.conversationId && m.seq <= read.seq;
      const mark = el(doc, "span", `oc-mark${isRead ? " oc-read" : ""}`, isRead ? " ✓✓" : " ✓");
      mark.title = isRead ? t.read : t.delivered;
      mark.setAttribute("aria-label", mark.title);
      footer.append(mark);
    }
    item.append(footer);
    list.append(item);
  }
  for (const p of pending) {
    const item = el(doc, "div", "oc-msg oc-mine oc-pending");
    item.dataset.clientMessageId = p.clientMessageId;
    item.append(el(doc, "div", "oc-author", t.you));
    if (p.text) item.append(el(doc, "div", "oc-text", p.text));
    for (const a of p.attachments ?? []) item.append(el(doc, "div", "oc-file-name", `📎 ${a.fileName}`));
    item.append(el(doc, "div", "oc-time", t.sending));
    list.append(item);
  }
  list.scrollTop = list.scrollHeight;
}

export function statusLine(state: ConnectionState, conversation: Conversation | null, t: Texts): string {
  if (state === "offline") return t.offline;
  if (state === "connecting") return t.connecting;
  switch (conversation?.status) {
    case "queued":
    case "new":
      return t.queued;
    case "assigned":
      return t.assigned(conversation.operatorName);
    case "closed":
    case "rated":
      return t.closed;
    default:
      return "";
  }
}
