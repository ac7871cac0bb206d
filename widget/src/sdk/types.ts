// Wire types of the Omnichat client protocol v1 (docs/client-protocol.md).

export type Direction = "in" | "out" | "system" | "note";
export type ActorKind = "client" | "operator" | "bot" | "system";
export type ConversationStatus = "new" | "bot" | "queued" | "assigned" | "closed" | "rated";

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  direction: Direction;
  text: string | null;
  author: { kind: ActorKind; id: string | null; name: string | null };
  clientMessageId: string | null;
  deliveryStatus: string;
  createdAt: string;
  attachments: Attachment[];
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  lastMessageSeq: number;
  operatorName: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface Session {
  visitorId: string;
  clientId: string;
  token: string;
  expiresAt: string;
}

export interface MessagesPage {
  messages: Message[];
  conversation: Conversation | null;
  hasMore: boolean;
}

export interface ConversationStatusEvent {
  conversationId: string;
  status: ConversationStatus;
  operatorName: string | null;
}

export interface TypingEvent {
  conversationId: string;
  from: "client" | "operator";
  isTyping: boolean;
}

/** A message the client has typed that the server has not confirmed yet. */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  createdAt: string;
}

export interface ProblemDetails {
  status: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}
