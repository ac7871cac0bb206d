export { OmnichatClient, ProtocolError } from "./client";
export type { UserInfo } from "./client";
export type { ClientOptions, ConnectionState, KeyValueStorage } from "./client";
export { signalRFactory } from "./realtime";
export type { RealtimeConnection, RealtimeFactory } from "./realtime";
export type * from "./types";
