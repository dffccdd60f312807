/** What each warehouse worker thread is started with (piscina workerData). */
export type WorkerConfig = {
  storageUrl: string;
  /** FIRN_HOME; `cacheDir` must lie under it. */
  home: string;
  cacheDir: string;
  /** The cache bounds the thread starts with (its share when `cacheShare` is given). */
  memoryCacheBytes: number;
  diskCacheBytes: number;
  /** Its pool's CacheShare buffer (cache-budget.ts): the current per-slot bounds; null: the fixed ones above. */
  cacheShare: SharedArrayBuffer | null;
};
