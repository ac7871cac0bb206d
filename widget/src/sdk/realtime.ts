import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

/** The part of a SignalR connection the client uses; tests substitute a fake. */
export interface RealtimeConnection {
  on(event: string, handler: (payload: any) => void): void;
  onreconnected(handler: () => void): void;
  onreconnecting(handler: () => void): void;
  onclose(handler: () => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke(method: string, ...args: unknown[]): Promise<unknown>;
  readonly connected: boolean;
}

export type RealtimeFactory = (url: string, token: () => string | Promise<string>) => RealtimeConnection;

/** SignalR over WebSockets; the token goes as access_token (browsers cannot set WebSocket headers). */
export const signalRFactory: RealtimeFactory = (url, token) => {
  const connection = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: token })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(1000 * 2 ** ctx.previousRetryCount, 15000) })
    .configureLogging(LogLevel.None)
    .build();
  return {
    on: (event, handler) => connection.on(event, handler),
    onreconnected: (handler) => connection.onreconnected(() => handler()),
    onreconnecting: (handler) => connection.onreconnecting(() => handler()),
    onclose: (handler) => connection.onclose(() => handler()),
    start: () => connection.start(),
    stop: () => connection.stop(),
    invoke: (method, ...args) => connection.invoke(method, ...args),
    get connected() {
      return connection.state === HubConnectionState.Connected;
    },
  };
};
