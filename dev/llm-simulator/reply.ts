// An HTTP answer of the simulator, before it is written to the socket.
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
