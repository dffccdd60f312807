/**
 * A table's Arrow IPC stream written into one reusable buffer per thread, for bytes that are
 * consumed at once (parquet-wasm copies them into its own memory). tableToIPC allocates a fresh
 * buffer the size of the stream on every call, and a partition's stream is tens of MB: each new
 * buffer pays its page faults again (~3 ms per MiB on the dev VM; 4 s of a 27 s copy-on-write
 * DELETE over SF1 lineitem went to that copy alone). Here the writer's chunks are copied into a
 * buffer that grows (doubling) and is kept for the next call.
 *
 * Contract: the returned view is valid only until the next call in the same thread; copy it
 * to keep it. The buffer is as large as the largest stream this thread wrote.
 */
import { AsyncByteQueue, RecordBatchStreamWriter, type Table } from 'apache-arrow';

/** The writer's sink: appends every chunk to the scratch buffer instead of queueing it. */
class ScratchSink extends AsyncByteQueue {
  length = 0;

  override write(value: unknown): void {
    const chunk = value as Uint8Array;
    const end = this.length + chunk.byteLength;
    if (end > scratch.byteLength) {
      const grown = new Uint8Array(Math.max(end, scratch.byteLength * 2));
      grown.set(scratch.subarray(0, this.length));
      scratch = grown;
    }
    scratch.set(chunk, this.length);
    this.length = end;
  }
}

let scratch = new Uint8Array(1 << 20);

export function tableToIpcScratch(table: Table): Uint8Array {
  const sink = new ScratchSink();
  const writer = new RecordBatchStreamWriter();
  writer.reset(sink);
  writer.write(table);
  writer.finish();
  return scratch.subarray(0, sink.length);
}
