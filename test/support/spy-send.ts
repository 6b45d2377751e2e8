/**
 * A view of an AWS SDK client (DynamoDB, document client, SQS) whose `send` calls are recorded and
 * may be intercepted: to count round trips, to read the request a repository built, or to inject
 * what the local services never do (throttling, unprocessed keys). The real client is left as it
 * is; the view delegates everything else to it, so it can be handed to any repository.
 */

export interface SentCommand {
  command: object;
  input: Record<string, unknown>;
  /** What the call resolved to; unset while pending or when it rejected. */
  output?: unknown;
}

/** Forwards a command to the real client. */
export type Send = (command: object) => Promise<unknown>;

/** Decides what a call returns; `next` is the real client. */
export type Intercept = (command: object, next: Send) => Promise<unknown>;

interface SdkClient {
  send(command: never, ...rest: never[]): Promise<unknown>;
}

export function spyOnSend<C extends SdkClient>(
  client: C,
  intercept: Intercept = (command, next) => next(command),
): { client: C; sent: SentCommand[] } {
  const real = client.send.bind(client) as unknown as (
    command: object,
    ...rest: unknown[]
  ) => Promise<unknown>;
  const sent: SentCommand[] = [];
  const send = async (command: object, ...rest: unknown[]) => {
    const record: SentCommand = { command, input: (command as { input: Record<string, unknown> }).input };
    sent.push(record);
    record.output = await intercept(command, (forwarded) => real(forwarded, ...rest));
    return record.output;
  };
  return { client: Object.assign(Object.create(client), { send }) as C, sent };
}

/** The recorded calls of one command class. */
export function sentOf<T extends object>(
  sent: readonly SentCommand[],
  type: abstract new (...args: never[]) => T,
): SentCommand[] {
  return sent.filter((call) => call.command instanceof type);
}
