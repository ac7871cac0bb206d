// Wire types of the Omnichat client protocol v1 (docs/client-protocol.md).

export type Direction = "in" | "out" | "system" | "note";
export type ActorKind = "client" | "operator" | "bot" | "system";
export type ConversationStatus = "new" | "bot" | "queued" | "assigned" | "closed" | "rated";

export interface Attachment {
  id: string;
  fileName: string;
  /** What the content really is (detected by the server, not declared by the sender). */
  contentType: string;
  size: number;
  /** Images: a small WebP preview exists at files/{id}/preview. */
  preview?: boolean;
  width?: number | null;
  height?: number | null;
}

/** A channel's file rules: checked by the widget before uploading, and again by the server. */
export interface FileRules {
  enabled: boolean;
  maxSizeBytes: number;
  contentTypes: string[];
  /** Accepted extensions with the dot, e.g. ".pdf". */
  extensions: string[];
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
  /** The operator has read the client's messages up to this seq (read marks). */
  operatorReadSeq?: number;
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

/** Extra fields of a message that opens a conversation (pre-chat form) or asks for answers by e-mail (offline form). */
export interface SendExtras {
  topic?: string;
  consent?: boolean;
  notifyEmail?: string;
  /** Ids of files uploaded with uploadFile(); the message may then have no text. */
  attachmentIds?: string[];
  /** The uploaded files themselves, to show while the message is pending. */
  attachments?: Attachment[];
}

/** A message the client has typed that the server has not confirmed yet. */
export interface PendingMessage extends SendExtras {
  clientMessageId: string;
  text: string;
  createdAt: string;
}

/** The operator read the conversation up to `seq`. */
export interface ReadEvent {
  conversationId: string;
  seq: number;
}

/** Queue position (1 = next) and expected wait in seconds (null while unknown), pushed while waiting. */
export interface QueueEvent {
  conversationId: string;
  position: number;
  expectedWaitSeconds: number | null;
}

export interface Rating {
  conversationId: string;
  score: number;
  comment: string | null;
  ratedAt: string;
}

export type FieldMode = "off" | "optional" | "required";

export interface PreChatForm {
  enabled: boolean;
  name: FieldMode;
  email: FieldMode;
  phone: FieldMode;
  topics: string[];
  consentText: string | null;
}

export interface ChannelConfig {
  title: string;
  color: string | null;
  avatarUrl: string | null;
  position: "left" | "right";
  launcherText: string | null;
  requireVerifiedUser: boolean;
  preChat: PreChatForm;
  offlineForm: boolean;
  files: FileRules;
}

export interface Availability {
  online: boolean;
}

export interface ProblemDetails {
  status: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}
