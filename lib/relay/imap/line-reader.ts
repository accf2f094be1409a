import type { Socket } from "node:net";

/**
 * CRLF lines from a socket, one at a time, until the caller takes the socket over (`detach`), with
 * what arrived after the last line read — so that nothing is lost when the gateway starts to pipe.
 */
export class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | null = null;
  private ended: Error | null = null;
  private readonly onData = (data: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, data]);
    this.deliver();
  };
  private readonly onEnd = () => this.fail(new Error("the server closed the connection"));
  private readonly onError = (error: Error) => this.fail(error);

  constructor(
    private readonly socket: Socket,
    private readonly maxLine = 64 * 1024,
  ) {
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
    socket.on("error", this.onError);
  }

  /** The next line (without CRLF); rejects on close, error or after `timeoutMs`. */
  next(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
      }, timeoutMs);
      this.waiting = {
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.deliver();
    });
  }

  /** Stops reading: answers the bytes received after the last line. */
  detach(): Buffer {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.off("error", this.onError);
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest;
  }

  private deliver(): void {
    if (!this.waiting) return;
    const end = this.buffer.indexOf("\r\n");
    if (end < 0) {
      if (this.buffer.length > this.maxLine) this.fail(new Error("the server sent an overlong line"));
      else if (this.ended) this.fail(this.ended);
      return;
    }
    const line = this.buffer.subarray(0, end).toString("utf8");
    this.buffer = this.buffer.subarray(end + 2);
    const w = this.waiting;
    this.waiting = null;
    w.resolve(line);
  }

  private fail(error: Error): void {
    this.ended ??= error;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(error);
  }
}
