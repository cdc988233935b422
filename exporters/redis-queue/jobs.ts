/**
 * The keys one collection reads: key, data type and queue (plan index), in parallel arrays rather
 * than an object per key (10,000+ keys per scrape). Queue keys come first, the processing lists
 * after `procStart`; `chunks()` cuts them into pipelines.
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
  readonly untyped: Array<[key: string, plan: number]> = [];
  /** Jobs from here on are processing lists, summed per queue rather than reported per key. */
  procStart = Number.POSITIVE_INFINITY;

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
  }

  isProcessing(j: number): boolean {
    return j >= this.procStart;
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
      for (let j = 0; j < this.keys.length; j++) {
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
