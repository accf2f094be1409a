/**
 * A failure the admin can act on (a stale form, a refused input): its message is written for them
 * and shown as it is. The guard shows it instead of "Something went wrong (reference …)".
 */
export class ExpectedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
