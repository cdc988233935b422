/**
 * The keys one collection reads: key, data type and queue (plan index), in parallel arrays rather
 * than an object per key (10,000+ keys per scrape). Queue keys come first, the processing lists
 * from `procStart` to `procEnd`; `chunks()` cuts them into pipelines. Auto-typed keys found to
 * have changed type while being read are typed again and appended after them, for one more read
 * round (`reread()`), so that a type change costs no gap in the key's series.
 */
import { type KeyName, keyName } from './key-names.js';
import { DATA_TYPES, type DataType, handlers } from './queue-types.js';

export class Jobs {
  /** Each key's label (key-names.ts): its name, escaped where it is not valid UTF-8. */
  readonly keys: string[] = [];
  /** What commands take for each key: the label itself, unless it has an escape (then the exact bytes). */
  readonly names: KeyName[] = [];
  readonly types: DataType[] = [];
  /** Index of the queue's plan. */
  readonly plans: number[] = [];
  /** Keys whose type is not known yet: TYPE (pipelined) decides before they are read. */
  untyped: Array<[key: string, plan: number]> = [];
  /** Jobs from `procStart` up to `procEnd` are processing lists, summed per queue rather than reported per key. */
  procStart = Number.POSITIVE_INFINITY;
  procEnd = Number.POSITIVE_INFINITY;
  /** Auto-typed queue keys that answered WRONGTYPE: typed again, then read again (once per collection). */
  private changed: Array<[key: string, plan: number]> | undefined = [];
  /** Jobs before this one were read in the first round: `chunks()` leaves them out. */
  private readFrom = 0;

  /**
   * A queue key, by its label; one of unknown type waits in `untyped`, one of a type no queue lives
   * in is skipped.
   */
  add(key: string, type: string | undefined, plan: number): void {
    if (type === undefined) this.untyped.push([key, plan]);
    else if (DATA_TYPES.has(type)) {
      this.keys.push(key);
      this.names.push(keyName(key));
      this.types.push(type as DataType);
      this.plans.push(plan);
    }
  }

  /** The processing lists SCAN found, per plan index; after every queue key. */
  addProcessingLists(scanned: ReadonlyArray<readonly string[] | undefined>): void {
    this.procStart = this.keys.length;
    scanned.forEach((keys, plan) => {
      for (const key of keys ?? []) {
        this.keys.push(key);
        this.names.push(keyName(key));
        this.types.push('list');
        this.plans.push(plan);
      }
    });
    this.procEnd = this.keys.length;
  }

  isProcessing(j: number): boolean {
    return j >= this.procStart && j < this.procEnd;
  }

  /**
   * Job j's key answered WRONGTYPE: it changed type since it was cached. @returns whether it will
   * be typed and read again in this collection (false in the re-read round: once is enough).
   */
  retype(j: number): boolean {
    if (!this.changed) return false;
    this.changed.push([this.keys[j]!, this.plans[j]!]);
    return true;
  }

  /**
   * Starts the re-read round when some key changed type: those keys become `untyped`, and the jobs
   * added from now on are the only ones `chunks()` gives. @returns false when no key changed.
   */
  reread(): boolean {
    const changed = this.changed;
    this.changed = undefined;
    if (!changed || changed.length === 0) return false;
    this.untyped = changed;
    this.readFrom = this.keys.length;
    return true;
  }

  /**
   * The jobs cut into pipelines of about `pipelineSize` commands each, a key's commands never split:
   * every job the heads script reads (list-heads.ts) first, then the streams, so that one stream
   * does not send a chunk of lists down the plain path (which transfers their items).
   */
  chunks(pipelineSize: number): number[][] {
    const chunks: number[][] = [];
    for (const heads of [true, false]) {
      let chunk: number[] = [];
      let cmds = 0;
      for (let j = this.readFrom; j < this.keys.length; j++) {
        const type = this.types[j]!;
        if ((type !== 'stream') !== heads) continue;
        const n = handlers[type].commands;
        if (chunk.length > 0 && cmds + n > pipelineSize) {
          chunks.push(chunk);
          chunk = [];
          cmds = 0;
        }
        chunk.push(j);
        cmds += n;
      }
      if (chunk.length > 0) chunks.push(chunk);
    }
    return chunks;
  }
}
