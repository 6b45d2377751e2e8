/**
 * A one-line progress bar on stderr (redrawn in place on a terminal; a line per tenth otherwise,
 * so CI logs and pipes stay readable). stdout is left to the summary.
 */
export class Progress {
  private done = 0;
  private lastTenth = -1;
  private readonly startedAt = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.draw();
  }

  tick(count = 1): void {
    this.done += count;
    this.draw();
  }

  finish(): void {
    this.done = this.total;
    this.draw();
    if (this.stream.isTTY) this.stream.write("\n");
  }

  private draw(): void {
    const share = this.total === 0 ? 1 : Math.min(1, this.done / this.total);
    const seconds = ((performance.now() - this.startedAt) / 1000).toFixed(1);
    const width = 30;
    const filled = Math.round(share * width);
    const line = `${this.label.padEnd(10)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${this.done}/${this.total} ${seconds} s`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${line}\n`);
    }
  }
}
