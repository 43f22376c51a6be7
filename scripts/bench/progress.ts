/**
 * One line that fills up while the bench runs: on a terminal it redraws in place; elsewhere (CI,
 * the test suite) it prints a line per phase so a log still shows where a run stopped.
 */
export class Progress {
  private done = 0;
  private phaseWeight = 0;
  private phaseStart = 0;
  private label = '';
  private detail = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = Date.now();

  /** `total` is in the same unit as the phase weights: roughly the seconds each phase takes. */
  constructor(private readonly total: number) {
    if (this.tty) {
      this.timer = setInterval(() => this.draw(), 200);
      this.timer.unref();
    }
  }

  phase(label: string, weight: number): void {
    this.done += this.phaseWeight;
    this.phaseWeight = weight;
    this.phaseStart = Date.now();
    this.label = label;
    this.detail = '';
    if (this.tty) this.draw();
    else process.stderr.write(`[bench ${this.elapsed()}] ${label}\n`);
  }

  note(detail: string): void {
    this.detail = detail;
  }

  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`[bench ${this.elapsed()}] done\n`);
  }

  private draw(): void {
    // Within a phase the bar creeps along its expected duration, never past it.
    const inPhase = Math.min(this.phaseWeight, (Date.now() - this.phaseStart) / 1000);
    const fraction = Math.min(1, (this.done + inPhase) / this.total);
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const text = `${bar} ${String(Math.round(fraction * 100)).padStart(3)}%  ${this.elapsed()}  ${this.label}${this.detail ? ` · ${this.detail}` : ''}`;
    const columns = process.stderr.columns || 120;
    process.stderr.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
  }

  private elapsed(): string {
    const s = Math.round((Date.now() - this.started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
}
