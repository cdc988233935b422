/**
 * The keys one collection reads: key, data type and queue (plan index), in parallel arrays rather
 * than an object per key (10,000+ keys per scrape). Queue keys come first, the processing lists
 * after `procStart`; `chunks()` cuts them into pipelines.
 */
import { DATA_TYPES, type DataType, handlers } from './queue-types.js';

export class Jobs {
  readonly keys: string[] = [];
  readonly types: DataType[] = [];
  /** Index of the queue's plan. */
  readonly plans: number[] = [];
  /** Keys whose type is not known yet: TYPE (pipelined) decides before they are read. */
  readonly untyped: Array<[key: string, plan: number]> = [];
  /** Jobs from here on are processing lists, summed per queue rather than reported per key. */
  procStart = Number.POSITIVE_INFINITY;

  /** A queue key; one of unknown type waits in `untyped`, one of a type no queue lives in is skipped. */
  add(key: string, type: string | undefined, plan: number): void {
    if (type === undefined) this.untyped.push([key, plan]);
    else if (DATA_TYPES.has(type)) {
      this.keys.push(key);
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
        this.types.push('list');
        this.plans.push(plan);
      }
    });
  }

  isProcessing(j: number): boolean {
    return j >= this.procStart;
  }

  /** Every job of [start, end) is a list (the list-heads script can read them all). */
  allLists(start: number, end: number): boolean {
    for (let j = start; j < end; j++) if (this.types[j] !== 'list') return false;
    return true;
  }

  /** [start, end) ranges of about `pipelineSize` commands each; a key's commands are never split. */
  chunks(pipelineSize: number): Array<[start: number, end: number]> {
    const chunks: Array<[number, number]> = [];
    for (let start = 0; start < this.keys.length; ) {
      let end = start;
      let cmds = 0;
      while (end < this.keys.length && (cmds === 0 || cmds + handlers[this.types[end]!].commands <= pipelineSize)) {
        cmds += handlers[this.types[end]!].commands;
        end++;
      }
      chunks.push([start, end]);
      start = end;
    }
    return chunks;
  }
}
