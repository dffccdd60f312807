/** What each warehouse worker thread is started with (piscina workerData). */
export type WorkerConfig = {
  storageUrl: string;
  /** FIRN_HOME; `cacheDir` must lie under it. */
  home: string;
  cacheDir: string;
  memoryCacheBytes: number;
  diskCacheBytes: number;
};
