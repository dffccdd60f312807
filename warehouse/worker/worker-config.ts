/** What each warehouse worker thread is started with (piscina workerData). */
export type WorkerConfig = {
  storageUrl: string;
  cacheDir: string;
  memoryCacheBytes: number;
  diskCacheBytes: number;
};
